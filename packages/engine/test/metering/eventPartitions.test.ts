import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestEngine, type TestEngine } from "../testEngine";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine("2026-06-30T23:30:00Z");
});
afterAll(() => t.database.close());

const partitions = async () => {
  const result = (await t.database.db.execute(
    sql`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'usage_events'::regclass ORDER BY c.relname`,
  )) as unknown as { rows: { name: string }[] };
  return result.rows.map((r) => r.name);
};

describe("event partitions made ahead", () => {
  it("makes this month's and next month's partition before their first event", async () => {
    expect(await partitions()).not.toContain("usage_events_2026_07");
    await t.engine.usage.makeEventPartitions();
    expect(await partitions()).toEqual(
      expect.arrayContaining(["usage_events_2026_06", "usage_events_2026_07"]),
    );
    expect(await partitions()).not.toContain("usage_events_2026_08");
  });

  it("makes the new next month's once the month has turned", async () => {
    t.clock.set("2026-07-01T00:30:00Z");
    await t.engine.usage.makeEventPartitions();
    expect(await partitions()).toEqual(
      expect.arrayContaining(["usage_events_2026_07", "usage_events_2026_08"]),
    );
  });
});
