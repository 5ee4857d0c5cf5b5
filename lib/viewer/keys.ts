/** TanStack Query keys of the session pages, shared by the server (prefetch) and the browser. */
export const viewerKey = (sessionId: string) => ["session", sessionId, "viewer"] as const;
