import type { Decision } from "../types";

/** The API's error object, `{type, code, message, param}`, as every non-2xx answer carries it. */
export interface ApiErrorBody {
  type: string;
  code: string;
  message: string;
  param?: string;
}

/**
 * A non-2xx answer of the API (`status` is the HTTP status), or `network` (status 0) when the
 * server could not be reached. A refused track (402 limit_exceeded, 429 throttled) carries the
 * decision that refused it.
 */
export class TollgateApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | undefined;
  readonly decision: Decision | undefined;

  constructor(status: number, body: ApiErrorBody, decision?: Decision, options?: { cause?: unknown }) {
    super(body.message, options);
    this.name = "TollgateApiError";
    this.status = status;
    this.type = body.type;
    this.code = body.code;
    this.param = body.param;
    this.decision = decision;
  }

  /** True when the server did not answer at all (refused connection, DNS, reset). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

/** Reads an error answer; a body that is not the API's shape still yields a typed error. */
export async function toApiError(response: Response): Promise<TollgateApiError> {
  const text = await response.text().catch(() => "");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const record = isRecord(parsed) ? parsed : {};
  const error = isRecord(record.error) ? record.error : {};
  const body: ApiErrorBody = {
    type: typeof error.type === "string" ? error.type : "internal",
    code: typeof error.code === "string" ? error.code : `http_${response.status}`,
    message: typeof error.message === "string" ? error.message : text || response.statusText,
    ...(typeof error.param === "string" ? { param: error.param } : {}),
  };
  const decision = isRecord(record.decision) ? (record.decision as unknown as Decision) : undefined;
  return new TollgateApiError(response.status, body, decision);
}

export function networkError(cause: unknown): TollgateApiError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new TollgateApiError(
    0,
    { type: "network", code: "unreachable", message: `Tollgate unreachable: ${message}` },
    undefined,
    { cause },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
