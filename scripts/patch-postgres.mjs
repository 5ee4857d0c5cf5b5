/**
 * `npm install` runs this (postinstall): it mends the postgres.js driver (postgres@3.4.9, the latest release),
 * whose bugs took the whole process down when the database went away (docs/sessions.md, "Database outage") and
 * held one-trip transactions open while this process was busy (the last point below).
 *
 * A small write is buffered and flushed from a setImmediate. When the connection closes, `closed()` cancels
 * that flush but leaves its handle set, and sets `socket = null`. Two things then go wrong:
 * - a transaction whose query failed on the lost connection sends its own ROLLBACK on it (sql.begin does, so
 *   every drizzle transaction): the write schedules a flush, the flush calls `socket.write` on null, and the
 *   TypeError is thrown from the immediate, where nothing can catch it: the process exits
 *   (porsager/postgres#1208, #1154, #1066; reproduced here with `pg_ctl stop -m fast` under running sessions);
 * - a connection that closed with a write buffered keeps the stale handle, so it never schedules a flush again:
 *   after reconnecting, its startup message is never sent and every query on it waits for connect_timeout;
 * - a reserved connection (sql.reserve(): lib/db/rls.ts's pipelined transactions) that closes is taken back by
 *   the pool, but its release() then puts it, socket-less, among the open ones: every later query sent to it
 *   fails (or, unmended, crashes the process), for good;
 * - a reserved connection keeps the queries it could not send yet in its own queue (behind a statement described
 *   first, or a full socket) and sends one per answer; when it closes, nothing fails those: they never settle,
 *   and whoever awaits them (a one-trip transaction, lib/db/rls.ts) waits for ever;
 * - a connection whose server ended mid-query ("terminating connection due to administrator command") keeps that
 *   error and fails the first query it runs after reconnecting with it.
 * - a statement with parameters that is new to a connection is "described first": postgres.js sends its Parse and
 *   Describe alone and everything after it (the rest of a one-trip transaction, its COMMIT: lib/db/rls.ts) only
 *   once this process has read the answer, so a worker busy with other sessions holds the transaction open
 *   (bench:llm's longest transactions; lib/db/ledger.int.test.ts). The description is needed only to write
 *   values whose wire text depends on the server's type; strings, numbers and nulls are written as text and
 *   typed by the server. So such a statement now goes out whole at once (Parse, Describe, Bind, Execute, as
 *   postgres.js already does for a new statement without parameters); others are still described first.
 * - small writes wait for a setImmediate to be flushed together, and one that crosses 1 KB flushes what came
 *   before it: the tail of a one-trip transaction (its COMMIT) then waited for the busy process's next check
 *   phase while the server sat "idle in transaction" (bench:llm, 86-177 ms). A query given `{ flush: true }`
 *   (rls.ts sends its COMMIT so) now flushes the buffer at once, itself included.
 * The mend: a flush with no socket fails the queries whose bytes it held (CONNECTION_CLOSED, as the close
 * failed the others) instead of throwing; closing or terminating a connection drops its buffer and handle
 * (closing, also the server's last error);
 * releasing a reserved connection the pool already took back does nothing; a reserved connection that closes
 * fails the queries in its own queue with the close's error.
 *
 * Strict on purpose: if the driver's text is not the one this was written against (another version), the
 * install fails and says so, rather than running with the crash. Remove this once a release has the fix.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const MARK = "/* bullpen: porsager/postgres#1208 */";
const AT_ONCE = "/* bullpen: a new statement goes out at once */";
const FLUSH = "/* bullpen: { flush: true } writes at once */";
const VERSION = "3.4.9";
const root = path.join(import.meta.dirname, "..", "node_modules", "postgres");

/** Each file of a build (src: ESM, cjs: require, cf: Cloudflare Workers) with its edits: [the text, its replacement]. */
const EDITS = {
  "connection.js": [
    [
      `      return write(toBuffer(q))`,
      `      return write(toBuffer(q), q.options.flush ? () => {} : undefined) ${FLUSH}`,
    ],
    [
      `    q.describeFirst = q.onlyDescribe || (parameters.length && !q.prepared)`,
      `    q.describeFirst = q.onlyDescribe || (parameters.length && !q.prepared && parameters.some((x, i) => !types[i] && x !== null && typeof x !== 'string' && typeof x !== 'number')) ${AT_ONCE}`,
    ],
    [
      `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`,
      `  function nextWrite(fn) {
    if (!socket) { ${MARK}
      chunk = nextWriteTimer = null
      const err = Errors.connection('CONNECTION_CLOSED', options)
      query && queryError(query, err)
      while (sent.length)
        queryError(sent.shift(), err)
      return false
    }
    const x = socket.write(chunk, fn)`,
    ],
    [
      `    clearImmediate(nextWriteTimer)
    if (socket) {`,
      `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null ${MARK}
    if (socket) {`,
    ],
    [
      `    incomings = null
    clearImmediate(nextWriteTimer)
    socket.removeListener('data', data)`,
      `    incomings = null
    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = errorResponse = null ${MARK}
    socket.removeListener('data', data)`,
    ],
  ],
  "index.js": [
    [
      `    sql.release = () => {
      c.reserved = null`,
      `    sql.release = () => {
      if (!c.reserved) return ${MARK}
      c.reserved = null`,
    ],
    [
      `    move(c, reserved)
    c.reserved = () => queue.length`,
      `    move(c, reserved)
    c.onclose = e => { while (queue.length) queue.shift().reject(e) } ${MARK}
    c.reserved = () => queue.length`,
    ],
  ],
};

const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const refuse = (what) => {
  console.error(
    `[patch-postgres] postgres@${version}: ${what} is not what this mend was written for (postgres@${VERSION}). Check whether the ` +
      "release fixes porsager/postgres#1208 (a write on a closed connection crashing the process), then update or remove scripts/patch-postgres.mjs.",
  );
  process.exit(1);
};
if (version !== VERSION) refuse("the version");
for (const build of ["src", "cjs/src", "cf/src"]) {
  for (const [name, edits] of Object.entries(EDITS)) {
    const file = `${build}/${name}`;
    const full = path.join(root, file);
    const original = readFileSync(full, "utf8");
    let text = original;
    for (const [before, after] of edits) {
      if (text.includes(after)) continue; // mended by an earlier install
      if (text.split(before).length !== 2) refuse(file);
      text = text.replace(before, after);
    }
    if (text === original) continue;
    writeFileSync(full, text);
    console.log(`[patch-postgres] mended ${file}`);
  }
}
