/** The model page's token form and list, as plain functions (components/model-tokens.tsx; tested alone). */

/** "2026-12-07 14:05 UTC": the same text on the server and in any browser. */
export const whenOf = (iso: string | null, none: string) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : none);

/** The form's values as the API's request body (the same object POST /api/v1/models/:id/tokens takes). */
export function toTokenInput(v: { name: string; expiresInDays: string; sessionId: string }): Record<string, unknown> {
  const days = v.expiresInDays.trim();
  return {
    name: v.name,
    ...(days ? { expiresInDays: /^-?\d+$/.test(days) ? Number(days) : days } : {}),
    ...(v.sessionId ? { sessionId: v.sessionId } : {}),
  };
}
