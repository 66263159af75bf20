import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { live, openTestEngine, type TestEngine } from "../testEngine";
import { seedMeteredPlan } from "./meteringFixture";

let t: TestEngine;
beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await seedMeteredPlan(t, ["team", "race"]);
});
afterAll(() => t.database.close());

const actor = { id: "key_test_secret", role: "secret" };
const add = (customerId: string, id: string, role = "builder") =>
  t.engine.seats.add(live(customerId), { id, role }, actor);

describe("seats", () => {
  it("adds seats up to the plan's blocking limit, then refuses with seat_limit_reached", async () => {
    for (const id of ["ann", "bob", "cy"]) expect((await add("team", id)).created).toBe(true);
    await expect(add("team", "dee")).rejects.toMatchObject({
      code: "seat_limit_reached",
      type: "payment_required",
    });
    expect((await t.engine.seats.list(live("team"))).map((s) => s.id)).toEqual(["ann", "bob", "cy"]);
  });

  it("changes a held seat's role without counting it again", async () => {
    const { seat, created } = await add("team", "bob", "admin");
    expect(created).toBe(false);
    expect(seat.role).toBe("admin");
  });

  it("frees a seat on removal and shows the count in the entitlements", async () => {
    await t.engine.seats.remove(live("team"), "cy", actor);
    await expect(t.engine.seats.remove(live("team"), "cy", actor)).rejects.toMatchObject({
      code: "seat_not_found",
    });
    expect((await add("team", "dee")).created).toBe(true);
    const view = await t.engine.entitlements.get(live("team"));
    expect(view.seats).toEqual({ limit: 3, used: 3, unlimited: false, price: 0, included: 0 });
  });

  it("multiplies the included credits by the seats held", async () => {
    expect((await t.engine.credits.get(live("team"))).balance).toBe(300);
  });

  it("lets exactly 3 of 20 concurrent additions through", async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => add("race", `u${i}`)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.every((r) => (r as PromiseRejectedResult).reason.code === "seat_limit_reached")).toBe(
      true,
    );
    expect(await t.engine.seats.list(live("race"))).toHaveLength(3);
  });

  it("names the field of a bad seat", async () => {
    await expect(add("team", "")).rejects.toMatchObject({ param: "id" });
    await expect(add("team", "eve", "owner")).rejects.toMatchObject({ param: "role" });
  });
});
