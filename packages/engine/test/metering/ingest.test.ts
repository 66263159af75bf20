import { tables } from "@tollgate/store";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { live, openTestEngine, type TestEngine } from "../testEngine";
import { seedMeteredPlan } from "./meteringFixture";

let t: TestEngine;
beforeAll(async () => {
  // 2026-06-15 12:00; customers subscribe now, so their billing period is [06-15 12:00, 07-15 12:00).
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await seedMeteredPlan(t, ["batch", "late", "gauge", "uniques", "months", "chars", "early"]);
});
afterAll(() => t.database.close());

const ingest = (events: unknown[]) => t.engine.usage.ingest("live", events);
const used = async (customerId: string, feature: string, workspaceId?: string) =>
  (await t.engine.entitlements.check(live(customerId), { feature, quantity: 0, workspaceId })).used;
const eventRows = async () => (await t.database.db.select({ n: count() }).from(tables.usageEvents))[0]?.n;

describe("a batch of events", () => {
  it("accepts good events and rejects each malformed one with a code, in the same batch", async () => {
    const result = await ingest([
      { id: "b1", customerId: "batch", feature: "tokens", quantity: 250 },
      { id: "b2", customerId: "batch", feature: "tokens", quantity: -3 },
      { id: "b3", customerId: "batch", feature: "tokens", quantity: Number.NaN },
      { id: "b4", customerId: "batch", feature: "nope", quantity: 1 },
      { customerId: "batch", feature: "tokens", quantity: 1 },
      { id: "b6", customerId: "someone_else", feature: "tokens", quantity: 1 },
      { id: "b7", customerId: "batch", feature: "tokens", quantity: 0.5 },
      { id: "b8", customerId: "batch", feature: "users", quantity: 1 },
      "not an event",
    ]);
    expect(result.accepted).toBe(2);
    expect(result.duplicates).toBe(0);
    expect(result.rejected.map((r) => [r.index, r.code, r.param])).toEqual([
      [1, "parameter_invalid", "quantity"],
      [2, "parameter_invalid", "quantity"],
      [3, "unknown_feature", "feature"],
      [4, "parameter_missing", "id"],
      [5, "customer_not_found", "customerId"],
      [7, "unique_property_missing", "properties.userId"],
      [8, "parameter_invalid", undefined],
    ]);
    expect(await used("batch", "tokens")).toBe(250.5);
  });

  it("reports every event of a replayed batch as a duplicate and changes nothing", async () => {
    const batch = Array.from({ length: 50 }, (_, i) => ({
      id: `r${i}`,
      customerId: "batch",
      feature: "calls",
      quantity: 1,
    }));
    expect(await ingest(batch)).toEqual({ accepted: 50, duplicates: 0, rejected: [] });
    const rowsBefore = await eventRows();
    const hourly = await t.database.db
      .select()
      .from(tables.usageHourly)
      .where(eq(tables.usageHourly.customerId, "batch"));
    expect(await ingest(batch)).toEqual({ accepted: 0, duplicates: 50, rejected: [] });
    expect(await eventRows()).toBe(rowsBefore);
    expect(
      await t.database.db.select().from(tables.usageHourly).where(eq(tables.usageHourly.customerId, "batch")),
    ).toEqual(hourly);
    expect(await used("batch", "calls")).toBe(50);
  });

  it("refuses an event from a time when the customer had no plan in force, naming the field", async () => {
    // "early" subscribed at 2026-06-15 12:00, now; "noplan" has no plan at all.
    await t.engine.customers.upsert("live", { id: "noplan" }, { id: "key_live", role: "secret" });
    const result = await ingest([
      {
        id: "e_before",
        customerId: "early",
        feature: "calls",
        quantity: 1,
        timestamp: "2026-06-15T11:59:59Z",
      },
      {
        id: "e_during",
        customerId: "early",
        feature: "calls",
        quantity: 1,
        timestamp: "2026-06-15T12:00:00Z",
      },
      { id: "e_none", customerId: "noplan", feature: "calls", quantity: 1 },
    ]);
    expect(result).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        expect.objectContaining({ index: 0, code: "no_subscription", param: "timestamp" }),
        expect.objectContaining({ index: 2, code: "no_subscription", param: "customerId" }),
      ],
    });
    expect(await used("early", "calls")).toBe(1);
  });

  it("keeps ids and properties exactly, whatever characters they hold", async () => {
    const ids = ['q"uote', "back\\slash", "com,ma", "{brace}", "NULL", "sp ace", "ünï\u{1F600}"];
    const properties = { note: 'say "hi" \\ {x}, NULL', n: 1.5 };
    const result = await ingest(
      ids.map((id) => ({ id, customerId: "chars", feature: "calls", quantity: 1, userId: id, properties })),
    );
    expect(result).toEqual({ accepted: ids.length, duplicates: 0, rejected: [] });
    const stored = await t.database.db
      .select({
        eventId: tables.usageEvents.eventId,
        userId: tables.usageEvents.userId,
        properties: tables.usageEvents.properties,
      })
      .from(tables.usageEvents)
      .where(eq(tables.usageEvents.customerId, "chars"));
    for (const id of ids) expect(stored).toContainEqual({ eventId: id, userId: id, properties });
    expect(
      await ingest(ids.map((id) => ({ id, customerId: "chars", feature: "calls", quantity: 1 }))),
    ).toEqual({
      accepted: 0,
      duplicates: ids.length,
      rejected: [],
    });
  });

  it("counts an id repeated inside one batch once", async () => {
    const result = await ingest([
      { id: "twice", customerId: "batch", feature: "runs", workspaceId: "w", quantity: 1 },
      { id: "twice", customerId: "batch", feature: "runs", workspaceId: "w", quantity: 1 },
    ]);
    expect(result).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(await used("batch", "runs", "w")).toBe(1);
  });

  it("counts each unique value once, and nothing for an id already recorded", async () => {
    const user = (id: string, userId: string) => ({
      id,
      customerId: "uniques",
      feature: "users",
      quantity: 1,
      properties: { userId },
    });
    expect((await ingest([user("u1", "ann"), user("u2", "ann"), user("u3", "bob")])).accepted).toBe(3);
    expect(await used("uniques", "users")).toBe(2);
    // A resent id brings no value, even a new one; a new id with a known value counts nothing.
    expect(await ingest([user("u1", "cy"), user("u4", "bob")])).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: [],
    });
    expect(await used("uniques", "users")).toBe(2);
    const [hour] = await t.database.db
      .select()
      .from(tables.usageHourly)
      .where(eq(tables.usageHourly.customerId, "uniques"));
    expect(hour).toMatchObject({ events: 4, firstSeen: 2 });
  });

  it("records batches sent at once whose unique values come in opposite orders, each value once", async () => {
    const users = Array.from({ length: 40 }, (_, i) => `user_${i}`);
    const batch = (tag: string, order: string[]) =>
      order.map((userId) => ({
        id: `${tag}_${userId}`,
        customerId: "uniques",
        feature: "users",
        properties: { userId },
      }));
    const before = await used("uniques", "users");
    const results = await Promise.all([
      ingest(batch("fwd", users)),
      ingest(batch("rev", [...users].reverse())),
      ingest(batch("fwd2", users)),
      ingest(batch("rev2", [...users].reverse())),
    ]);
    expect(results.map((r) => r.accepted)).toEqual([40, 40, 40, 40]);
    expect(await used("uniques", "users")).toBe(before + 40);
  });

  it("counts batches sent at once exactly, an id shared by two of them once", async () => {
    const batches = Array.from({ length: 8 }, (_, b) => [
      ...Array.from({ length: 50 }, (_, i) => ({
        id: `par_${b}_${i}`,
        customerId: "batch",
        feature: "llm",
        quantity: 1,
      })),
      { id: "par_shared", customerId: "batch", feature: "llm", quantity: 1000 },
    ]);
    const results = await Promise.all(batches.map(ingest));
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(8 * 50 + 1);
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(7);
    expect(await used("batch", "llm")).toBe(8 * 50 + 1000);
  });

  it("refuses a batch of more than 1000 events as a whole, naming the field", async () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({
      id: `x${i}`,
      customerId: "batch",
      feature: "calls",
    }));
    const rowsBefore = await eventRows();
    await expect(ingest(events)).rejects.toMatchObject({ code: "batch_too_large", param: "events" });
    expect(await eventRows()).toBe(rowsBefore);
  });

  it("does not enforce limits: ingestion records past a blocking limit", async () => {
    const events = Array.from({ length: 60 }, (_, i) => ({
      id: `over${i}`,
      customerId: "batch",
      feature: "calls",
    }));
    expect((await ingest(events)).accepted).toBe(60);
    expect(await used("batch", "calls")).toBe(110);
  });
});

