import { z } from "zod";

/** Next's `searchParams` or URLSearchParams as one value per name (the first, if repeated). */
export function searchParamEntries(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  if (params instanceof URLSearchParams) return Object.fromEntries(params);
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/** An empty form field or `?name=` means "not given". */
export const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
export const optionalParam = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

/** "field: message; …" for a page that ignored some of its URL's filters. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ");
}
