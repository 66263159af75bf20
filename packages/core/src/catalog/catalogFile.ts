import { z } from "zod";
import { fromZodError } from "../errors/fromZodError";
import { TollgateError } from "../errors/TollgateError";
import { FeatureInput } from "./feature";
import { PlanKey, PlanTerms } from "./planVersion";

/** The catalog file format this code reads and writes; a file of another format is refused. */
export const CATALOG_FORMAT = 1;

/** A feature of the file: the body of `POST /v1/admin/features` without `reason`. */
export const CatalogFeature = FeatureInput.strict();

/**
 * A plan of the file: the body of `POST /v1/admin/plans` without `reason`. Only public plans:
 * a custom plan is one customer's contract, managed with that customer, never by a catalog file.
 */
export const CatalogPlan = PlanTerms.extend({
  key: PlanKey,
  custom: z
    .literal(false, "custom plans are contracts with one customer: they are not part of a catalog file")
    .optional(),
  customerId: z.null().optional(),
}).strict();
export type CatalogPlan = z.infer<typeof CatalogPlan>;

export const CatalogFile = z
  .strictObject({
    $schema: z.string().optional(),
    tollgate: z.literal(CATALOG_FORMAT, `this reader knows catalog format ${CATALOG_FORMAT}`),
    features: z.array(CatalogFeature).max(10_000).default([]),
    plans: z.array(CatalogPlan).max(10_000).default([]),
  })
  .superRefine((file, ctx) => {
    const duplicate = (list: "features" | "plans", items: ReadonlyArray<{ key: string }>) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.key))
          ctx.addIssue({ code: "custom", path: [list, i, "key"], message: `"${item.key}" is listed twice` });
        seen.add(item.key);
      });
    };
    duplicate("features", file.features);
    duplicate("plans", file.plans);
    const planKeys = new Set(file.plans.map((p) => p.key));
    file.plans.forEach((plan, i) => {
      const fallback = plan.trial?.fallbackPlan;
      if (!fallback) return;
      const path = ["plans", i, "trial", "fallbackPlan"];
      if (fallback === plan.key)
        ctx.addIssue({ code: "custom", path, message: "a trial cannot fall back to its own plan" });
      else if (!planKeys.has(fallback))
        ctx.addIssue({ code: "custom", path, message: `the fallback plan "${fallback}" is not in the file` });
    });
  });
export type CatalogFile = z.infer<typeof CatalogFile>;
/** A catalog file as written: defaults may be left out. */
export type CatalogFileInput = z.input<typeof CatalogFile>;

/**
 * Parses a catalog file (already read from JSON or YAML). Anything wrong is a 422 whose `param`
 * is the path of the field at fault in the file (`plans.2.entitlements.ai_tokens.limit`).
 */
export function parseCatalogFile(input: unknown): CatalogFile {
  if (typeof input === "object" && input !== null && !("tollgate" in input)) {
    const message = `tollgate is required: the catalog format, "tollgate": ${CATALOG_FORMAT}`;
    throw invalidCatalog("parameter_missing", message, "tollgate");
  }
  const result = CatalogFile.safeParse(input);
  if (result.success) return result.data;
  const flat = fromZodError(result.error);
  const unknownField = result.error.issues[0]?.code === "unrecognized_keys";
  const message = unknownField ? `${flat.param}: not a field of the catalog format` : flat.message;
  throw invalidCatalog(flat.code, message, flat.param);
}

function invalidCatalog(code: string, message: string, param: string | undefined): TollgateError {
  return new TollgateError("unprocessable", code, message, param === undefined ? {} : { param });
}

/** The JSON Schema of the catalog file, generated from the zod schemas the server validates with. */
export function catalogJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(CatalogFile, {
    io: "input",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") Object.assign(ctx.jsonSchema, DATE_TIME);
    },
    unrepresentable: "any",
  });
  return { ...schema, title: "Tollgate catalog", description: CATALOG_DESCRIPTION };
}

const DATE_TIME = { type: "string", format: "date-time" };
const CATALOG_DESCRIPTION =
  "Features and public plans of a Tollgate catalog (format 1): the bodies of POST /v1/admin/features and POST /v1/admin/plans without reason. Apply with `tollgate catalog apply` or POST /v1/admin/catalog/apply.";
