import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const rules = async () =>
  (await t.call("GET", "/v1/admin/provisioning-rules")).body.data as {
    id: string;
    domain: string;
    planKey: string;
  }[];

describe("changing and deleting provisioning rules", () => {
  it("replaces a rule's plan and overrides with a reason and an audit entry; bad input changes nothing", async () => {
    const created = await t.call("POST", "/v1/admin/provisioning-rules", {
      body: { domain: "contractors.example", planKey: "free", reason: "contractors start free" },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const before = await t.snapshot();
    for (const [body, status, param] of [
      [{ planKey: "standard" }, 400, "reason"],
      [{ planKey: "nope", reason: "x" }, 404, "planKey"],
      [
        { planKey: "standard", overrides: { additionalFeatures: ["teleport"] }, reason: "x" },
        422,
        "overrides.additionalFeatures.0",
      ],
    ] as const) {
      const refused = await t.call("PUT", `/v1/admin/provisioning-rules/${id}`, { body });
      expect(refused.status).toBe(status);
      expect(refused.body.error.param).toBe(param);
    }
    expect(
      (
        await t.call("PUT", "/v1/admin/provisioning-rules/pr_missing", {
          body: { planKey: "free", reason: "x" },
        })
      ).status,
    ).toBe(404);
    expect(await t.snapshot()).toEqual(before);

    const updated = await t.call("PUT", `/v1/admin/provisioning-rules/${id}`, {
      body: {
        planKey: "standard",
        overrides: { planLabel: "Contractor" },
        reason: "contractors get Standard",
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id,
      domain: "contractors.example",
      planKey: "standard",
      overrides: { planLabel: "Contractor" },
    });
    const audit = await t.call("GET", "/v1/admin/audit?action=provisioning_rule.updated");
    expect(audit.body.data[0]).toMatchObject({
      reason: "contractors get Standard",
      before: expect.objectContaining({ planKey: "free" }),
      after: expect.objectContaining({ planKey: "standard" }),
    });
  });

  it("deletes a rule with a reason (in the body or the query); it is gone, and a second delete is a 404", async () => {
    const rule = (await rules()).find((r) => r.domain === "contractors.example");
    if (!rule) throw new Error("the rule of the test before");
    expect((await t.call("DELETE", `/v1/admin/provisioning-rules/${rule.id}`)).status).toBe(400);
    const deleted = await t.call("DELETE", `/v1/admin/provisioning-rules/${rule.id}?reason=contract%20ended`);
    expect(deleted.status).toBe(200);
    expect((await rules()).some((r) => r.id === rule.id)).toBe(false);
    const again = await t.call("DELETE", `/v1/admin/provisioning-rules/${rule.id}`, {
      body: { reason: "again" },
    });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("provisioning_rule_not_found");
    const audit = await t.call("GET", "/v1/admin/audit?action=provisioning_rule.deleted");
    expect(audit.body.data[0]).toMatchObject({ reason: "contract ended", after: null });
  });
});

describe("archiving a plan that provisioning rules sign customers up to", () => {
  it("is refused with plan_in_use naming the domains, and allowed once the rules point elsewhere", async () => {
    await t.call("POST", "/v1/admin/plans", {
      body: { key: "interns", name: "Interns", reason: "intern program" },
    });
    const rule = await t.call("POST", "/v1/admin/provisioning-rules", {
      body: { domain: "interns.example", planKey: "interns", reason: "interns start here" },
    });
    const refused = await t.call("POST", "/v1/admin/plans/interns/archive", {
      body: { reason: "program over" },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "plan_in_use", param: "key" });
    expect(refused.body.error.message).toContain("interns.example");

    await t.call("PUT", `/v1/admin/provisioning-rules/${rule.body.id}`, {
      body: { planKey: "free", reason: "interns start free now" },
    });
    const archived = await t.call("POST", "/v1/admin/plans/interns/archive", {
      body: { reason: "program over" },
    });
    expect(archived.status).toBe(200);
  });
});

describe("a rule's plan", () => {
  it("must be one every sign-up can get: a custom or archived plan is refused naming planKey, and nothing changes", async () => {
    const rule = (await rules()).find((r) => r.domain === "interns.example");
    if (!rule) throw new Error("the rule of the test before");
    const before = await t.snapshot();
    for (const [method, path, body, code] of [
      [
        "POST",
        "/v1/admin/provisioning-rules",
        { domain: "c.example", planKey: "cronicorn_custom" },
        "plan_not_public",
      ],
      ["POST", "/v1/admin/provisioning-rules", { domain: "c.example", planKey: "interns" }, "plan_archived"],
      ["PUT", `/v1/admin/provisioning-rules/${rule.id}`, { planKey: "cronicorn_custom" }, "plan_not_public"],
      ["PUT", `/v1/admin/provisioning-rules/${rule.id}`, { planKey: "interns" }, "plan_archived"],
    ] as const) {
      const refused = await t.call(method, path, { body: { ...body, reason: "x" } });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code, param: "planKey" });
    }
    expect(await t.snapshot()).toEqual(before);
  });
});
