/**
 * Anthropic token counts. Anthropic's `input_tokens` excludes cached prompt tokens;
 * OpenAI's `prompt_tokens` includes them, so prompt = input + cache writes + cache reads.
 */
import type { Usage } from "../../types.ts";
import { numberOr, type JsonObject } from "./wire.ts";

export interface AnthropicCounts {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export const emptyCounts = (): AnthropicCounts => ({ input: 0, output: 0, cacheCreation: 0, cacheRead: 0 });

/** The counts of an Anthropic `usage` object; absent or null fields count 0. */
export function readCounts(raw: JsonObject): AnthropicCounts {
  return {
    input: numberOr(raw.input_tokens, 0),
    output: numberOr(raw.output_tokens, 0),
    cacheCreation: numberOr(raw.cache_creation_input_tokens, 0),
    cacheRead: numberOr(raw.cache_read_input_tokens, 0),
  };
}

/**
 * Stream counts are cumulative (message_delta repeats and grows message_start's), so
 * the larger value wins; a server that sends 0 for a field it omits cannot erase one.
 */
export function maxCounts(a: AnthropicCounts, b: AnthropicCounts): AnthropicCounts {
  return {
    input: Math.max(a.input, b.input),
    output: Math.max(a.output, b.output),
    cacheCreation: Math.max(a.cacheCreation, b.cacheCreation),
    cacheRead: Math.max(a.cacheRead, b.cacheRead),
  };
}

export function toUsage(counts: AnthropicCounts): Usage {
  const prompt = counts.input + counts.cacheCreation + counts.cacheRead;
  return {
    prompt_tokens: prompt,
    completion_tokens: counts.output,
    total_tokens: prompt + counts.output,
    cached_tokens: counts.cacheRead,
    cache_creation_tokens: counts.cacheCreation,
    reasoning_tokens: 0,
  };
}

/** The `usage` object the client sees: OpenAI's fields plus LiteLLM's two cache fields. */
export function openAIUsage(counts: AnthropicCounts): JsonObject {
  const usage = toUsage(counts);
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
    prompt_tokens_details: { cached_tokens: counts.cacheRead },
    cache_creation_input_tokens: counts.cacheCreation,
    cache_read_input_tokens: counts.cacheRead,
  };
}
