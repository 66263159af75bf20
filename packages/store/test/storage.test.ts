import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Database,
  executePrepared,
  openTestDatabase,
  type Query,
  type Row,
  type Statement,
  shaped,
  tables,
  transactionOpenedWith,
} from "../src/index";

/** Drizzle wraps the database error; the trigger's words are in its cause. */
const refusedAsAppendOnly = (error: unknown) =>
  /append-only/.test(String((error as { cause?: Error }).cause?.message ?? error));

const driver = process.env.DATABASE_URL ? "postgres" : "pglite";

describe(`storage on ${driver}`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it("runs the migrations on the configured driver", async () => {
    expect(database.driver).toBe(driver);
    const rows = await database.db.select().from(tables.features);
    expect(rows).toEqual([]);
  });

  it("refuses UPDATE and DELETE on the audit log", async () => {
    const [entry] = await database.db
      .insert(tables.auditLog)
      .values({
        actorId: "key_1",
        actorRole: "admin",
        action: "test.write",
        targetType: "test",
        targetId: "t1",
      })
      .returning();
    if (!entry) throw new Error("no audit row returned");
    await expect(
      database.db.update(tables.auditLog).set({ reason: "rewritten" }).where(sql`id = ${entry.id}`),
    ).rejects.toSatisfy(refusedAsAppendOnly);
    await expect(database.db.delete(tables.auditLog)).rejects.toSatisfy(refusedAsAppendOnly);
    await expect(database.db.execute(sql`TRUNCATE audit_log`)).rejects.toSatisfy(refusedAsAppendOnly);
    const [after] = await database.db.select().from(tables.auditLog);
    expect(after?.reason).toBeNull();
  });

  it("refuses to change or delete a published plan version", async () => {
    await database.db.insert(tables.plans).values({ key: "p", name: "P", kind: "standard" });
    await database.db
      .insert(tables.planVersions)
      .values({ id: "pv_p_1", planKey: "p", version: 1, terms: {} });
    await expect(
      database.db
        .update(tables.planVersions)
        .set({ terms: { basePrice: 1 } })
        .where(sql`id = 'pv_p_1'`),
    ).rejects.toSatisfy(refusedAsAppendOnly);
    await expect(database.db.delete(tables.planVersions).where(sql`id = 'pv_p_1'`)).rejects.toSatisfy(
      refusedAsAppendOnly,
    );
  });

  it("rolls back a transaction that fails part-way", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(tables.features).values({ key: "rolled_back", name: "x", type: "boolean" });
        throw new Error("stop");
      }),
    ).rejects.toThrow("stop");
    const rows = await database.db.select().from(tables.features).where(sql`key = 'rolled_back'`);
    expect(rows).toEqual([]);
  });
  it("runs a prepared statement again with new values, parsed once on a connection", async () => {
    const labelled = (n: number) =>
      shaped(
        "labelled",
        [n],
        (count) =>
          sql`SELECT n, 'unit ' || n AS label FROM generate_series(1, ${count}::int) AS n ORDER BY n DESC`,
      );
    await database.db.transaction(async (tx) => {
      expect((await executePrepared(tx, labelled(2))).rows).toEqual([
        { n: 2, label: "unit 2" },
        { n: 1, label: "unit 1" },
      ]);
      expect((await executePrepared(tx, labelled(3))).rows.map((r) => r.label)).toEqual([
        "unit 3",
        "unit 2",
        "unit 1",
      ]);
      if (driver === "postgres") {
        const prepared = await executePrepared(
          tx,
          // Split, so that this statement (prepared too) does not count itself.
          shaped(
            "prepared_count",
            [],
            () => sql`SELECT count(*)::int AS statements FROM pg_prepared_statements
                      WHERE strpos(statement, 'generate' || '_series(1, $1::int)') > 0`,
          ),
        );
        expect(prepared.rows).toEqual([{ statements: 1 }]);
      }
    });
  });
  it("refuses a second text for a statement shape, so a shape that misses what its text depends on fails", async () => {
    const one = (column: "a" | "b") =>
      shaped("one_column", [1], (v) => sql`SELECT ${v}::int AS ${sql.identifier(column)}`);
    expect((await executePrepared(database.db, one("a"))).rows).toEqual([{ a: 1 }]);
    await expect(executePrepared(database.db, one("b"))).rejects.toThrow(
      /two texts for the statement shape "one_column"/,
    );
    // A value written into the text would be bound again, unchanged, on every later use.
    const literal = shaped("literal_value", [], () => sql`SELECT ${5}::int AS n`);
    await expect(executePrepared(database.db, literal)).rejects.toThrow(/holds a value, not a placeholder/);
  });
  it("opens a transaction with statements run in order before its work, and rolls all of it back on a failure", async () => {
    const { db } = database;
    await db.execute(sql`CREATE TABLE opened_probe (n int PRIMARY KEY)`);
    const count = async () =>
      (
        (await db.execute(sql`SELECT count(*)::int AS n FROM opened_probe`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]?.n;
    const rowsOf = (query: Query): Statement<Row[]> => ({ query, answer: (rows) => rows });
    const insert = (n: number) =>
      rowsOf(
        shaped(
          "probe_insert",
          [n],
          (value) => sql`INSERT INTO opened_probe VALUES (${value}::int) RETURNING n`,
        ),
      );
    const answers = await transactionOpenedWith(
      db,
      [
        insert(1),
        { query: null, answer: () => "nothing asked" },
        rowsOf(shaped("probe_seen", [], () => sql`SELECT count(*)::int AS seen FROM opened_probe`)),
      ],
      async (tx, opened) => {
        await tx.execute(sql`INSERT INTO opened_probe VALUES (2)`);
        return opened;
      },
    );
    // The last statement began after the first: it saw its row.
    expect(answers).toEqual([[{ n: 1 }], "nothing asked", [{ seen: 1 }]]);
    expect(await count()).toBe(2);

    const failures = [
      // The work fails: what the opening statements and the work wrote is rolled back.
      transactionOpenedWith(db, [insert(3)], async (tx) => {
        await tx.execute(sql`INSERT INTO opened_probe VALUES (4)`);
        throw new Error("work failed");
      }),
      // An opening statement fails (a duplicate key): the work never runs.
      transactionOpenedWith(db, [insert(5), insert(1)], async () => {
        throw new Error("never run");
      }),
    ];
    await expect(failures[0]).rejects.toThrow("work failed");
    await expect(failures[1]).rejects.toSatisfy((error: unknown) => !/never run/.test(String(error)));
    expect(await count()).toBe(2);
    // Every connection went back to the pool outside a transaction: more transactions than the
    // pool holds connections each see only committed rows and commit their own.
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        transactionOpenedWith(db, [insert(100 + i)], async (tx) => tx.execute(sql`SELECT 1`)),
      ),
    );
    expect(await count()).toBe(27);
  });
});
