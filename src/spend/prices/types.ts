/**
 * The price map's shapes. An entry is one model's line in LiteLLM's
 * `model_prices_and_context_window.json`: money in USD per unit (per token, per
 * second), limits in tokens. Fields tollgate does not read are kept as given.
 */

/** One model's prices and limits. A missing price is 0 unless a rule below says otherwise. */
export interface PriceEntry {
  /** The provider the entry belongs to; a lookup only accepts entries of the caller's provider family. */
  readonly litellm_provider?: string;
  /** `chat`, `completion`, `embedding`, … */
  readonly mode?: string;
  /** USD per uncached prompt token. */
  readonly input_cost_per_token?: number;
  /** USD per completion token (and per reasoning token unless `output_cost_per_reasoning_token` is set). */
  readonly output_cost_per_token?: number;
  /** USD per prompt token read from the provider's cache. Missing: the input price. */
  readonly cache_read_input_token_cost?: number;
  /** USD per prompt token written to the provider's cache. Missing: the input price. */
  readonly cache_creation_input_token_cost?: number;
  /** USD per reasoning token. Missing: the output price. */
  readonly output_cost_per_reasoning_token?: number;
  /** USD per second of call duration (time-billed deployments). */
  readonly input_cost_per_second?: number;
  readonly output_cost_per_second?: number;
  readonly max_input_tokens?: number;
  readonly max_output_tokens?: number;
  /** Legacy limit: the output limit when the provider states one, else the context window. */
  readonly max_tokens?: number;
  /**
   * Tiered prices `<price>_above_<N>k_tokens` (e.g. `input_cost_per_token_above_200k_tokens`),
   * capability flags and metadata, kept as the file gave them.
   */
  readonly [field: string]: unknown;
}

/** A price found for a call: the map key it was found under, and the entry. */
export interface PriceMatch {
  readonly key: string;
  readonly price: PriceEntry;
}

/**
 * Entries by lowercased key (LiteLLM matches model names case-insensitively);
 * each value remembers the key as written.
 */
export type PriceMap = ReadonlyMap<string, PriceMatch>;

/** The per-token and per-second price fields, as numbers. */
export const PRICE_FIELDS = [
  "input_cost_per_token",
  "output_cost_per_token",
  "cache_read_input_token_cost",
  "cache_creation_input_token_cost",
  "output_cost_per_reasoning_token",
  "input_cost_per_second",
  "output_cost_per_second",
] as const;

export type PriceField = (typeof PRICE_FIELDS)[number];

/** Token limits, as non-negative integers. */
export const LIMIT_FIELDS = ["max_input_tokens", "max_output_tokens", "max_tokens"] as const;

/** The prices that have tiers: `<base>_above_<N>k_tokens` / `<base>_above_<N>_tokens`. */
export const TIERED_PRICE_FIELDS = [
  "input_cost_per_token",
  "output_cost_per_token",
  "cache_read_input_token_cost",
  "cache_creation_input_token_cost",
] as const;

/** Matches a tier field name; group 1 = the base price, group 2 = the threshold text (`200k`, `128000`). */
export const TIER_FIELD = /^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)_above_(\d+(?:\.\d+)?k?)_tokens$/;

/** A finite number, or undefined. */
export function numberField(entry: PriceEntry, field: string): number | undefined {
  const value = entry[field];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
