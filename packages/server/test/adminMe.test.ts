import { afterAll, beforeAll, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

it("an admin key learns its own role from GET /v1/admin/me, without its secret", async () => {
  for (const role of ["admin", "operator", "viewer"] as const) {
    const { status, body } = await t.call("GET", "/v1/admin/me", { key: role });
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: "admin", role });
    expect(typeof body.id).toBe("string");
    expect(JSON.stringify(body)).not.toContain("tg_demo");
    expect(body).not.toHaveProperty("secretHash");
  }
});

it("GET /v1/admin/me refuses a secret key and a bad one", async () => {
  expect((await t.call("GET", "/v1/admin/me", { key: "liveSecret" })).status).toBe(403);
  expect((await t.call("GET", "/v1/admin/me", { key: "tg_not_a_key" })).body.error.code).toBe(
    "invalid_api_key",
  );
});
