import type { z } from "zod";
import { ProviderError, type ProviderErrorCode, type ProviderErrorDetails } from "./errors";
import { DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_MS, PROVIDER_LABELS, type FetchLike, type HttpOptions, type ProviderName } from "./provider";

/** Everything one provider's requests share. Built once per provider by `httpContext`. */
export interface HttpContext {
  provider: ProviderName;
  label: string;
  /** What to check on 401/403, e.g. "check POLYGON_API_KEY". */
  authHint: string;
  /** Key material to scrub from any text that ends up in an error. */
  secrets: readonly string[];
  fetch: FetchLike;
  timeoutMs: number;
  maxPages: number;
  /** The provider's own explanation inside an error body, if it has one. */
  detailOf(body: unknown): string | undefined;
}

export function httpContext(
  provider: ProviderName,
  options: HttpOptions,
  rest: { authHint: string; secrets: readonly string[]; detailOf(body: unknown): string | undefined },
): HttpContext {
  return {
    provider,
    label: PROVIDER_LABELS[provider],
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    ...rest,
  };
}

const MAX_DETAIL = 200;

/** Replaces every secret in `text`; used on every message, so no key can reach a log or a browser. */
export function redact(ctx: HttpContext, text: string): string {
  let out = text;
  for (const s of ctx.secrets) if (s.length > 0) out = out.split(s).join("[redacted]");
  return out;
}

export function fail(ctx: HttpContext, code: ProviderErrorCode, message: string, details?: ProviderErrorDetails): ProviderError {
  return new ProviderError(ctx.provider, code, redact(ctx, message), details);
}

function said(ctx: HttpContext, detail: string | undefined): string {
  if (!detail) return "";
  const flat = detail.replace(/\s+/g, " ").trim();
  if (flat === "") return "";
  const short = flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
  return ` (${ctx.label} says: "${short}")`;
}

function retryAfter(res: Response): number | undefined {
  const value = res.headers.get("retry-after");
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

function reasonOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause ? `${e.message}: ${cause}` : e.message;
}

function statusError(ctx: HttpContext, res: Response, detail: string | undefined, symbol: string): ProviderError {
  const { status } = res;
  const head = `${ctx.label} returned ${status}`;
  if (status === 401 || status === 403) return fail(ctx, "PROVIDER_AUTH", `${head}: ${ctx.authHint}${said(ctx, detail)}`, { status });
  if (status === 429) {
    const seconds = retryAfter(res);
    const wait = seconds === undefined ? "a minute" : `${seconds} s`;
    return fail(ctx, "PROVIDER_RATE_LIMIT", `${head}: too many requests, try again in ${wait}`, { status, retryAfterSeconds: seconds });
  }
  if (status === 404) return fail(ctx, "PROVIDER_NOT_FOUND", `${head}: no data for ${symbol}, check the symbol${said(ctx, detail)}`, { status });
  if (status >= 500) {
    return fail(ctx, "PROVIDER_UNREACHABLE", `${head}: the service is having trouble, try again later${said(ctx, detail)}`, { status });
  }
  if (status >= 400) return fail(ctx, "PROVIDER_BAD_REQUEST", `${head}: it refused the request for ${symbol}${said(ctx, detail)}`, { status });
  return fail(ctx, "PROVIDER_BAD_RESPONSE", `${head}, which Bullpen does not handle${said(ctx, detail)}`, { status });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * GET `url` and return its JSON body. Network failures and timeouts become PROVIDER_UNREACHABLE,
 * non-2xx statuses the codes of `statusError`, a 2xx body that is not JSON PROVIDER_BAD_RESPONSE.
 */
export async function getJson(ctx: HttpContext, url: string, headers: Record<string, string>, symbol: string): Promise<unknown> {
  let res: Response;
  let text: string;
  try {
    res = await ctx.fetch(url, { method: "GET", headers, signal: AbortSignal.timeout(ctx.timeoutMs) });
    text = await res.text();
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    const what = timedOut ? `did not answer within ${Math.round(ctx.timeoutMs / 1000)} s` : `could not be reached (${reasonOf(e)})`;
    throw fail(ctx, "PROVIDER_UNREACHABLE", `${ctx.label} ${what}: check the network connection, or try again later`);
  }
  const body = parseJson(text);
  if (!res.ok) {
    const plain = text.trimStart().startsWith("<") ? undefined : text;
    throw statusError(ctx, res, body.ok ? ctx.detailOf(body.value) : plain, symbol);
  }
  if (!body.ok) {
    throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent a body that is not JSON${said(ctx, text)}`, { status: res.status });
  }
  return body.value;
}

const MAX_ISSUES = 3;

/** Validates a response body; a mismatch is PROVIDER_BAD_RESPONSE naming the fields that were wrong. */
export function parseBody<S extends z.ZodType>(ctx: HttpContext, schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const shown = issues.slice(0, MAX_ISSUES).map((i) => `${i.path.length > 0 ? i.path.join(".") : "body"}: ${i.message}`);
  const more = issues.length > MAX_ISSUES ? `; … and ${issues.length - MAX_ISSUES} more` : "";
  throw fail(ctx, "PROVIDER_BAD_RESPONSE", `${ctx.label} sent a response Bullpen cannot read: ${shown.join("; ")}${more}`);
}

/** Throws PROVIDER_BAD_REQUEST once a paginated download has used up `maxPages`. */
export function checkPageCount(ctx: HttpContext, pages: number): void {
  if (pages >= ctx.maxPages) {
    throw fail(ctx, "PROVIDER_BAD_REQUEST", `${ctx.label} still had more pages after ${ctx.maxPages}: ask for a shorter range`);
  }
}

/**
 * `fn` over `items` with at most `limit` calls in flight, results in the items' order. The first failure rejects,
 * and no new call starts after it.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
