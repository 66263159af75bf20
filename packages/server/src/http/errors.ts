import { type ErrorType, TollgateError } from "@tollgate/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one table from error kind to HTTP status. */
const STATUS: Record<ErrorType, ContentfulStatusCode> = {
  invalid_request: 400,
  unprocessable: 422,
  authentication: 401,
  permission: 403,
  not_found: 404,
  conflict: 409,
  payment_required: 402,
  rate_limited: 429,
  upstream: 502,
  internal: 500,
};

/** Wire types: 422 is still an invalid request to the caller, as API.md lists the types. */
const WIRE_TYPE: Partial<Record<ErrorType, string>> = {
  unprocessable: "invalid_request",
  payment_required: "invalid_request",
  upstream: "internal",
};

export interface ErrorBody {
  error: { type: string; code: string; message: string; param?: string; details?: unknown };
}

export function errorBody(error: TollgateError): ErrorBody {
  return {
    error: {
      type: WIRE_TYPE[error.type] ?? error.type,
      code: error.code,
      message: error.message,
      ...(error.param === undefined ? {} : { param: error.param }),
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

export function statusOf(error: TollgateError): ContentfulStatusCode {
  return STATUS[error.type];
}

/** Maps anything thrown in a handler to the error shape; unknown errors are logged and hidden. */
export function toErrorResponse(error: unknown, c: Context): Response {
  if (error instanceof TollgateError) return c.json(errorBody(error), statusOf(error));
  if (error instanceof HTTPException && error.status < 500) {
    const code = /json/i.test(error.message) ? "invalid_json" : "bad_request";
    return c.json(errorBody(new TollgateError("invalid_request", code, error.message)), error.status as 400);
  }
  c.get("logger")?.error({ err: error }, "unhandled error");
  return c.json(
    errorBody(new TollgateError("internal", "internal_error", "something went wrong on our side")),
    500,
  );
}
