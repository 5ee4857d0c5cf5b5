/** A key of a JSON object with the 1-based line it is written on. */
export interface KeyOccurrence {
  key: string;
  line: number;
}

/**
 * For each key of the top-level object whose value is an object, the keys of that inner object in
 * text order, with their line numbers. JSON.parse keeps only the last of duplicate keys, so this is
 * how the importer sees duplicate timestamps and reports where they are written.
 * Expects text that JSON.parse has already accepted.
 */
export function secondLevelKeys(text: string, firstLine = 1): Map<string, KeyOccurrence[]> {
  const result = new Map<string, KeyOccurrence[]>();
  // One frame per open container: is it an object, and does it expect a key next?
  const stack: { object: boolean; expectKey: boolean }[] = [];
  let line = firstLine;
  let topKey: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) line++;
    else if (ch === 123 /* { */ || ch === 91 /* [ */) stack.push({ object: ch === 123, expectKey: ch === 123 });
    else if (ch === 125 /* } */ || ch === 93 /* ] */) stack.pop();
    else if (ch === 58 /* : */) {
      const top = stack[stack.length - 1];
      if (top) top.expectKey = false;
    } else if (ch === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    } else if (ch === 34 /* " */) {
      let j = i + 1;
      let escaped = false;
      for (; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c === 92 /* \ */) {
          escaped = true;
          j++;
        } else if (c === 34) break;
      }
      const raw = text.slice(i, j + 1);
      i = j;
      const top = stack[stack.length - 1];
      if (!top?.object || !top.expectKey) continue;
      const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      if (stack.length === 1) topKey = key;
      else if (stack.length === 2 && topKey !== null) {
        let keys = result.get(topKey);
        if (!keys) result.set(topKey, (keys = []));
        keys.push({ key, line });
      }
    }
  }
  return result;
}
