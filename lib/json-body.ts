import { AppError } from "@/lib/errors";

/**
 * A request's JSON body, read as no bigger, no other encoding and no deeper than a JSON API needs: the HTTP API
 * (lib/api/respond.ts) and the built-in auth server (lib/auth-server) both read theirs here, and answer a
 * problem each in its own shape. A body is refused before it is parsed when it is larger than `maxBytes`
 * (whatever its Content-Length says), when it is not UTF-8 (bytes that are not would become replacement
 * characters in stored text), when it is not JSON, and after it is parsed when it nests deeper than
 * `maxDepth` (a 10,000-level object overflows the stack of any code that walks it) or has a key "__proto__"
 * (no field is called that; zod drops such a key unseen, and assigning it sets an object's prototype).
 */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;

export type JsonBodyProblem = "too_large" | "not_utf8" | "not_json" | "too_deep" | "proto_key";

const CODES: Record<JsonBodyProblem, string> = {
  too_large: "PAYLOAD_TOO_LARGE",
  not_utf8: "INVALID_JSON",
  not_json: "INVALID_JSON",
  too_deep: "JSON_TOO_DEEP",
  proto_key: "VALIDATION_FAILED",
};

/** A body refused for what it is, not for its fields: kind reject; the API answers `too_large` with 413. */
export class JsonBodyError extends AppError {
  constructor(
    readonly problem: JsonBodyProblem,
    message: string,
  ) {
    super("reject", CODES[problem], message);
    this.name = "JsonBodyError";
  }
}

export interface JsonBodyOptions {
  maxBytes?: number;
  maxDepth?: number;
  /** An empty body is `undefined` rather than an error (actions that take no body). */
  allowEmpty?: boolean;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The body parsed as JSON, or a JsonBodyError saying in words what is wrong with it. */
export async function readJsonBody(req: Request, { maxBytes = MAX_JSON_BODY_BYTES, maxDepth = MAX_JSON_DEPTH, allowEmpty = false }: JsonBodyOptions = {}): Promise<unknown> {
  const text = await readText(req, maxBytes);
  if (allowEmpty && text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonBodyError("not_json", allowEmpty ? "The request body must be JSON (or empty)" : "The request body must be JSON");
  }
  const shape = shapeOf(value, maxDepth);
  if (shape === "too_deep") throw new JsonBodyError("too_deep", `The request body nests deeper than ${maxDepth} levels of objects and arrays`);
  if (shape === "proto_key") throw new JsonBodyError("proto_key", 'The request body has a key "__proto__", which no field is called');
  return value;
}

async function readText(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new JsonBodyError("too_large", `The request body must be at most ${formatBytes(maxBytes)}`);
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return UTF8.decode(bytes); // drops a leading byte-order mark, as Request.json() does
  } catch {
    throw new JsonBodyError("not_utf8", "The request body must be JSON in UTF-8: it holds bytes that are not UTF-8");
  }
}

/** Whether `value` has objects or arrays nested more than `max` deep, or an own key "__proto__"; without recursion, so any depth is safe to ask. */
function shapeOf(value: unknown, max: number): "ok" | "too_deep" | "proto_key" {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > max) return "too_deep";
    if (Object.hasOwn(v, "__proto__")) return "proto_key";
    for (const child of Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return "ok";
}

const formatBytes = (n: number) => (n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`);
