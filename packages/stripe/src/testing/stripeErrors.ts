/** Stripe's error object, as its API answers it. */
export interface StripeErrorBody {
  type: "invalid_request_error" | "idempotency_error" | "api_error";
  code?: string;
  message: string;
  param?: string;
}

/** Thrown by a route handler; the server answers `{ error }` with the status. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = "StripeApiError";
  }
}

export const parameterMissing = (param: string) =>
  new StripeApiError(400, {
    type: "invalid_request_error",
    code: "parameter_missing",
    message: `Missing required param: ${param}.`,
    param,
  });

export const parameterInvalid = (param: string, message: string) =>
  new StripeApiError(400, { type: "invalid_request_error", code: "parameter_invalid", message, param });

export const resourceMissing = (resource: string, id: string, param = "id") =>
  new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${resource}: '${id}'`,
    param,
  });

export const resourceExists = (resource: string, id: string) =>
  new StripeApiError(400, {
    type: "invalid_request_error",
    code: "resource_already_exists",
    message: `A ${resource} with id '${id}' already exists.`,
    param: "id",
  });
