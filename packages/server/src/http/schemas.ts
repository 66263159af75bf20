import { z } from "@hono/zod-openapi";

/** Every mutating admin request says why. */
export const Reason = z.string().trim().min(1, "reason is required").max(500);
export const EnvName = z.enum(["live", "test"]);

export const ErrorResponse = z
  .object({
    error: z.object({
      type: z.string(),
      code: z.string(),
      message: z.string(),
      param: z.string().optional(),
    }),
  })
  .openapi("Error");

/** A JSON object answer; its fields are described in API.md and the route summaries. */
export const JsonObject = z.record(z.string(), z.unknown()).openapi("Object");

export const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });

/** A DELETE's reason, in its (optional) JSON body or as `?reason=`: some clients send no body on DELETE. */
export const ReasonQuery = z.object({ reason: Reason.optional() });
export const OptionalReasonBody = { required: false, ...json(ReasonQuery) };

export const errors = {
  400: { description: "invalid request; `param` names the field at fault", ...json(ErrorResponse) },
  401: { description: "missing or invalid API key", ...json(ErrorResponse) },
  403: { description: "the key lacks the right", ...json(ErrorResponse) },
  404: { description: "not found", ...json(ErrorResponse) },
  409: { description: "conflict", ...json(ErrorResponse) },
  422: { description: "valid shape, but a business rule refuses it", ...json(ErrorResponse) },
};

export const answer = (description: string, schema: z.ZodType = JsonObject) => ({
  description,
  ...json(schema),
});

export const Pagination = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  starting_after: z.string().min(1).optional(),
});

export const Flag = z
  .enum(["true", "false"])
  .optional()
  .transform((v) => v === "true");
