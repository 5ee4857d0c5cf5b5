import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantAdmin } from "@/lib/db/migrate";
import { AppError } from "@/lib/errors";
import { auditFilterSchema } from "@/lib/schemas/audit";
import { adminSql, createUser, testDb, type TestUser } from "@/tests/support/database";
import { contextFor, createTradingFixture, nextKey } from "@/tests/support/trading-fixtures";
import { auditCsv, auditOrders, auditOrdersForExport } from "./admin-audit";
import { placeOrderAsUser } from "./place-order";

const admin = adminSql();
const { db, client } = testDb();
let alice: TestUser;
let bob: TestUser;
let boss: TestUser;
const filter = (f: Record<string, unknown> = {}) => auditFilterSchema.parse(f);

beforeAll(async () => {
  alice = await createUser(admin, "alice");
  bob = await createUser(admin, "bob");
  boss = await createUser(admin, "boss");
  await grantAdmin(admin, [boss.email]);
  for (const [user, symbol, qty] of [
    [alice, "AAPL", 3],
    [bob, "MSFT", 2],
    [bob, "TSLA", 10_000], // more than the cash: rejected
  ] as const) {
    const f = await createTradingFixture(db, admin, user);
    await placeOrderAsUser(contextFor(f), { symbol, side: "buy", quantity: qty, idempotencyKey: nextKey() }, db);
  }
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

describe("admin trade audit", () => {
  it("an admin sees every user's orders, filled and rejected, through the admin read policies", async () => {
    // The integration database is shared by the whole run: look at this test's users only.
    const ours = [
      ...(await auditOrders(boss.ctx, filter({ user: alice.email }), db)).rows,
      ...(await auditOrders(boss.ctx, filter({ user: bob.email }), db)).rows,
    ];
    const rows = ours;
    expect(rows.map((r) => [r.userEmail, r.symbol, r.status]).sort()).toEqual(
      [
        [alice.email, "AAPL", "filled"],
        [bob.email, "MSFT", "filled"],
        [bob.email, "TSLA", "rejected"],
      ].sort(),
    );
    expect(rows.find((r) => r.symbol === "TSLA")?.rejectCode).toBe("INSUFFICIENT_CASH");
  });

  it("filters and sorts in the database", async () => {
    expect((await auditOrders(boss.ctx, filter({ user: bob.email }), db)).total).toBe(2);
    expect((await auditOrders(boss.ctx, filter({ user: bob.email, status: "rejected" }), db)).rows.map((r) => r.symbol)).toEqual(["TSLA"]);
    expect((await auditOrders(boss.ctx, filter({ user: alice.email, symbol: "aapl" }), db)).rows.map((r) => r.userEmail)).toEqual([alice.email]);
    expect((await auditOrders(boss.ctx, filter({ user: alice.email, symbol: "MSFT" }), db)).total).toBe(0);
    const bySymbol = await auditOrders(boss.ctx, filter({ user: bob.email, sort: "symbol", dir: "desc" }), db);
    expect(bySymbol.rows.map((r) => r.symbol)).toEqual(["TSLA", "MSFT"]);
    expect((await auditOrders(boss.ctx, filter({ from: "2099-01-01" }), db)).total).toBe(0);
  });

  it("a non-admin is refused by the service, and RLS alone would show only their own rows", async () => {
    const err = await auditOrders(alice.ctx, filter(), db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe("not_found");
    const own = await admin.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(alice.claims)}, true), set_config('role', 'authenticated', true)`;
      return tx`select symbol from orders`;
    });
    expect(own.map((r) => r.symbol)).toEqual(["AAPL"]);
  });

  it("exports the filtered set as CSV, one line per row of the table", async () => {
    const rows = await auditOrdersForExport(boss.ctx, filter({ user: bob.email, sort: "symbol", dir: "asc" }), db);
    const csv = auditCsv(rows).trimEnd().split("\r\n");
    expect(csv[0]).toBe(
      "placed_at,user,model,session_id,decision_id,symbol,side,quantity,type,time_in_force,order_class,leg,parent_id,limit_price,stop_price,trail_price,trail_percent," +
        "status,reason,triggered_at,filled_quantity,average_fill_price,reject_code,reject_message,fill_price,fee,realized_pnl,driven_by",
    );
    expect(csv.slice(1).map((l) => l.split(",")[5])).toEqual(["MSFT", "TSLA"]);
  });

  it("refuses an export larger than its limit instead of cutting it short", async () => {
    const f = filter({ user: bob.email });
    expect(await auditOrdersForExport(boss.ctx, f, db, 2)).toHaveLength(2);
    await expect(auditOrdersForExport(boss.ctx, f, db, 1)).rejects.toMatchObject({ code: "EXPORT_TOO_LARGE", message: /More than 1 orders match: narrow the filters/ });
  });

  it("neutralises spreadsheet formulas in text cells", () => {
    const row = { placedAt: new Date(0), userEmail: "=HYPERLINK(\"x\")", modelName: "+cmd", realizedPnl: "-3.100000" } as never;
    const [, line] = auditCsv([row]).split("\r\n");
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain("'+cmd");
    expect(line).toContain(",-3.100000");
  });
});
