/**
 * A fetch whose event streams the test can cut (as a network drop would) and hold back from
 * reconnecting, recording each stream request's headers.
 */
export function droppableFetch() {
  const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
  const streamRequests: Headers[] = [];
  let gate: Promise<void> = Promise.resolve();
  let openGate: () => void = () => {};

  const wrapped: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.includes("/v1/events/stream")) return fetch(input, init);
    await gate;
    streamRequests.push(new Headers(init?.headers));
    const response = await fetch(input, init);
    const source = response.body;
    if (source === null) return response;
    const reader = source.getReader();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        streams.push(controller);
      },
      async pull(controller) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) controller.close();
        else if (value) controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };

  return {
    fetch: wrapped,
    streamRequests,
    /** Cuts every open stream, and holds reconnections until `reconnect()`. */
    drop() {
      gate = new Promise((resolve) => {
        openGate = resolve;
      });
      for (const controller of streams.splice(0)) controller.error(new Error("connection reset"));
    },
    reconnect() {
      openGate();
    },
  };
}
