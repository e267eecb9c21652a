/**
 * Anthropic SSE (message_start … message_stop) → OpenAI `chat.completion.chunk` SSE.
 *
 * Every chunk carries the id and model of message_start and one `created`. Tool calls
 * are numbered by their position among tool_use blocks (OpenAI's `index`), not by
 * Anthropic's block index. Usage — input and cache counts from message_start, output
 * from message_delta — is reported once: at message_stop, or at the end of a stream
 * that failed or was cut short (the upstream bills the prompt either way).
 */
import { SSE_DONE, SseParser, sseData, sseError, type SseEvent, TRUNCATED_STREAM } from "../../sse.ts";
import type { StreamObserver } from "../../types.ts";
import { parseAnthropicStreamError } from "./errors.ts";
import { finishReason } from "./response.ts";
import { emptyCounts, maxCounts, openAIUsage, readCounts, toUsage } from "./usage.ts";
import { isRecord, type JsonObject } from "./wire.ts";

export interface AnthropicStreamOptions {
  observer: StreamObserver;
  /** The client asked for the usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** Model named in chunks until message_start names the real one. */
  model: string;
  /** Milliseconds since the epoch; injected for tests. */
  now?: () => number;
}


export function anthropicStreamTransformer(options: AnthropicStreamOptions): TransformStream<Uint8Array, Uint8Array> {
  const { observer, includeUsage } = options;
  const parser = new SseParser();
  const created = Math.floor((options.now ?? Date.now)() / 1000);
  let id = `chatcmpl-${crypto.randomUUID()}`;
  let model = options.model;
  let counts = emptyCounts();
  let sawUsage = false;
  let usageReported = false;
  let ended = false; // message_stop or error seen
  const toolIndex = new Map<number, number>();
  // Text kept only for local token counting, in case the upstream never reports usage.
  let unmetered: string[] = [];

  const frame = (extra: JsonObject): Uint8Array => sseData(JSON.stringify({ id, object: "chat.completion.chunk", created, model, ...extra }));
  const chunk = (delta: JsonObject, finish: string | null = null): Uint8Array =>
    frame({ choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const generated = (fragment: string) => {
    if (!sawUsage) unmetered.push(fragment);
  };
  const reportUsage = () => {
    if (usageReported || !sawUsage) return;
    usageReported = true;
    observer.usage(toUsage(counts));
  };

  const handle = (event: SseEvent, out: TransformStreamDefaultController<Uint8Array>) => {
    if (ended) return;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!isRecord(data)) return;
    const index = typeof data.index === "number" ? data.index : -1;
    const delta = isRecord(data.delta) ? data.delta : {};

    switch (data.type ?? event.event) {
      case "message_start": {
        const message = isRecord(data.message) ? data.message : {};
        if (typeof message.id === "string") id = message.id;
        if (typeof message.model === "string") model = message.model;
        if (isRecord(message.usage)) {
          counts = maxCounts(counts, readCounts(message.usage));
          sawUsage = true;
          unmetered = [];
        }
        out.enqueue(chunk({ role: "assistant", content: "" }));
        return;
      }
      case "content_block_start": {
        const block = isRecord(data.content_block) ? data.content_block : {};
        if (block.type === "tool_use") {
          const position = toolIndex.size;
          toolIndex.set(index, position);
          out.enqueue(chunk({ tool_calls: [{ index: position, id: block.id, type: "function", function: { name: block.name, arguments: "" } }] }));
        } else if (block.type === "text" && typeof block.text === "string" && block.text !== "") {
          generated(block.text);
          out.enqueue(chunk({ content: block.text }));
        }
        return;
      }
      case "content_block_delta": {
        if (delta.type === "text_delta" && typeof delta.text === "string") {
          generated(delta.text);
          out.enqueue(chunk({ content: delta.text }));
        } else if (delta.type === "input_json_delta" && typeof delta.partial_json === "string" && delta.partial_json !== "") {
          const position = toolIndex.get(index);
          if (position === undefined) return;
          generated(delta.partial_json);
          out.enqueue(chunk({ tool_calls: [{ index: position, function: { arguments: delta.partial_json } }] }));
        } else if (delta.type === "thinking_delta" && typeof delta.thinking === "string") {
          generated(delta.thinking);
          out.enqueue(chunk({ reasoning_content: delta.thinking }));
        }
        return;
      }
      case "message_delta": {
        if (isRecord(data.usage)) {
          counts = maxCounts(counts, readCounts(data.usage));
          sawUsage = true;
          unmetered = [];
        }
        const finish = finishReason(delta.stop_reason);
        if (finish !== null) out.enqueue(chunk({}, finish));
        return;
      }
      case "message_stop":
        ended = true;
        reportUsage();
        if (includeUsage && sawUsage) out.enqueue(frame({ choices: [], usage: openAIUsage(counts) }));
        return;
      case "error": {
        ended = true;
        const error = parseAnthropicStreamError(event.data);
        observer.error(error);
        out.enqueue(sseError(error));
        return;
      }
      default: // ping, content_block_stop, signature_delta, unknown future events
        return;
    }
  };

  return new TransformStream({
    transform(bytes, controller) {
      for (const event of parser.push(bytes)) handle(event, controller);
    },
    flush(controller) {
      for (const event of parser.end()) handle(event, controller);
      if (!ended) {
        // A stream that stops without message_stop was cut short: say so rather than truncate silently.
        observer.error(TRUNCATED_STREAM);
        controller.enqueue(sseError(TRUNCATED_STREAM));
      }
      reportUsage();
      if (!sawUsage) for (const fragment of unmetered) observer.text(fragment);
      controller.enqueue(sseData(SSE_DONE));
    },
  });
}