describe("late and future events", () => {
  it("counts a late event in the period it belongs to while the late window is open, then refuses", async () => {
    t.clock.set("2026-07-10T00:00:00Z");
    await ingest([{ id: "p1", customerId: "late", feature: "calls", quantity: 7 }]);
    t.clock.set("2026-07-16T00:00:00Z"); // the first period closed on 07-15 12:00
    expect(await used("late", "calls")).toBe(0);
    const backfill = await ingest([
      { id: "p2", customerId: "late", feature: "calls", quantity: 3, timestamp: "2026-07-14T00:00:00Z" },
    ]);
    expect(backfill.accepted).toBe(1);
    const [row] = await t.database.db
      .select()
      .from(tables.usageEvents)
      .where(eq(tables.usageEvents.eventId, "p2"));
    expect(row?.backfill).toBe(true);
    expect(row?.windowStart.toISOString()).toBe("2026-06-15T12:00:00.000Z");
    const june = await t.engine.usage.series(live("late"), {
      feature: "calls",
      from: new Date("2026-06-15T00:00:00Z"),
      to: new Date("2026-07-16T00:00:00Z"),
      granularity: "month",
    });
    expect(june.map((p) => p.quantity)).toEqual([0, 10]);
    expect(await used("late", "calls")).toBe(0);

    t.clock.set("2026-07-18T12:00:01Z"); // 72 h after the period closed
    const tooLate = await ingest([
      { id: "p3", customerId: "late", feature: "calls", quantity: 1, timestamp: "2026-07-14T00:00:00Z" },
    ]);
    expect(tooLate.rejected).toEqual([
      expect.objectContaining({ index: 0, code: "event_too_late", param: "timestamp" }),
    ]);
  });

  it("refuses an event stamped beyond the allowed clock skew", async () => {
    const result = await ingest([
      {
        id: "f1",
        customerId: "late",
        feature: "calls",
        timestamp: new Date(t.clock().getTime() + 3_600_000).toISOString(),
      },
    ]);
    expect(result.rejected[0]?.code).toBe("timestamp_in_future");
  });
});

