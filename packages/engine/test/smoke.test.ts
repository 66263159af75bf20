import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemo } from "../src/index";
import { live, openTestEngine, type TestEngine } from "./testEngine";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine();
});
afterAll(() => t.database.close());

it("seeds the demo and resolves Acme", async () => {
  expect(await seedDemo(t.engine)).toEqual({ seeded: true });
  const view = await t.engine.entitlements.get(live("acme"), { explain: true });
  expect(view.plan?.label).toBe("Acme Corp Enterprise");
  expect(await seedDemo(t.engine)).toEqual({ seeded: false });
});
