import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDemo } from "@tollgate/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type EmbeddedEngine } from "../src/embedded/index";

const dataDir = mkdtempSync(join(tmpdir(), "tollgate-sdk-embedded-"));
let tollgate: EmbeddedEngine;
beforeAll(async () => {
  tollgate = await createEngine({ dataDir });
  await seedDemo(tollgate.engine);
});
afterAll(async () => {
  await tollgate.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("createEngine (embedded, no server)", () => {
  it("answers check, track, entitlements and events in process from the database in dataDir", async () => {
    expect(await tollgate.check("initech", "ai_credits", 2)).toMatchObject({ allowed: true, limit: 50 });
    const tracked = await tollgate.track({
      customerId: "initech",
      feature: "ai_credits",
      quantity: 40,
      id: "emb-1",
    });
    expect(tracked).toMatchObject({ recorded: true, decision: { used: 40, remaining: 10 } });
    const refused = await tollgate.track({
      customerId: "initech",
      feature: "ai_credits",
      quantity: 20,
      id: "emb-2",
    });
    expect(refused).toMatchObject({
      recorded: false,
      decision: { allowed: false, reason: "limit_exceeded" },
    });
    const view = await tollgate.entitlements("acme");
    expect(view.plan?.label).toBe("Acme Corp Enterprise");
    const ingested = await tollgate.events([
      { customerId: "globex", feature: "workflow_runs", quantity: 1, id: "emb-evt-1" },
    ]);
    expect(ingested).toMatchObject({ accepted: 1, duplicates: 0 });
  });
});