describe("aggregations", () => {
  it("keeps the latest value of a gauge by timestamp, whatever the arrival order", async () => {
    const now = t.clock().getTime();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    await ingest([
      { id: "g1", customerId: "gauge", feature: "gb", quantity: 30, timestamp: at(10) },
      { id: "g2", customerId: "gauge", feature: "gb", quantity: 20, timestamp: at(20) },
    ]);
    expect(await used("gauge", "gb")).toBe(30);
    await ingest([{ id: "g3", customerId: "gauge", feature: "gb", quantity: 5, timestamp: at(30) }]);
    expect(await used("gauge", "gb")).toBe(30);
    await ingest([{ id: "g4", customerId: "gauge", feature: "gb", quantity: 12.25, timestamp: at(1) }]);
    expect(await used("gauge", "gb")).toBe(12.25);
  });
});

describe("events kept by month", () => {
  const partitionsOf = async (customerId: string) =>
    (
      (await t.database.db.execute(
        sql`SELECT event_id, tableoid::regclass::text AS partition FROM usage_events
            WHERE customer_id = ${customerId} ORDER BY event_id`,
      )) as unknown as { rows: { event_id: string; partition: string }[] }
    ).rows;

  it("stores each event in its UTC month's partition, making the month's when it is first needed", async () => {
    t.clock.set("2026-09-01T00:30:00Z"); // no event of September yet: its partition does not exist
    const result = await ingest([
      { id: "m_sep", customerId: "months", feature: "calls", quantity: 2 },
      { id: "m_aug", customerId: "months", feature: "calls", quantity: 3, timestamp: "2026-08-31T23:59:59Z" },
    ]);
    expect(result).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const tracked = await t.engine.usage.track("live", {
      id: "m_track",
      customerId: "months",
      feature: "calls",
      quantity: 1,
      timestamp: "2026-08-31T23:00:00Z",
    });
    expect(tracked.recorded).toBe(true);
    expect(await partitionsOf("months")).toEqual([
      { event_id: "m_aug", partition: "usage_events_2026_08" },
      { event_id: "m_sep", partition: "usage_events_2026_09" },
      { event_id: "m_track", partition: "usage_events_2026_08" },
    ]);
  });

  it("holds an id unique across months: resent with another month's time, it is a duplicate", async () => {
    const resent = { id: "m_sep", customerId: "months", feature: "calls", quantity: 50 };
    expect(await ingest([{ ...resent, timestamp: "2026-08-31T22:00:00Z" }])).toEqual({
      accepted: 0,
      duplicates: 1,
      rejected: [],
    });
    const tracked = await t.engine.usage.track("live", { ...resent, timestamp: "2026-08-31T22:00:00Z" });
    expect(tracked.recorded).toBe(false);
    expect((await partitionsOf("months")).map((r) => r.event_id)).toEqual(["m_aug", "m_sep", "m_track"]);
    expect(await used("months", "calls")).toBe(2 + 3 + 1);
  });

  it("records the new events of a batch that also resends recorded ones, each once", async () => {
    const result = await ingest([
      { id: "m_aug", customerId: "months", feature: "calls", quantity: 100 },
      { id: "m_new", customerId: "months", feature: "calls", quantity: 4 },
    ]);
    expect(result).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(await used("months", "calls")).toBe(2 + 3 + 1 + 4);
    expect((await partitionsOf("months")).map((r) => r.partition)).toEqual([
      "usage_events_2026_08",
      "usage_events_2026_09",
      "usage_events_2026_09",
      "usage_events_2026_08",
    ]);
  });
});
