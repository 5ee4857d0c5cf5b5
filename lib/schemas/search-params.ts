import { z } from "zod";

/** Next's `searchParams` or URLSearchParams as one value per name (the first, if repeated). */
export function searchParamEntries(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  if (params instanceof URLSearchParams) return Object.fromEntries(params);
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/** An empty form field or `?name=` means "not given". */
export const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
export const optionalParam = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

/**
 * A whole number from the query string (`?limit=50`), `fallback` when left out or blank, with one message
 * for every way to miss it: "limit must be a whole number from 1 to 200".
 */
export const wholeParam = (name: string, min: number, max: number, fallback: number) => {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z.preprocess(decimalDigits, z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback));
};

/** A parameter's digits as they are, anything else that is not blank as NaN (refused): "0x10", "1e3" and "Infinity" are not written whole numbers. */
const decimalDigits = (v: unknown) => {
  const given = blankToUndefined(v);
  return typeof given === "string" && !/^\s*[+-]?\d+\s*$/.test(given) ? Number.NaN : given;
};

/** "field: message; …" for a page that ignored some of its URL's filters. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ");
}

/**
 * A page's filter from its URL: a bad value is left out (and described in `error`), the others still
 * apply, so one typo does not throw away the rest of a shared link. `schema` must accept `{}`.
 */
export function parseSearchParams<T extends z.ZodType<object>>(
  schema: T,
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): { filter: z.output<T>; error: string | null } {
  const entries = searchParamEntries(params);
  const parsed = schema.safeParse(entries);
  if (parsed.success) return { filter: parsed.data, error: null };
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  const rest = Object.fromEntries(Object.entries(entries).filter(([k]) => !bad.has(k)));
  return { filter: schema.parse(rest), error: describeIssues(parsed.error) };
}

/** A `model` id in the URL that is not one of the user's models is reported and left out, like any bad value. */
export function ownModelOnly<F extends { model?: string }>(parsed: { filter: F; error: string | null }, models: readonly { id: string }[]) {
  if (!parsed.filter.model || models.some((m) => m.id === parsed.filter.model)) return parsed;
  const error = [parsed.error, "model: Model must be one of your models"].filter(Boolean).join("; ");
  return { filter: { ...parsed.filter, model: undefined }, error };
}
