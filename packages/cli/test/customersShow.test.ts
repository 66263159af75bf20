import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../server/test/testApp";
import { customersShow } from "../src/customersShow";
import { captureIo } from "./captureIo";

let t: TestApp;
const acme = { env: "live" as const, customerId: "acme" };

beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

describe("tollgate customers show", () => {
  it("prints the customer, its subscription and each entitlement with its source", async () => {
    const { io, stdout } = captureIo();

    expect(await customersShow(t.engine, acme, { explain: false, json: false }, io)).toBe(0);

    const text = stdout();
    const [override] = await t.engine.overrides.list(acme);
    expect(text).toMatch(/^customer live\/acme: Acme Corp/);
    expect(text).toMatch(/plan Acme Corp Enterprise \(team_pro v1, standard\); subscription sub_\S+ active/);
    expect(text).toContain("seats 0 of 50");
    expect(text).toMatch(
      /ai_tokens\s+metered\s+yes\s+1000000\s+0\s+1000000\s+billable_overage\s+team_pro v1/,
    );
    expect(text).toMatch(new RegExp(`sla_custom\\s+boolean\\s+yes\\s+unlimited.*override ${override?.id}`));
    expect(text).not.toContain("why: each value");
  });

  it("--explain names the rows every value came from, in the order applied", async () => {
    const { io, stdout } = captureIo();

    await customersShow(t.engine, acme, { explain: true, json: false }, io);

    const text = stdout();
    const [override] = await t.engine.overrides.list(acme);
    expect(text).toContain("why: each value and the rows it came from");
    expect(text).toMatch(new RegExp(`\\(plan\\)\\s+seats\\.limit\\s+50\\s+override ${override?.id}`));
    expect(text).toMatch(/\(plan\)\s+basePrice\s+4900\s+team_pro v1/);
    expect(text).toMatch(/ai_tokens\s+thresholds\s+\[0\.8,0\.9,1\]\s+team_pro v1/);
    expect(text).toMatch(new RegExp(`infra_dedicated\\s+enabled\\s+true\\s+override ${override?.id}`));
  });

  it("--json prints GET /v1/customers/:id with the entitlements GET …/entitlements?explain=true answers", async () => {
    const { io, stdout } = captureIo();

    await customersShow(t.engine, acme, { explain: true, json: true }, io);

    const customer = await t.call("GET", "/v1/customers/acme", { key: "liveSecret" });
    const entitlements = await t.call("GET", "/v1/customers/acme/entitlements?explain=true", {
      key: "liveSecret",
    });
    expect(JSON.parse(stdout())).toEqual({ ...customer.body, entitlements: entitlements.body });
  });

  it("--at shows the contract in force at that instant", async () => {
    const { io, stdout } = captureIo();

    await customersShow(
      t.engine,
      acme,
      { explain: false, json: true, at: new Date("2020-01-01T00:00:00Z") },
      io,
    );

    const shown = JSON.parse(stdout());
    expect(shown.subscription).toBeNull();
    expect(shown.entitlements).toMatchObject({
      at: "2020-01-01T00:00:00.000Z",
      plan: null,
      entitlements: [],
    });
  });

  it("refuses an unknown customer with the engine's code", async () => {
    const { io } = captureIo();
    await expect(
      customersShow(t.engine, { env: "test", customerId: "acme" }, { explain: false, json: false }, io),
    ).rejects.toMatchObject({ code: "customer_not_found" });
  });
});
