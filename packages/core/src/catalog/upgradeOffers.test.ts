import { describe, expect, it } from "vitest";
import { isSelfServe, type PlanOffer, upgradeOffers } from "./upgradeOffers";

const at = new Date("2026-06-15T12:00:00Z");
const contract = (changes: Partial<Parameters<typeof isSelfServe>[0] & object> = {}) => ({
  plan: {
    key: "standard",
    version: 1,
    versionId: "pv_1",
    name: "Standard",
    label: "Standard",
    kind: "standard" as const,
    custom: false,
  },
  overrideSetId: null,
  skipBilling: false,
  basePrice: 2900,
  currency: "usd",
  interval: "month" as const,
  ...changes,
});
const offer = (
  key: string,
  basePrice: number,
  changes: Partial<PlanOffer["plan"] & PlanOffer["version"]> = {},
) => ({
  plan: {
    key,
    kind: changes.kind ?? "standard",
    isCustom: changes.isCustom ?? false,
    archivedAt: changes.archivedAt ?? null,
  },
  version: {
    name: key,
    kind: changes.kind ?? "standard",
    basePrice,
    currency: changes.currency ?? "usd",
    interval: changes.interval ?? "month",
    effectiveFrom: changes.effectiveFrom ?? null,
    effectiveTo: changes.effectiveTo ?? null,
  },
});

describe("isSelfServe", () => {
  it("is true only on a catalog plan without an override set in force and with billing", () => {
    expect(isSelfServe(contract())).toBe(true);
    expect(isSelfServe(null)).toBe(false);
    expect(isSelfServe(contract({ overrideSetId: "ov_acme" }))).toBe(false);
    expect(isSelfServe(contract({ skipBilling: true }))).toBe(false);
    expect(isSelfServe(contract({ plan: { ...contract().plan, custom: true } }))).toBe(false);
  });
});

describe("upgradeOffers", () => {
  it("offers the plans priced above the current one, cheapest first, and never the current plan", () => {
    const offers = [
      offer("enterprise", 99_900),
      offer("free", 0),
      offer("team_pro", 4900),
      offer("standard", 2900),
      offer("team_standard", 2900),
    ];
    expect(upgradeOffers(contract(), offers, at).map((o) => o.plan.key)).toEqual(["team_pro", "enterprise"]);
  });

  it("leaves out custom, archived and trial plans, other currencies and intervals, and versions not offered at the instant", () => {
    const offers = [
      offer("custom", 9_000, { isCustom: true }),
      offer("archived", 9_000, { archivedAt: new Date("2026-01-01T00:00:00Z") }),
      offer("trial", 9_000, { kind: "trial" }),
      offer("euro", 9_000, { currency: "eur" }),
      offer("yearly", 90_000, { interval: "year" }),
      offer("later", 9_000, { effectiveFrom: new Date("2026-07-01T00:00:00Z") }),
      offer("ended", 9_000, { effectiveTo: at }),
      offer("open", 9_000, { effectiveFrom: at, effectiveTo: new Date("2026-06-15T12:00:01Z") }),
    ];
    expect(upgradeOffers(contract(), offers, at).map((o) => o.plan.key)).toEqual(["open"]);
  });

  it("offers nothing to a customer who is not self-serve", () => {
    const offers = [offer("team_pro", 4900)];
    expect(upgradeOffers(contract({ overrideSetId: "ov_acme" }), offers, at)).toEqual([]);
    expect(upgradeOffers(contract({ skipBilling: true }), offers, at)).toEqual([]);
    expect(upgradeOffers(null, offers, at)).toEqual([]);
  });
});
