/**
 * An Anthropic Message → an OpenAI `chat.completion`.
 *
 * The id is Anthropic's own `msg_…` id, unchanged (as LiteLLM returns it), so a
 * response can be matched to Anthropic's logs. Thinking goes to LiteLLM's
 * `reasoning_content` (text) and `thinking_blocks` (signed, to send back with tool results).
 */
import type { Usage } from "../../types.ts";
import { openAIUsage, readCounts, toUsage } from "./usage.ts";
import { isRecord, type JsonObject } from "./wire.ts";

/** `stop_reason` → OpenAI `finish_reason`. */
export function finishReason(stopReason: unknown): string | null {
  switch (stopReason) {
    case null:
    case undefined:
      return null;
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default: // end_turn, stop_sequence, pause_turn
      return "stop";
  }
}

/** `now` is milliseconds since the epoch (injected so tests are deterministic). */
export function toChatCompletion(upstreamBody: string, now: number): { body: string; usage: Usage | null } {
  let message: unknown;
  try {
    message = JSON.parse(upstreamBody);
  } catch {
    return { body: upstreamBody, usage: null };
  }
  if (!isRecord(message)) return { body: upstreamBody, usage: null };

  const text: string[] = [];
  const reasoning: string[] = [];
  const thinkingBlocks: JsonObject[] = [];
  const toolCalls: JsonObject[] = [];
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (!isRecord(block)) continue;
    if (block.type === "text" && typeof block.text === "string") text.push(block.text);
    else if (block.type === "tool_use") {
      toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    } else if (block.type === "thinking" || block.type === "redacted_thinking") {
      if (typeof block.thinking === "string") reasoning.push(block.thinking);
      thinkingBlocks.push(block);
    }
  }

  const assistant: JsonObject = { role: "assistant", content: text.length > 0 ? text.join("") : toolCalls.length > 0 ? null : "" };
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  if (reasoning.length > 0) assistant.reasoning_content = reasoning.join("");
  if (thinkingBlocks.length > 0) assistant.thinking_blocks = thinkingBlocks;

  const counts = isRecord(message.usage) ? readCounts(message.usage) : null;
  const completion: JsonObject = {
    id: message.id,
    object: "chat.completion",
    created: Math.floor(now / 1000),
    model: message.model,
    choices: [{ index: 0, message: assistant, logprobs: null, finish_reason: finishReason(message.stop_reason) }],
  };
  if (counts) completion.usage = openAIUsage(counts);
  return { body: JSON.stringify(completion), usage: counts ? toUsage(counts) : null };
}
