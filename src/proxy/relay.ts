/**
 * Streams an upstream SSE response to the client as it arrives, through the
 * adapter's transformer. Nothing is buffered beyond one SSE event. The relay
 * guarantees three things:
 *  - a client that goes away cancels the upstream request;
 *  - an upstream that dies mid-stream ends the client stream with an error event
 *    and `[DONE]`, never a silent truncation;
 *  - `onEnd` runs exactly once, whatever happened, so every call is settled and
 *    every counter taken on the way in can be released.
 */
import { SSE_DONE, sseData, sseError } from "./sse.ts";

export type StreamEnd = { outcome: "completed" } | { outcome: "upstream_error"; message: string } | { outcome: "client_aborted" };

export interface RelayOptions {
  upstream: ReadableStream<Uint8Array>;
  transformer: TransformStream<Uint8Array, Uint8Array>;
  /** Aborts the upstream fetch. */
  abortUpstream: () => void;
  /** The first byte went out (time to first token). */
  onFirstByte: () => void;
  /** Settles the call; the stream's close waits for a returned promise. */
  onEnd: (end: StreamEnd) => void | Promise<void>;
}

export function relayStream(options: RelayOptions): ReadableStream<Uint8Array> {
  const reader = options.upstream.pipeThrough(options.transformer).getReader();
  let ended = false;
  let first = true;
  const end = async (result: StreamEnd): Promise<void> => {
    if (ended) return;
    ended = true;
    await options.onEnd(result);
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          // Settle first: the call is journaled before the client sees the stream end.
          await end({ outcome: "completed" });
          controller.close();
          return;
        }
        if (first) {
          first = false;
          options.onFirstByte();
        }
        controller.enqueue(value);
      } catch (err) {
        if (ended) return;
        const message = `The upstream stream failed: ${err instanceof Error ? err.message : String(err)}`;
        controller.enqueue(sseError({ message, type: "api_error", param: null, code: "502" }));
        controller.enqueue(sseData(SSE_DONE));
        controller.close();
        void end({ outcome: "upstream_error", message });
      }
    },
    cancel() {
      options.abortUpstream();
      reader.cancel().catch(() => {});
      void end({ outcome: "client_aborted" });
    },
  });
}
