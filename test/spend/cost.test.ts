/**
 * The cost formula, case by case, against the formula written out by hand (1e-12 USD).
 * Prices are LiteLLM's, from the built-in map, unless a test builds its own entry.
 */
import { describe, expect, test } from "bun:test";
import { toUsage } from "../../src/proxy/providers/anthropic/usage.ts";
import { BUILTIN_PRICES, computeCost, type CostUsage, type PriceEntry, unitPrices } from "../../src/spend/prices/index.ts";
import { expectUsd } from "./price-fixtures.ts";

function price(key: string): PriceEntry {
  const entry = BUILTIN_PRICES[key];
  if (!entry) throw new Error(`no built-in entry ${key}`);
  return entry;
}

const usage = (fields: Partial<CostUsage>): CostUsage => ({
  prompt_tokens: 0,
  completion_tokens: 0,
  cached_tokens: 0,
  cache_creation_tokens: 0,
  reasoning_tokens: 0,
  ...fields,
});

describe("token prices", () => {
  test("plain call: prompt × input + completion × output", () => {
    const cost = computeCost(price("gpt-4o-mini"), usage({ prompt_tokens: 1200, completion_tokens: 350 }));
    expectUsd(cost, 1200 * 1.5e-7 + 350 * 6e-7);
    expectUsd(cost, 0.00039);
  });

  test("OpenAI cached prompt tokens are part of prompt_tokens and billed at the cache-read price", () => {
    const cost = computeCost(price("gpt-4o"), usage({ prompt_tokens: 2000, cached_tokens: 1536, completion_tokens: 100 }));
    expectUsd(cost, (2000 - 1536) * 2.5e-6 + 1536 * 1.25e-6 + 100 * 1e-5);
    expectUsd(cost, 0.00408);
  });

  test("Anthropic cache reads and writes, as the adapter reports them, each at their own price", () => {
    // Anthropic's usage: input_tokens excludes both cache counts; the adapter adds them into prompt_tokens.
    const reported = toUsage({ input: 100, output: 300, cacheCreation: 2000, cacheRead: 5000 });
    expect(reported).toMatchObject({ prompt_tokens: 7100, cached_tokens: 5000, cache_creation_tokens: 2000 });
    const cost = computeCost(price("claude-sonnet-4-5"), reported);
    expectUsd(cost, 100 * 3e-6 + 5000 * 3e-7 + 2000 * 3.75e-6 + 300 * 1.5e-5);
    expectUsd(cost, 0.0138);
  });

  test("a model without cache prices bills cached and cache-written tokens at its input price", () => {
    const cost = computeCost(price("gpt-4-turbo"), usage({ prompt_tokens: 1000, cached_tokens: 600, cache_creation_tokens: 100, completion_tokens: 10 }));
    expectUsd(cost, 300 * 1e-5 + 600 * 1e-5 + 100 * 1e-5 + 10 * 3e-5);
  });

  test("reasoning tokens (part of completion_tokens) use the reasoning price when the model has one", () => {
    const reasoner: PriceEntry = { litellm_provider: "x", input_cost_per_token: 1e-6, output_cost_per_token: 4e-6, output_cost_per_reasoning_token: 8e-6 };
    const cost = computeCost(reasoner, usage({ prompt_tokens: 500, completion_tokens: 1000, reasoning_tokens: 700 }));
    expectUsd(cost, 500 * 1e-6 + 300 * 4e-6 + 700 * 8e-6);
  });

  test("reasoning tokens are ordinary output tokens when the model has no reasoning price", () => {
    const cost = computeCost(price("o3-mini"), usage({ prompt_tokens: 500, completion_tokens: 1000, reasoning_tokens: 700 }));
    expectUsd(cost, 500 * 1.1e-6 + 1000 * 4.4e-6);
  });

  test("above 200k prompt tokens every price moves to its tier", () => {
    const cost = computeCost(
      price("claude-sonnet-4-5"),
      usage({ prompt_tokens: 250_000, cached_tokens: 50_000, cache_creation_tokens: 10_000, completion_tokens: 1000 }),
    );
    expectUsd(cost, 190_000 * 6e-6 + 50_000 * 6e-7 + 10_000 * 7.5e-6 + 1000 * 2.25e-5);
  });

  test("the tier starts strictly above the threshold", () => {
    const at = computeCost(price("claude-sonnet-4-5"), usage({ prompt_tokens: 200_000, completion_tokens: 10 }));
    expectUsd(at, 200_000 * 3e-6 + 10 * 1.5e-5);
    const over = computeCost(price("claude-sonnet-4-5"), usage({ prompt_tokens: 200_001, completion_tokens: 10 }));
    expectUsd(over, 200_001 * 6e-6 + 10 * 2.25e-5);
  });

  test("with several tiers the highest threshold exceeded applies; a tier without an output price keeps the base one", () => {
    const tiered: PriceEntry = {
      input_cost_per_token: 1e-6,
      output_cost_per_token: 2e-6,
      input_cost_per_token_above_128k_tokens: 1.5e-6,
      output_cost_per_token_above_128k_tokens: 3e-6,
      input_cost_per_token_above_272k_tokens: 2e-6,
    };
    expect(unitPrices(tiered, 300_000)).toMatchObject({ tier: "272k", input: 2e-6, output: 2e-6 });
    expect(unitPrices(tiered, 200_000)).toMatchObject({ tier: "128k", input: 1.5e-6, output: 3e-6 });
    expectUsd(computeCost(tiered, usage({ prompt_tokens: 300_000, completion_tokens: 100 })), 300_000 * 2e-6 + 100 * 2e-6);
  });

  test("embeddings: prompt tokens × input price", () => {
    const cost = computeCost(price("text-embedding-3-small"), usage({ prompt_tokens: 5000 }), { embedding: true });
    expectUsd(cost, 5000 * 2e-8);
  });

  test("a missing price is 0", () => {
    expect(computeCost({ litellm_provider: "x" }, usage({ prompt_tokens: 100, completion_tokens: 100 }))).toBe(0);
    expectUsd(computeCost(price("mistral/mistral-embed"), usage({ prompt_tokens: 100, completion_tokens: 5 })), 100 * 1e-7);
  });

  test("parts never exceed their whole: cached beyond the prompt, reasoning beyond the completion", () => {
    const cost = computeCost(price("gpt-4o"), usage({ prompt_tokens: 100, cached_tokens: 150, completion_tokens: 10, reasoning_tokens: 50 }));
    expectUsd(cost, 100 * 1.25e-6 + 10 * 1e-5);
  });
});

describe("time prices", () => {
  test("per-second prices × the call's duration; token prices are not added", () => {
    const timed: PriceEntry = { input_cost_per_second: 1e-4, output_cost_per_second: 2e-4, input_cost_per_token: 1 };
    const cost = computeCost(timed, usage({ prompt_tokens: 1000, completion_tokens: 1000 }), { durationSeconds: 12.5 });
    expectUsd(cost, 1e-4 * 12.5 + 2e-4 * 12.5);
  });

  test("a time-billed call of unknown duration costs 0", () => {
    expect(computeCost({ input_cost_per_second: 3.083e-5 }, usage({ prompt_tokens: 10 }))).toBe(0);
  });
});
