/** An event payload's values as the viewer reads them: a finite number (also from a decimal string), or text; null otherwise. */
export const num = (v: unknown): number | null => {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
};
export const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
