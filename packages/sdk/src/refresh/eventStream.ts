import { createParser, type EventSourceMessage } from "eventsource-parser";
import { toApiError } from "../http/tollgateApiError";
import type { Transport } from "../http/transport";
import type { DomainEvent } from "../types";

export interface EventStreamHooks {
  onEvent(event: DomainEvent): void;
  /**
   * The stream is open. `mayHaveMissed` = it opened without a position after an earlier attempt,
   * so changes since then may not be replayed; with Last-Event-ID the server replays them.
   */
  onOpen(mayHaveMissed: boolean): void;
  onError?: ((error: unknown) => void) | undefined;
}

export interface EventStreamOptions {
  clock: () => number;
  /** Silence longer than this (the server sends a keep-alive every 15 s) counts as a drop. */
  idleTimeoutMs?: number;
  /** Reconnect delays: start, doubling up to max. */
  backoffMs?: { start: number; max: number };
}

const PATH = "/v1/events/stream";

/**
 * One long-lived GET /v1/events/stream for the key's environment. Reconnects after a drop with
 * the Last-Event-ID it last saw (the server replays from there), with exponential backoff.
 */
export class EventStream {
  readonly #transport: Transport;
  readonly #hooks: EventStreamHooks;
  readonly #clock: () => number;
  readonly #idleTimeoutMs: number;
  readonly #backoff: { start: number; max: number };
  #stopped = false;
  #connected = false;
  #tries = 0;
  /** performance.now() of the last byte or connection attempt, for the idle watchdog. */
  #lastByteAt = 0;
  #lastEventId: string | undefined;
  #lastAliveAt = 0;
  #abort: AbortController | undefined;
  #wake: (() => void) | undefined;
  #firstAttempt: Promise<void>;
  #settleFirstAttempt: () => void = () => {};
  #running: Promise<void> | undefined;

  constructor(transport: Transport, hooks: EventStreamHooks, options: EventStreamOptions) {
    this.#transport = transport;
    this.#hooks = hooks;
    this.#clock = options.clock;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
    this.#backoff = options.backoffMs ?? { start: 250, max: 5_000 };
    this.#firstAttempt = new Promise((resolve) => {
      this.#settleFirstAttempt = resolve;
    });
  }

  /** Whether the stream is open now: while it is, every cached customer is kept current. */
  get connected(): boolean {
    return this.#connected;
  }

  /** When the stream last showed it was alive (opened, or sent anything), in clock ms; 0 = never. */
  get lastAliveAt(): number {
    return this.#connected ? this.#clock() : this.#lastAliveAt;
  }

  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** Starts the stream once; resolves when its first connection has opened or failed. */
  start(): Promise<void> {
    this.#running ??= this.#run();
    return this.#firstAttempt;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort?.abort();
    this.#wake?.();
    await this.#running;
  }

  async #run(): Promise<void> {
    let delay = this.#backoff.start;
    while (!this.#stopped) {
      const opened = await this.#connectOnce();
      this.#settleFirstAttempt();
      if (this.#stopped) break;
      delay = opened ? this.#backoff.start : Math.min(delay * 2, this.#backoff.max);
      await this.#sleep(delay);
    }
  }

  /** One connection, read until it ends; true if it opened. */
  async #connectOnce(): Promise<boolean> {
    const abort = new AbortController();
    this.#abort = abort;
    const resumeFrom = this.#lastEventId;
    const isFirstTry = this.#tries++ === 0;
    let opened = false;
    this.#lastByteAt = performance.now();
    const watchdog = setInterval(
      () => {
        if (performance.now() - this.#lastByteAt > this.#idleTimeoutMs) abort.abort();
      },
      Math.min(this.#idleTimeoutMs, 5_000),
    );
    watchdog.unref?.();
    try {
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (resumeFrom !== undefined) headers["last-event-id"] = resumeFrom;
      const response = await this.#transport.fetch(this.#transport.url(PATH), {
        headers: this.#transport.headers(headers),
        signal: abort.signal,
      });
      if (!response.ok || response.body === null) throw await toApiError(response);
      opened = true;
      this.#markAlive();
      this.#connected = true;
      this.#hooks.onOpen(resumeFrom === undefined && !isFirstTry);
      this.#settleFirstAttempt();
      const parser = createParser({ onEvent: (message) => this.#receive(message) });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.#markAlive();
        parser.feed(value);
      }
    } catch (error) {
      if (!this.#stopped) this.#hooks.onError?.(error);
    } finally {
      clearInterval(watchdog);
      if (this.#connected) this.#markAlive();
      this.#connected = false;
    }
    return opened;
  }

  #receive(message: EventSourceMessage): void {
    if (message.id !== undefined) this.#lastEventId = message.id;
    let payload: { type?: unknown; customerId?: unknown; data?: unknown };
    try {
      payload = JSON.parse(message.data);
    } catch {
      return;
    }
    this.#hooks.onEvent({
      seq: message.id ?? "",
      type: typeof payload.type === "string" ? payload.type : (message.event ?? "message"),
      customerId: typeof payload.customerId === "string" ? payload.customerId : null,
      data: payload.data,
    });
  }

  #markAlive(): void {
    this.#lastByteAt = performance.now();
    this.#lastAliveAt = this.#clock();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
