import { ImportError } from "./errors";

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A bar file's bytes as text, or an ImportError naming the first line that is not UTF-8 (an invalid or overlong
 * byte sequence, a file saved as UTF-16 or Latin-1): a replacement character is never guessed into a symbol.
 * A UTF-8 byte-order mark at the start is dropped, as spreadsheets write one.
 */
export function decodeBarFile(bytes: Uint8Array, fileName?: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ImportError([{ line: 1, message: "the file is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8" }], fileName);
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ImportError([{ line: firstBadLine(bytes), message: "not UTF-8 text (an invalid or overlong byte sequence): save the file as UTF-8" }], fileName);
  }
}

/** The 1-based line of the first byte sequence that is not UTF-8. */
function firstBadLine(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      UTF8.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line++;
    start = i + 1;
  }
  return line;
}
