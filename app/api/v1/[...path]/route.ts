import { apiError } from "@/lib/api/respond";

/** Any path under /api/v1 that is not a route: a JSON 404 like every other API error (not the HTML page). */
const notFound = (req: Request) => apiError(404, "NOT_FOUND", `No such API route: ${new URL(req.url).pathname} (see docs/api.md)`);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
