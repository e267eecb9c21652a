/**
 * Server-sent events, as the providers send them: events separated by a blank line,
 * `event:` and `data:` fields. Upstream network chunks do not respect event
 * boundaries, so the splitter buffers a partial event until its blank line arrives.
 */

export interface SseEvent {
  /** `event:` field, or null. */
  event: string | null;
  /** The `data:` lines joined with "\n". */
  data: string;
}

import type { UpstreamError } from "./types.ts";

const encoder = new TextEncoder();

/** Splits a byte stream into complete SSE events. */
export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = "";

  /** Feeds bytes; returns the events completed by them. */
  push(chunk: Uint8Array): SseEvent[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    return this.drain(false);
  }

  /** Returns whatever complete-or-not event remains at the end of the stream. */
  end(): SseEvent[] {
    this.buffer += this.decoder.decode();
    return this.drain(true);
  }

  private drain(final: boolean): SseEvent[] {
    // Normalise CRLF once so boundaries are always "\n\n".
    if (this.buffer.includes("\r")) this.buffer = this.buffer.replace(/\r\n?/g, "\n");
    const events: SseEvent[] = [];
    let boundary = this.buffer.indexOf("\n\n");
    while (boundary !== -1) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      const parsed = parseBlock(block);
      if (parsed) events.push(parsed);
      boundary = this.buffer.indexOf("\n\n");
    }
    if (final && this.buffer.trim() !== "") {
      const parsed = parseBlock(this.buffer);
      this.buffer = "";
      if (parsed) events.push(parsed);
    }
    return events;
  }
}

function parseBlock(block: string): SseEvent | null {
  let event: string | null = null;
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  }
  if (data.length === 0 && event === null) return null;
  return { event, data: data.join("\n") };
}

/** One `data:` event as bytes. */
export function sseData(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}

export const SSE_DONE = "[DONE]";

/** An OpenAI-style error event, how a stream that cannot finish tells the client so. */
export function sseError(error: UpstreamError): Uint8Array {
  return sseData(JSON.stringify({ error }));
}

/** Reported when an upstream stream stops before its terminator ([DONE], message_stop). */
export const TRUNCATED_STREAM: UpstreamError = Object.freeze({
  message: "The upstream stream ended before it was complete.",
  type: "api_error",
  param: null,
  code: "502",
});
