import { createEngine } from "@tollgate/engine";
import { createLogger } from "@tollgate/server";
import { type Database, openTestDatabase } from "@tollgate/store";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBackgroundWork } from "../src/backgroundWork";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const hasPartition = async (name: string) => {
  const result = (await database.db.execute(
    sql`SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'usage_events'::regclass AND c.relname = ${name}`,
  )) as unknown as { rows: { n: number }[] };
  return result.rows[0]?.n === 1;
};

it("makes next month's event partition as soon as it starts, in a month's last hour", async () => {
  const engine = createEngine({ database, clock: () => new Date("2026-06-30T23:30:00Z") });
  expect(await hasPartition("usage_events_2026_07")).toBe(false);
  const stop = startBackgroundWork(engine, createLogger("silent"));
  try {
    const deadline = Date.now() + 5_000;
    while (!(await hasPartition("usage_events_2026_07")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await hasPartition("usage_events_2026_07")).toBe(true);
  } finally {
    await stop();
  }
});
