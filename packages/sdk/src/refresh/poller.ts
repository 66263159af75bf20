/** Calls `poll` every `everyMs` until stopped; the fallback when no event stream is wanted. */
export class Poller {
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(everyMs: number, poll: () => void) {
    this.#timer = setInterval(poll, everyMs);
    this.#timer.unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
