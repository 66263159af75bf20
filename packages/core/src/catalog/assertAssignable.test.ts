import { describe, expect, it } from "vitest";
import { TollgateError } from "../errors/TollgateError";
import { assertAssignable } from "./assertAssignable";

const d = (iso: string) => new Date(iso);

const teamPro = { key: "team_pro", archivedAt: null, isCustom: false, customerId: null };
const cronicorn = { key: "cronicorn_2026", archivedAt: null, isCustom: true, customerId: "cronicorn" };
const openVersion = { version: 1, effectiveFrom: null, effectiveTo: null };
const dated = {
  version: 2,
  effectiveFrom: d("2026-03-01T00:00:00Z"),
  effectiveTo: d("2027-03-01T00:00:00Z"),
};

function refusal(fn: () => void) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TollgateError);
    const e = error as TollgateError;
    return { type: e.type, code: e.code, param: e.param, message: e.message };
  }
  throw new Error("expected assertAssignable to refuse");
}

describe("assertAssignable", () => {
  it("passes a live standard plan for anyone, at any time when it has no effective range", () => {
    expect(() => assertAssignable(teamPro, openVersion, "acme", d("2026-06-01T00:00:00Z"))).not.toThrow();
    expect(() => assertAssignable(teamPro, openVersion, "someone", d("1999-01-01T00:00:00Z"))).not.toThrow();
  });

  it("passes a custom plan for its own customer inside its effective range, start included", () => {
    expect(() => assertAssignable(cronicorn, dated, "cronicorn", d("2026-03-01T00:00:00Z"))).not.toThrow();
    expect(() =>
      assertAssignable(cronicorn, dated, "cronicorn", d("2027-02-28T23:59:59.999Z")),
    ).not.toThrow();
  });

  it("refuses a version before it takes effect", () => {
    expect(refusal(() => assertAssignable(cronicorn, dated, "cronicorn", d("2026-02-28T23:59:59Z")))).toEqual(
      {
        type: "unprocessable",
        code: "plan_not_yet_effective",
        param: "effectiveAt",
        message: "cronicorn_2026 v2 takes effect at 2026-03-01T00:00:00.000Z",
      },
    );
  });

  it("refuses a version once it stopped being offered, its end excluded", () => {
    for (const at of ["2027-03-01T00:00:00Z", "2030-01-01T00:00:00Z"]) {
      expect(refusal(() => assertAssignable(cronicorn, dated, "cronicorn", d(at)))).toEqual({
        type: "unprocessable",
        code: "plan_expired",
        param: "effectiveAt",
        message: "cronicorn_2026 v2 stopped being offered at 2027-03-01T00:00:00.000Z",
      });
    }
  });

  it("refuses an archived plan, even in range", () => {
    const archived = { ...teamPro, archivedAt: d("2026-05-01T00:00:00Z") };
    expect(refusal(() => assertAssignable(archived, openVersion, "acme", d("2026-06-01T00:00:00Z")))).toEqual(
      {
        type: "unprocessable",
        code: "plan_archived",
        param: "planKey",
        message: "plan team_pro is archived",
      },
    );
  });

  it("refuses a custom plan to a customer it does not belong to", () => {
    expect(refusal(() => assertAssignable(cronicorn, dated, "acme", d("2026-06-01T00:00:00Z")))).toEqual({
      type: "unprocessable",
      code: "plan_not_owned",
      param: "planKey",
      message: "custom plan cronicorn_2026 belongs to another customer",
    });
    const ownerless = { ...cronicorn, customerId: null };
    expect(refusal(() => assertAssignable(ownerless, dated, "acme", d("2026-06-01T00:00:00Z"))).code).toBe(
      "plan_not_owned",
    );
  });

  it("names one refusal per cause, even when several apply", () => {
    const archivedCustom = { ...cronicorn, archivedAt: d("2026-05-01T00:00:00Z") };
    const codes = [
      refusal(() => assertAssignable(archivedCustom, dated, "acme", d("2030-01-01T00:00:00Z"))).code,
      refusal(() => assertAssignable(cronicorn, dated, "acme", d("2030-01-01T00:00:00Z"))).code,
      refusal(() => assertAssignable(cronicorn, dated, "cronicorn", d("2020-01-01T00:00:00Z"))).code,
      refusal(() => assertAssignable(cronicorn, dated, "cronicorn", d("2030-01-01T00:00:00Z"))).code,
    ];
    expect(codes).toEqual(["plan_archived", "plan_not_owned", "plan_not_yet_effective", "plan_expired"]);
  });
});
