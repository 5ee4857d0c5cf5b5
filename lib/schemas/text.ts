/**
 * What every text field refuses, whatever else it checks: control characters (NUL, escape, …: PostgreSQL
 * refuses a NUL outright, and the others are never typed) and half of a surrogate pair (broken UTF-16, which
 * would be stored as a replacement character). One-line fields refuse line breaks too; multi-line fields
 * (a prompt, a description, a question) keep tab, newline and carriage return.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;
const BROKEN = /\p{Cs}/u;

/** Why `text` is not acceptable text for the field `what` ("Name"), or null. */
export function textProblem(text: string, what: string, { multiline = false }: { multiline?: boolean } = {}): string | null {
  if (BROKEN.test(text)) return `${what} must be valid Unicode text (it holds half of a surrogate pair)`;
  if (CONTROL.test(text)) return `${what} must not contain control characters such as NUL`;
  if (!multiline && LINE_BREAK.test(text)) return `${what} must be one line of text`;
  return null;
}

/** For zod's `.superRefine`: adds textProblem's message as an issue. */
export const refineText =
  (what: string, options: { multiline?: boolean } = {}) =>
  (text: string, ctx: { addIssue(issue: { code: "custom"; message: string }): void }) => {
    const problem = textProblem(text, what, options);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  };

/**
 * The first string (a key or a value) in a JSON value that textProblem refuses, with its path ("data.name"),
 * or null. Walks without recursion; the caller bounds the depth (lib/json-body.ts).
 */
export function badTextIn(value: unknown, what: string): string | null {
  const stack: [unknown, string][] = [[value, what]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      const problem = textProblem(v, path, { multiline: true });
      if (problem) return problem;
    } else if (v !== null && typeof v === "object") {
      for (const [key, child] of Object.entries(v)) {
        const problem = textProblem(key, `A key of ${path}`);
        if (problem) return problem;
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}
