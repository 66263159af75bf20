import { afterAll, beforeAll, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const seats = "/v1/customers/acme/seats";

it("adds, updates, lists and removes seats through the secret key", async () => {
  const added = await t.call("POST", seats, {
    key: "liveSecret",
    body: { id: "u_1", role: "admin", email: "a@acme.test" },
  });
  expect(added.status).toBe(201);
  expect(added.body).toMatchObject({ id: "u_1", role: "admin", email: "a@acme.test" });
  expect(
    (await t.call("POST", seats, { key: "liveSecret", body: { id: "u_1", role: "viewer" } })).status,
  ).toBe(200);
  const list = await t.call("GET", seats, { key: "liveSecret" });
  expect(list.body).toMatchObject({ data: [{ id: "u_1", role: "viewer" }], limit: 50, unlimited: false });
  expect((await t.call("DELETE", `${seats}/u_1`, { key: "liveSecret" })).status).toBe(200);
  const again = await t.call("DELETE", `${seats}/u_1`, { key: "liveSecret" });
  expect(again.status).toBe(404);
  expect(again.body.error.code).toBe("seat_not_found");
});

it("names a bad field, refuses a viewer key, and changes nothing", async () => {
  const before = await t.snapshot();
  const bad = await t.call("POST", seats, { key: "liveSecret", body: { id: "u_2", role: "owner" } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.param).toBe("role");
  expect((await t.call("POST", seats, { key: "viewer", body: { id: "u_2" } })).status).toBe(403);
  expect(await t.snapshot()).toEqual(before);
});
