import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { TollgateError } from "../errors/TollgateError";
import { catalogJsonSchema, parseCatalogFile } from "./catalogFile";

const committed = resolve(import.meta.dirname, "../../../../docs/catalog.schema.json");

function refusal(input: unknown): Pick<TollgateError, "type" | "code" | "param" | "message"> {
  try {
    parseCatalogFile(input);
  } catch (error) {
    if (!(error instanceof TollgateError)) throw error;
    return { type: error.type, code: error.code, param: error.param, message: error.message };
  }
  throw new Error("the file was accepted");
}

describe("the catalog file", () => {
  it("docs/catalog.schema.json is the schema generated from the zod schemas (UPDATE_CATALOG_SCHEMA=1 rewrites it)", () => {
    if (process.env.UPDATE_CATALOG_SCHEMA)
      writeFileSync(committed, `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`);
    expect(JSON.parse(readFileSync(committed, "utf8"))).toEqual(catalogJsonSchema());
  });

  it("the schema describes the file as it is written: defaults optional, instants as date-time strings", () => {
    const schema = catalogJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: { plans: { items: { required: string[]; properties: Record<string, unknown> } } };
    };
    expect(schema.required).toEqual(["tollgate"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.plans.items.required.sort()).toEqual(["key", "name"]);
    expect(schema.properties.plans.items.properties.effectiveFrom).toEqual({
      anyOf: [{ type: "string", format: "date-time" }, { type: "null" }],
    });
  });

  it("fills the defaults of the API bodies, and accepts a pasted body's custom: false", () => {
    const file = parseCatalogFile({
      tollgate: 1,
      features: [{ key: "sso", name: "SSO", type: "boolean" }],
      plans: [{ key: "pro", name: "Pro", custom: false, customerId: null, entitlements: { sso: {} } }],
    });
    expect(file.plans[0]).toMatchObject({
      key: "pro",
      kind: "standard",
      currency: "usd",
      basePrice: 0,
      trial: null,
    });
  });

  it("refuses what it does not know, at the path of the field, as a 422", () => {
    expect(refusal({ tollgate: 1, plans: [{ key: "pro", name: "Pro", entitlments: {} }] })).toEqual({
      type: "unprocessable",
      code: "parameter_invalid",
      param: "plans.0.entitlments",
      message: "plans.0.entitlments: not a field of the catalog format",
    });
    expect(refusal({ plans: [] })).toMatchObject({ code: "parameter_missing", param: "tollgate" });
    expect(refusal({ tollgate: 1, reason: "why" })).toMatchObject({ param: "reason" });
    expect(
      refusal({ tollgate: 1, features: [{ key: "x", name: "X", type: "boolean", aggregation: "sum" }] }),
    ).toMatchObject({ param: "features.0.aggregation" });
  });

  it("keeps a file self-contained: unique keys, trials falling back to a plan of the file", () => {
    const plan = (key: string, fallbackPlan?: string) => ({
      key,
      name: key,
      ...(fallbackPlan ? { trial: { days: 7, fallbackPlan } } : {}),
    });
    expect(refusal({ tollgate: 1, plans: [plan("a"), plan("a")] })).toMatchObject({ param: "plans.1.key" });
    expect(refusal({ tollgate: 1, plans: [plan("a", "b")] })).toMatchObject({
      param: "plans.0.trial.fallbackPlan",
    });
    expect(refusal({ tollgate: 1, plans: [plan("a", "a")] })).toMatchObject({
      param: "plans.0.trial.fallbackPlan",
    });
    expect(parseCatalogFile({ tollgate: 1, plans: [plan("a", "b"), plan("b")] }).plans).toHaveLength(2);
  });
});
