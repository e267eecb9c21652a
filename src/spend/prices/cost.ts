/**
 * The cost of one call from its token counts and a price entry. Pure: no lookups, no
 * logging. Money is USD in plain doubles; every term is `tokens × unit price`, summed
 * once per call, so a call's cost carries no error beyond that of its few terms.
 */
import { numberField, TIER_FIELD, type PriceEntry } from "./types.ts";

/**
 * Token counts of one call, as tollgate's `Usage` (src/proxy/types.ts) and `SettledCall`
 * carry them.
 *
 * `prompt_tokens` counts EVERY prompt token: `cached_tokens` and `cache_creation_tokens`
 * are subsets of it, never additions to it, and do not overlap:
 * - OpenAI (and OpenAI-compatible): `prompt_tokens` includes
 *   `prompt_tokens_details.cached_tokens` (= `cached_tokens`); no cache writes are reported
 *   (`cache_creation_tokens` = 0).
 * - Anthropic, as the adapter translates it: `prompt_tokens = input_tokens +
 *   cache_creation_input_tokens + cache_read_input_tokens`, `cached_tokens =
 *   cache_read_input_tokens`, `cache_creation_tokens = cache_creation_input_tokens`.
 * So the uncached prompt tokens are `prompt_tokens − cached_tokens − cache_creation_tokens`.
 *
 * `reasoning_tokens` is likewise a subset of `completion_tokens` (OpenAI's
 * `completion_tokens_details.reasoning_tokens`).
 *
 * Counts are clamped so the parts never exceed their whole (inconsistent streamed usage).
 */
export interface CostUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cache_creation_tokens: number;
  reasoning_tokens: number;
}

export interface CostOptions {
  /** Wall-clock seconds of the call, for per-second prices. */
  durationSeconds?: number;
  /** An embeddings call: prompt tokens × input price, nothing else. */
  embedding?: boolean;
}

/** The unit prices that apply to a call of `promptTokens` prompt tokens (USD per token). */
export interface UnitPrices {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  reasoning: number;
  /** The tier applied (`200k`, `272k`, …), or null for base prices. */
  tier: string | null;
}

/**
 * Unit prices, tier applied. Tiers follow LiteLLM: among the entry's
 * `input_cost_per_token_above_<N>[k]_tokens` fields, the highest threshold that the prompt
 * strictly exceeds selects the tier; that tier's `output_…`, `cache_read_…` and
 * `cache_creation_…_above_<N>_tokens` prices replace the base ones where present.
 * Fallbacks (tollgate's, where LiteLLM bills 0): a missing cache-read or cache-creation
 * price is the (tiered) input price; a missing reasoning price is the (tiered) output
 * price. Missing input/output prices are 0.
 */
export function unitPrices(price: PriceEntry, promptTokens: number): UnitPrices {
  const tier = tierFor(price, promptTokens);
  const pick = (base: string): number | undefined =>
    (tier === null ? undefined : numberField(price, `${base}_above_${tier}_tokens`)) ?? numberField(price, base);
  const input = pick("input_cost_per_token") ?? 0;
  const output = pick("output_cost_per_token") ?? 0;
  return {
    input,
    output,
    cacheRead: pick("cache_read_input_token_cost") ?? input,
    cacheCreation: pick("cache_creation_input_token_cost") ?? input,
    reasoning: numberField(price, "output_cost_per_reasoning_token") ?? output,
    tier,
  };
}

/** The tier text (`200k`) whose threshold `promptTokens` exceeds, highest first; null if none. */
function tierFor(price: PriceEntry, promptTokens: number): string | null {
  let best: { text: string; threshold: number } | null = null;
  for (const field of Object.keys(price)) {
    const match = TIER_FIELD.exec(field);
    if (!match || match[1] !== "input_cost_per_token" || numberField(price, field) === undefined) continue;
    const text = match[2] as string;
    const threshold = text.endsWith("k") ? Number(text.slice(0, -1)) * 1000 : Number(text);
    if (promptTokens > threshold && (best === null || threshold > best.threshold)) best = { text, threshold };
  }
  return best?.text ?? null;
}

/** True when the entry bills by time: it has a per-second price. */
export function isTimeBilled(price: PriceEntry): boolean {
  return numberField(price, "input_cost_per_second") !== undefined || numberField(price, "output_cost_per_second") !== undefined;
}

/**
 * USD for one call:
 *
 * - time-billed entries (a per-second price set): `(input_cost_per_second +
 *   output_cost_per_second) × durationSeconds`; token prices are not added;
 * - embeddings: `prompt_tokens × input`;
 * - everything else:
 *       (prompt − cached − cache_creation) × input
 *     + cached × cacheRead
 *     + cache_creation × cacheCreation
 *     + (completion − reasoning) × output + reasoning × reasoningPrice   (reasoning price set)
 *     | completion × output                                              (otherwise)
 *   with unit prices from {@link unitPrices} (tier chosen by `prompt_tokens`).
 *
 * A failed call costs what its counts say (usually nothing).
 */
export function computeCost(price: PriceEntry, usage: CostUsage, options: CostOptions = {}): number {
  if (isTimeBilled(price)) {
    const seconds = Math.max(0, options.durationSeconds ?? 0);
    return (numberField(price, "input_cost_per_second") ?? 0) * seconds + (numberField(price, "output_cost_per_second") ?? 0) * seconds;
  }
  const prompt = count(usage.prompt_tokens);
  const units = unitPrices(price, prompt);
  if (options.embedding) return prompt * units.input;

  const cached = Math.min(count(usage.cached_tokens), prompt);
  const creation = Math.min(count(usage.cache_creation_tokens), prompt - cached);
  const uncached = prompt - cached - creation;
  const completion = count(usage.completion_tokens);
  let cost = uncached * units.input + cached * units.cacheRead + creation * units.cacheCreation;
  if (numberField(price, "output_cost_per_reasoning_token") !== undefined) {
    const reasoning = Math.min(count(usage.reasoning_tokens), completion);
    cost += (completion - reasoning) * units.output + reasoning * units.reasoning;
  } else {
    cost += completion * units.output;
  }
  return cost;
}

function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
