import { PlanTerms } from "@tollgate/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, live, openTestEngine, type TestEngine } from "../testEngine";

let t: TestEngine;

beforeAll(async () => {
  t = await openTestEngine("2027-03-01T00:00:00Z");
  await t.engine.features.create({ key: "api", name: "API", type: "boolean" }, admin());
  const plan = (key: string, terms: object) =>
    t.engine.plans.create(
      { key, custom: false, env: "live" },
      PlanTerms.parse({ name: key, entitlements: { api: {} }, ...terms }),
      admin(),
    );
  // $49 a month with 2 seats included, $15 a seat past them.
  await plan("team", { basePrice: 4900, seats: { price: 1500, included: 2 } });
  await plan("business", { basePrice: 9900, seats: { price: 3000, included: 2 } });
  await plan("team_yearly", { basePrice: 49_000, interval: "year", seats: { price: 15_000 } });
  await plan("trialled", { basePrice: 4900, trial: { days: 14 }, seats: { price: 1500 } });
});
afterAll(() => t.database.close());

interface Line {
  kind: string;
  description: string;
  quantity: number;
  amount: number;
  exactAmount: string;
  periodStart: string;
  periodEnd: string;
  source: { kind: string } | null;
}

const seatsOf = (lines: unknown) => (lines as Line[]).filter((l) => l.kind === "seats");
const addSeats = async (customerId: string, ids: string[]) => {
  for (const id of ids) await t.engine.seats.add(live(customerId), { id }, admin().actor);
};
const closePeriod = async (at: string, customerId: string) => {
  t.clock.set(at);
  await t.engine.invoices.finalizeDue();
  const [invoice] = await t.engine.invoices.list(live(customerId));
  if (!invoice) throw new Error(`no invoice for ${customerId}`);
  return invoice;
};

