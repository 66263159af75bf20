import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openTestDatabase, tables } from "../src/index";

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
});
