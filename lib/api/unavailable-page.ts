import { DatabaseUnavailableError } from "@/lib/errors";

/**
 * The page a signed-in visitor gets while the database does not answer (proxy.ts): 503, Retry-After, and
 * in words what is going on. Plain HTML with nothing inline but a reload every few seconds, so it needs
 * nothing from the app (no stylesheet, no script) to show.
 */
export function databaseUnavailablePage(): Response {
  const { message, retryAfterSeconds } = new DatabaseUnavailableError();
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${retryAfterSeconds}">
<title>Database unavailable · Bullpen</title>
</head>
<body>
<main>
<h1>Bullpen cannot reach its database</h1>
<p>${message}</p>
<p>Nothing is lost: sessions that were running wait, and go on from their last recorded bar when the database is back. This page tries again every ${retryAfterSeconds} seconds.</p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": String(retryAfterSeconds) },
  });
}
