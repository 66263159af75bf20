import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, ensureEventPartitions, migrationsFolder, openTestDatabase } from "../src/index";

const driver = process.env.DATABASE_URL ? "postgres" : "pglite";

/** The migrations as they were before usage events were partitioned (up to 0015). */
function migrationsBefore(tag: string): string {
  const folder = mkdtempSync(join(tmpdir(), "tollgate-migrations-"));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

const rows = async (database: Database, query: ReturnType<typeof sql>) =>
  ((await database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;

describe(`partitioning usage events by month on ${driver}`, () => {
  let database: Database;
  let older: string;
  beforeAll(async () => {
    database = await openTestDatabase({ migrated: false });
    older = migrationsBefore("0016_partition_usage_events");
    await database.migrate(older);
  });
  afterAll(async () => {
    rmSync(older, { recursive: true, force: true });
    await database.close();
  });

  it("keeps every event recorded before the upgrade, in its month, with its id still unique", async () => {
    await database.db.execute(sql`
      INSERT INTO usage_events (env, customer_id, event_id, feature_key, quantity, timestamp, received_at,
                                properties, window_start, backfill)
      VALUES ('live', 'acme', 'e1', 'calls', 2.5, '2026-01-31T23:59:59.999Z', now(), '{"model":"a"}', '2026-01-15T00:00:00Z', false),
             ('live', 'acme', 'e2', 'calls', 1, '2026-02-01T00:00:00Z', now(), NULL, '2026-01-15T00:00:00Z', true),
             ('test', 'acme', 'e1', 'calls', 7, '2026-03-10T12:00:00Z', now(), NULL, '2026-03-01T00:00:00Z', false)`);
    await database.migrate();

    expect(
      await rows(
        database,
        sql`SELECT env, event_id, quantity::text AS quantity, properties, backfill, tableoid::regclass::text AS partition
            FROM usage_events ORDER BY env, event_id`,
      ),
    ).toEqual([
      {
        env: "live",
        event_id: "e1",
        quantity: "2.500000000",
        properties: { model: "a" },
        backfill: false,
        partition: "usage_events_2026_01",
      },
      {
        env: "live",
        event_id: "e2",
        quantity: "1.000000000",
        properties: null,
        backfill: true,
        partition: "usage_events_2026_02",
      },
      {
        env: "test",
        event_id: "e1",
        quantity: "7.000000000",
        properties: null,
        backfill: false,
        partition: "usage_events_2026_03",
      },
    ]);
    expect(
      await rows(database, sql`SELECT env, event_id FROM usage_event_ids ORDER BY env, event_id`),
    ).toEqual([
      { env: "live", event_id: "e1" },
      { env: "live", event_id: "e2" },
      { env: "test", event_id: "e1" },
    ]);
    await expect(
      database.db.execute(sql`INSERT INTO usage_event_ids (customer_id, env, event_id, timestamp)
                              VALUES ('acme', 'live', 'e2', '2026-05-01T00:00:00Z')`),
    ).rejects.toThrow();
  });

  it("makes a month's partition once, whoever asks, and refuses an event whose month has none", async () => {
    await Promise.all([
      ensureEventPartitions(database.db, [new Date("2026-04-30T23:00:00Z")]),
      database.db.execute(sql`SELECT usage_events_partition('2026-04-01T00:00:00Z')`),
    ]);
    const months = await rows(
      database,
      sql`SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'usage_events'::regclass AND c.relname = 'usage_events_2026_04'`,
    );
    expect(months).toHaveLength(1);
    expect(String(months[0]?.bound)).toMatch(
      /FROM \('2026-04-01 00:00:00\+00'\) TO \('2026-05-01 00:00:00\+00'\)/,
    );
    await expect(
      database.db.execute(sql`INSERT INTO usage_events (env, customer_id, event_id, feature_key, quantity, timestamp,
                                                         received_at, window_start)
                              VALUES ('live', 'acme', 'e9', 'calls', 1, '2027-06-01T00:00:00Z', now(), now())`),
    ).rejects.toThrow();
  });
});
