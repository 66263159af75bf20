/** The kinds of error a caller can see; the HTTP edge maps each to one status. */
export type ErrorType =
  | "invalid_request"
  | "unprocessable"
  | "authentication"
  | "permission"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "payment_required"
  /** A service we call (the payment provider) failed or refused: 502, `internal` on the wire. */
  | "upstream"
  | "internal";

/**
 * The one error class of Tollgate, shaped like Stripe's error object: a stable `code`
 * callers may branch on, a human `message`, and the `param` at fault when there is one.
 */
export class TollgateError extends Error {
  readonly type: ErrorType;
  readonly code: string;
  readonly param: string | undefined;
  readonly details: unknown;

  constructor(
    type: ErrorType,
    code: string,
    message: string,
    options: { param?: string; details?: unknown } = {},
  ) {
    super(message);
    this.name = "TollgateError";
    this.type = type;
    this.code = code;
    this.param = options.param;
    this.details = options.details;
  }
}

export const invalid = (code: string, message: string, param?: string) =>
  new TollgateError("invalid_request", code, message, param === undefined ? {} : { param });

export const unprocessable = (code: string, message: string, param?: string) =>
  new TollgateError("unprocessable", code, message, param === undefined ? {} : { param });

export const notFound = (code: string, message: string, param?: string) =>
  new TollgateError("not_found", code, message, param === undefined ? {} : { param });

export const conflict = (code: string, message: string, param?: string) =>
  new TollgateError("conflict", code, message, param === undefined ? {} : { param });

/**
 * The error with its `param` read from inside `prefix` (a field of the third plan of a file is
 * `plans.2.<field>`); anything else is returned as it is.
 */
export function nestParam(error: unknown, prefix: string): unknown {
  if (!(error instanceof TollgateError) || error.param === undefined) return error;
  return new TollgateError(error.type, error.code, error.message, {
    param: `${prefix}.${error.param}`,
    details: error.details,
  });
}
