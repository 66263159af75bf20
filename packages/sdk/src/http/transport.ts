import { networkError, toApiError } from "./tollgateApiError";

export type Fetch = typeof globalThis.fetch;

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: Fetch | undefined;
}

/** JSON over HTTP with the API key; every failure becomes a TollgateApiError. */
export class Transport {
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly fetch: Fetch;

  constructor(options: TransportOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  url(path: string): string {
    return `${this.#baseUrl}${path}`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.#apiKey}`, ...extra };
  }

  async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetch(this.url(path), {
        method,
        headers: this.headers(body === undefined ? {} : { "content-type": "application/json" }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw networkError(cause);
    }
    if (!response.ok) throw await toApiError(response);
    return (await response.json()) as T;
  }
}
