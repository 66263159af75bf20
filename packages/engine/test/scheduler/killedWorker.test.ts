import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { PlanTerms } from "@tollgate/core";
import { type Database, tables } from "@tollgate/store";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEngine } from "../../src/index";
import { prepareTarget, type Target } from "../childDatabase";
import { admin, live, testClock } from "../testEngine";

/**
 * "A worker killed mid-job leaves nothing half-done": a child process runs the due trial
 * expiry and is SIGKILLed inside the job's transaction, after its writes and before its
 * COMMIT. Nothing of the job is left, the job is taken over once its lease runs out, and the
 * trial expires exactly once.
 */

const root = resolve(import.meta.dirname, "../../../..");
const worker = join(import.meta.dirname, "killedWorker.ts");
const START = "2026-06-15T12:00:00Z";
const DAY = 86_400_000;
const TRIAL_END = new Date(Date.parse(START) + 14 * DAY);

let target: Target;
let database: Database | undefined;

beforeAll(async () => {
  const prepared = await prepareTarget("tollgate_killed_worker");
  target = prepared.target;
  const engine = createEngine({ database: prepared.first, clock: testClock(START) });
  await engine.features.create({ key: "exports", name: "Exports", type: "boolean" }, admin());
  await engine.plans.create(
    { key: "free", custom: false, env: "live" },
    PlanTerms.parse({ name: "Free", kind: "free" }),
    admin(),
  );
  await engine.plans.create(
    { key: "pro_trial", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Pro",
      basePrice: 5000,
      trial: { days: 14, fallbackPlan: "free" },
      entitlements: { exports: {} },
    }),
    admin(),
  );
  await engine.customers.upsert("live", { id: "lapses" }, admin().actor);
  await engine.subscriptions.assign(live("lapses"), { planKey: "pro_trial" }, admin());
  await prepared.first.close();
}, 120_000);

afterAll(async () => {
  await database?.close();
  await target.dispose();
});

it("leaves nothing half-done when the worker is killed inside a job, and the job then runs once", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", worker], {
    cwd: root,
    env: {
      ...process.env,
      ...target.childEnv,
      KILL_CLOCK: new Date(TRIAL_END.getTime() + DAY).toISOString(),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise((done) => child.once("exit", done));
  const inTransaction = await new Promise<boolean>((done) => {
    createInterface({ input: child.stdout }).on("line", (line) => line === "in-tx" && done(true));
    child.once("exit", () => done(false));
  });
  expect(inTransaction, stderr).toBe(true);
  child.kill("SIGKILL");
  await exited;

  database = await target.open();
  await target.childGone(database);
  const s = tables.subscriptions;
  const contracts = () =>
    database?.db.select().from(s).where(eq(s.customerId, "lapses")).orderBy(asc(s.effectiveFrom)) ?? [];
  const expired = () =>
    database?.db
      .select()
      .from(tables.outbox)
      .where(and(eq(tables.outbox.customerId, "lapses"), eq(tables.outbox.type, "trial_expired"))) ?? [];
  expect(await contracts()).toMatchObject([{ planKey: "pro_trial", status: "trialing", effectiveTo: null }]);
  expect(await expired()).toHaveLength(0);
  const [job] = await database.db.select().from(tables.jobs);
  expect(job).toMatchObject({ kind: "trial_expiry", status: "running", attempts: 1 });

  // Another worker, once the dead one's lease has run out.
  const later = createEngine({ database, clock: () => new Date(TRIAL_END.getTime() + DAY + 120_000) });
  expect(await later.scheduler.runDue()).toMatchObject({ ran: 1, failed: 0 });
  expect(await later.scheduler.runDue()).toMatchObject({ ran: 0 });
  const after = await contracts();
  expect(
    after.map((c) => [c.planKey, c.effectiveFrom.toISOString(), c.effectiveTo?.toISOString() ?? null]),
  ).toEqual([
    ["pro_trial", START.replace("Z", ".000Z"), TRIAL_END.toISOString()],
    ["free", TRIAL_END.toISOString(), null],
  ]);
  expect(await expired()).toHaveLength(1);
}, 120_000);
