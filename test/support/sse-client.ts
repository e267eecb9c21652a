/**
 * Reading a server-sent-events response the way a streaming client does: event by
 * event as the bytes arrive, noting when each one arrived, so tests can tell a relay
 * that streams from one that buffers.
 */

export interface TimedEvent {
  /** The `data:` payload (`[DONE]`, or a JSON chunk as text). */
  data: string;
  /** Milliseconds since the request was sent. */
  at: number;
}

/** Events of `res` as they arrive; `startedAt` is `performance.now()` when the request was sent. */
export async function* sseEvents(res: Response, startedAt: number): AsyncGenerator<TimedEvent> {
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let boundary = buffer.indexOf("\n\n");
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = block
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (data !== "") yield { data, at: performance.now() - startedAt };
        boundary = buffer.indexOf("\n\n");
      }
    }
    if (buffer.trim() !== "") throw new Error(`stream ended inside an event: ${JSON.stringify(buffer)}`);
  } finally {
    reader.releaseLock();
  }
}

/** Every event of `res`, until the server closes the stream. */
export async function readAllEvents(res: Response, startedAt: number = performance.now()): Promise<TimedEvent[]> {
  const events: TimedEvent[] = [];
  for await (const event of sseEvents(res, startedAt)) events.push(event);
  return events;
}

/** The JSON chunks of a stream (everything but `[DONE]`). */
export const jsonChunks = (events: readonly TimedEvent[]): Record<string, any>[] =>
  events.filter((e) => e.data !== "[DONE]").map((e) => JSON.parse(e.data) as Record<string, any>);

/** The text a chat (delta.content) or legacy completion (text) stream spelled out. */
export const streamedText = (events: readonly TimedEvent[]): string =>
  jsonChunks(events)
    .flatMap((c) => (Array.isArray(c.choices) ? c.choices : []))
    .map((choice: any) => choice.delta?.content ?? choice.text ?? "")
    .join("");