describe("seats priced by the plan", () => {
  it("bills each day at the seats held at its end, past the included ones; the lines sum to the total", async () => {
    t.clock.set("2027-03-01T00:00:00Z");
    await t.engine.customers.upsert("live", { id: "acme" }, admin().actor);
    await t.engine.subscriptions.assign(live("acme"), { planKey: "team" }, admin("signed up"));
    await addSeats("acme", ["ann", "bob", "cid"]); // 3 held, 1 past the included 2
    t.clock.set("2027-03-10T15:00:00Z");
    await addSeats("acme", ["dee"]); // from March 10: 2 past
    t.clock.set("2027-03-20T09:00:00Z");
    await t.engine.seats.remove(live("acme"), "bob", admin().actor); // from March 20: 1 past

    const preview = await t.engine.invoices.upcoming(live("acme"));
    const invoice = await closePeriod("2027-04-01T00:00:05Z", "acme");
    const seats = seatsOf(invoice.lines);
    expect(seats.map((l) => [l.quantity, l.amount, l.exactAmount])).toEqual([
      [1, 435, "435.483870967742"], // 1 × 1500 × 9/31 = 435.48
      [2, 968, "967.741935483871"], // 2 × 1500 × 10/31 = 967.74
      [1, 581, "580.645161290323"], // 1 × 1500 × 12/31 = 580.65
    ]);
    expect(seats.map((l) => [l.periodStart, l.periodEnd])).toEqual([
      ["2027-03-01T00:00:00.000Z", "2027-03-10T15:00:00.000Z"],
      ["2027-03-10T15:00:00.000Z", "2027-03-20T09:00:00.000Z"],
      ["2027-03-20T09:00:00.000Z", "2027-04-01T00:00:00.000Z"],
    ]);
    expect(seats[1]?.description).toBe("2 seats past 2 included × 15.00 usd for 10 of 31 days");
    expect(seats[0]?.source).toMatchObject({ kind: "plan_version" });
    expect(invoice.subtotal).toBe(4900 + 435 + 968 + 581);
    const lines = invoice.lines as Line[];
    expect(lines.reduce((sum, l) => sum + l.amount, 0)).toBe(invoice.subtotal);
    // The preview, taken before the close, rated the same seats.
    expect(seatsOf(preview.lines).map((l) => l.amount)).toEqual([435, 968, 581]);
  });

  it("bills a seat removed and added again for both stretches it was held, and no seat line when none is past the included", async () => {
    // April opens with ann, cid and dee held (1 past the included 2); dee leaves and comes back.
    t.clock.set("2027-04-05T00:00:00Z");
    await t.engine.seats.remove(live("acme"), "dee", admin().actor); // 2 held: none billed
    t.clock.set("2027-04-25T12:00:00Z");
    await addSeats("acme", ["dee"]); // April 25–30: 1 past
    const invoice = await closePeriod("2027-05-01T00:00:05Z", "acme");
    expect(seatsOf(invoice.lines).map((l) => [l.quantity, l.amount, l.periodStart])).toEqual([
      [1, 200, "2027-04-01T00:00:00.000Z"], // 1 × 1500 × 4/30
      [1, 300, "2027-04-25T12:00:00.000Z"], // 1 × 1500 × 6/30
    ]);
  });

  it("takes an override's seat price and included seats, with the override as the line's source", async () => {
    t.clock.set("2027-05-01T00:00:05Z");
    await t.engine.overrides.set(
      live("acme"),
      { overrides: { monthlySeatPrice: 1200, includedSeats: 1 } },
      admin("Acme MSA: $12 a seat past the first"),
    );
    const preview = await t.engine.invoices.upcoming(live("acme"));
    const [line] = seatsOf(preview.lines);
    expect(line).toMatchObject({ quantity: 2, amount: 2400, source: { kind: "override" } });
    expect(line?.description).toBe("2 seats past 1 included × 12.00 usd for 31 of 31 days");
  });

  it("shares a split period's days between the contracts at each one's seat price", async () => {
    t.clock.set("2027-06-01T00:00:00Z");
    await t.engine.customers.upsert("live", { id: "grower" }, admin().actor);
    await t.engine.subscriptions.assign(live("grower"), { planKey: "team" }, admin("signed up"));
    await addSeats("grower", ["a", "b", "c", "d"]); // 2 past the included 2
    t.clock.set("2027-06-11T08:00:00Z"); // June 1–10 on Team, from the 11th on Business
    await t.engine.subscriptions.assign(live("grower"), { planKey: "business" }, admin("grew"));
    const invoice = await closePeriod("2027-07-01T00:00:05Z", "grower");
    expect(seatsOf(invoice.lines).map((l) => [l.quantity, l.amount, l.description])).toEqual([
      [2, 1000, "2 seats past 2 included × 15.00 usd for 10 of 30 days"],
      [2, 4000, "2 seats past 2 included × 30.00 usd for 20 of 30 days"],
    ]);
    const lines = invoice.lines as Line[];
    expect(lines.reduce((sum, l) => sum + l.amount, 0)).toBe(invoice.subtotal);
  });

  it("prices a yearly plan's seats per year, and an override's monthly seat price twelve times", async () => {
    t.clock.set("2027-07-01T00:00:00Z");
    await t.engine.customers.upsert("live", { id: "annual" }, admin().actor);
    await t.engine.subscriptions.assign(live("annual"), { planKey: "team_yearly" }, admin("signed up"));
    await addSeats("annual", ["a", "b"]);
    const before = await t.engine.invoices.upcoming(live("annual"));
    expect(seatsOf(before.lines).map((l) => [l.quantity, l.amount])).toEqual([[2, 30_000]]);
    await t.engine.overrides.set(live("annual"), { overrides: { monthlySeatPrice: 1000 } }, admin("deal"));
    const after = await t.engine.invoices.upcoming(live("annual"));
    expect(seatsOf(after.lines).map((l) => [l.quantity, l.amount])).toEqual([[2, 24_000]]);
  });

  it("bills no seat while the trial runs", async () => {
    t.clock.set("2027-08-01T00:00:00Z");
    await t.engine.customers.upsert("live", { id: "trier" }, admin().actor);
    await t.engine.subscriptions.assign(live("trier"), { planKey: "trialled" }, admin("trial"));
    await addSeats("trier", ["a"]);
    const invoice = await closePeriod("2027-09-01T00:00:05Z", "trier");
    // 14 trial days free, then 17 of August's 31 days: 1500 × 17/31 = 822.58
    expect(seatsOf(invoice.lines).map((l) => [l.quantity, l.amount, l.periodStart])).toEqual([
      [1, 823, "2027-08-15T00:00:00.000Z"],
    ]);
  });
});
