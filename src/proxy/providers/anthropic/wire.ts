/**
 * Anthropic Messages API shapes, as far as the adapter reads or writes them, and the
 * narrowing helpers every module uses on untrusted JSON.
 */

export type JsonObject = Record<string, unknown>;

/** One content block of a message (`text`, `image`, `tool_use`, `tool_result`, …). */
export type AnthropicBlock = JsonObject & { type: string };

export interface AnthropicMessage {
  role: "user" | "assistant";
  /** A plain string when the turn is one uncached text block, blocks otherwise. */
  content: string | AnthropicBlock[];
}

/** Top-level `system`: a string, or text blocks when more than one or any is cached. */
export type AnthropicSystem = string | AnthropicBlock[];

export const isRecord = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export const numberOr = (value: unknown, fallback: number): number => (typeof value === "number" && Number.isFinite(value) ? value : fallback);
