/**
 * The worst-case cost of a request before it runs, reserved against budgets at
 * admission and settled to the real cost afterwards (API.md Part 1, "Concurrency").
 */
import { isTimeBilled, unitPrices } from "./cost.ts";
import type { PriceEntry } from "./types.ts";

/** Output tokens assumed when neither the request nor the model states a limit. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export interface EstimateRequest {
  /** The client's OpenAI-shaped body (chat, legacy completion or embeddings). */
  body: Record<string, unknown>;
  /** Prompt tokens when already counted (e.g. by a tokenizer); else {@link estimatePromptTokens}. */
  promptTokens?: number;
  /** An embeddings request: no output is billed. Default: the body has `input` and no `messages`/`prompt`. */
  embedding?: boolean;
}

/**
 * Prompt tokens by the chars/4 heuristic: the characters of the JSON-serialised prompt
 * (`messages`, else `prompt`, else `input`) plus any `tools`/`functions` definitions,
 * divided by 4 and rounded up. JSON punctuation and quoting make it lean high, which
 * suits a reservation.
 */
export function estimatePromptTokens(body: Record<string, unknown>): number {
  const prompt = body.messages ?? body.prompt ?? body.input;
  let chars = prompt === undefined ? 0 : typeof prompt === "string" ? prompt.length : JSON.stringify(prompt).length;
  for (const field of ["tools", "functions"] as const) if (body[field] !== undefined) chars += JSON.stringify(body[field]).length;
  return Math.ceil(chars / 4);
}

/** The output limit the request asked for: `max_completion_tokens`, else `max_tokens` (positive integers only). */
export function requestedMaxOutputTokens(body: Record<string, unknown>): number | null {
  for (const field of ["max_completion_tokens", "max_tokens"] as const) {
    const value = body[field];
    if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  }
  return null;
}

/** Choices requested (`n`), at least 1: each may use the full output limit. */
function choices(body: Record<string, unknown>): number {
  const n = body.n;
  return typeof n === "number" && Number.isInteger(n) && n > 1 ? n : 1;
}

function isEmbedding(request: EstimateRequest): boolean {
  if (request.embedding !== undefined) return request.embedding;
  const body = request.body;
  return body.input !== undefined && body.messages === undefined && body.prompt === undefined;
}

/**
 * Worst-case USD of a request:
 *
 *     promptTokens × input  +  maxOutput × n × max(output, reasoning)
 *
 * - `promptTokens`: the given count, else {@link estimatePromptTokens};
 * - `maxOutput`: the request's `max_completion_tokens`/`max_tokens`, else `modelMaxOutputTokens`
 *   (the deployment's or map's `max_output_tokens`), else {@link DEFAULT_MAX_OUTPUT_TOKENS};
 * - unit prices are {@link unitPrices} for the estimated prompt (so a prompt over a tier
 *   threshold reserves at the tier's prices); reasoning tokens are output tokens, so the
 *   dearer of the output and reasoning price bounds them;
 * - cached prompt tokens are not known in advance and are reserved at the full input price;
 * - embeddings reserve the prompt only;
 * - time-billed entries (per-second prices) reserve 0: the duration is unknown until the
 *   call ends, and settlement charges the real cost.
 */
export function estimateCost(price: PriceEntry, request: EstimateRequest & { modelMaxOutputTokens?: number | null }): number {
  if (isTimeBilled(price)) return 0;
  const promptTokens = Math.max(0, Math.ceil(request.promptTokens ?? estimatePromptTokens(request.body)));
  const units = unitPrices(price, promptTokens);
  const promptCost = promptTokens * units.input;
  if (isEmbedding(request)) return promptCost;
  const maxOutput = requestedMaxOutputTokens(request.body) ?? positive(request.modelMaxOutputTokens) ?? DEFAULT_MAX_OUTPUT_TOKENS;
  return promptCost + maxOutput * choices(request.body) * Math.max(units.output, units.reasoning);
}

function positive(value: number | null | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}
