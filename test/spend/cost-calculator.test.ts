/** The calculator: which price a settled call gets, and what it costs. */
import { describe, expect, test } from "bun:test";
import { createCostCalculator, loadPriceMap, priceMapOf, type PriceMap } from "../../src/spend/prices/index.ts";
import type { Deployment } from "../../src/proxy/types.ts";
import { deployment, expectUsd, settledCall } from "./price-fixtures.ts";

const builtin = loadPriceMap({ warn: () => {} });

function calculator(deployments: Deployment[] = [], priceMap: PriceMap = builtin) {
  const warnings: string[] = [];
  const calc = createCostCalculator({ priceMap, deployments, warn: (m) => warnings.push(m) });
  return { calc, warnings };
}

describe("prices from the map", () => {
  test("a call is priced by its deployment's provider and model", () => {
    const { calc } = calculator([deployment({ id: "d-groq", provider: "groq", model: "llama-3.3-70b-versatile" })]);
    const result = calc.cost(settledCall({ model_id: "d-groq", provider: "groq", model: "llama-3.3-70b-versatile", prompt_tokens: 3000, completion_tokens: 800 }));
    expect(result.priced).toBe(true);
    expectUsd(result.cost, 3000 * 5.9e-7 + 800 * 7.9e-7);
  });

  test("model_info.base_model prices a deployment whose name is not a model", () => {
    const azure = deployment({ id: "d-az", provider: "azure", model: "prod-4o-eastus", modelInfo: { base_model: "azure/gpt-4o" } });
    const { calc, warnings } = calculator([azure]);
    const result = calc.cost(settledCall({ model_id: "d-az", provider: "azure", model: "prod-4o-eastus", prompt_tokens: 1000, cached_tokens: 200, completion_tokens: 50 }));
    expectUsd(result.cost, 800 * 2.5e-6 + 200 * 1.25e-6 + 50 * 1e-5);
    expect(warnings).toEqual([]);
  });

  test("a wildcard deployment is priced by the model the client asked for", () => {
    const { calc } = calculator([deployment({ id: "d-any", provider: "openai", model: "*", modelName: "*" })]);
    const result = calc.cost(settledCall({ model_id: "d-any", provider: "openai", model: "*", model_group: "gpt-4o-mini", prompt_tokens: 100, completion_tokens: 10 }));
    expectUsd(result.cost, 100 * 1.5e-7 + 10 * 6e-7);
  });

  test("embeddings calls bill the prompt only", () => {
    const { calc } = calculator();
    const result = calc.cost(settledCall({ call_type: "aembedding", model: "text-embedding-3-large", prompt_tokens: 8000 }));
    expectUsd(result.cost, 8000 * 1.3e-7);
  });
});

describe("deployment prices win", () => {
  test("litellm_params prices replace the map's, and cache prices fall back to the configured input price", () => {
    const d = deployment({ id: "d-own", provider: "openai", model: "gpt-4o", params: { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 } });
    const { calc } = calculator([d]);
    const result = calc.cost(settledCall({ model_id: "d-own", model: "gpt-4o", prompt_tokens: 1000, cached_tokens: 400, completion_tokens: 100 }));
    expectUsd(result.cost, 600 * 1e-6 + 400 * 1e-6 + 100 * 2e-6);
    expect(calc.priceFor({ deploymentId: "d-own", model: "gpt-4o" })?.key).toBe("d-own");
  });

  test("configured cache prices are used", () => {
    const d = deployment({
      id: "d-cache",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      params: { input_cost_per_token: 2e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 2e-7, cache_creation_input_token_cost: 2.5e-6 },
    });
    const { calc } = calculator([d]);
    const result = calc.cost(
      settledCall({ model_id: "d-cache", provider: "anthropic", model: "claude-sonnet-4-5", prompt_tokens: 7100, cached_tokens: 5000, cache_creation_tokens: 2000, completion_tokens: 300 }),
    );
    expectUsd(result.cost, 100 * 2e-6 + 5000 * 2e-7 + 2000 * 2.5e-6 + 300 * 1e-5);
  });

  test("model_info input/output prices count as the deployment's own", () => {
    const d = deployment({ id: "d-info", provider: "openai_compatible", model: "house-llm", modelInfo: { input_cost_per_token: 3e-7, output_cost_per_token: 6e-7 } });
    const { calc } = calculator([d]);
    expectUsd(calc.cost(settledCall({ model_id: "d-info", provider: "openai_compatible", model: "house-llm", prompt_tokens: 10, completion_tokens: 20 })).cost, 10 * 3e-7 + 20 * 6e-7);
  });

  test("per-second prices bill the call's duration", () => {
    const d = deployment({ id: "d-time", provider: "openai_compatible", model: "gpu-box", params: { input_cost_per_second: 1e-4, output_cost_per_second: 2e-4 } });
    const { calc } = calculator([d]);
    const start = new Date("2025-01-01T00:00:00.000Z");
    const call = settledCall({ model_id: "d-time", provider: "openai_compatible", model: "gpu-box", prompt_tokens: 500, completion_tokens: 500, start_time: start, end_time: new Date(start.getTime() + 12_500) });
    expectUsd(calc.cost(call).cost, 1e-4 * 12.5 + 2e-4 * 12.5);
  });

  test("a price file entry keyed by the deployment id is used when the deployment configures none", () => {
    const map = priceMapOf({ "d-file": { litellm_provider: "openai", input_cost_per_token: 7e-6, output_cost_per_token: 7e-6 }, "gpt-4o": { litellm_provider: "openai", input_cost_per_token: 1 } });
    const { calc } = calculator([deployment({ id: "d-file", provider: "openai", model: "gpt-4o" })], map);
    expectUsd(calc.cost(settledCall({ model_id: "d-file", model: "gpt-4o", prompt_tokens: 10, completion_tokens: 10 })).cost, 10 * 7e-6 + 10 * 7e-6);
  });
});

describe("unpriced models and failed calls", () => {
  test("an unmapped model costs 0 and is reported once, however many calls it gets", () => {
    const { calc, warnings } = calculator([deployment({ id: "d-x", provider: "openai_compatible", model: "mystery-7b" })]);
    const call = settledCall({ model_id: "d-x", provider: "openai_compatible", model: "mystery-7b", prompt_tokens: 100, completion_tokens: 100 });
    for (let i = 0; i < 5; i++) expect(calc.cost(call)).toEqual({ cost: 0, priced: false });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toStartWith("Cost tracking failed for model=openai_compatible/mystery-7b");
    calc.cost(settledCall({ provider: "groq", model: "another-unknown", prompt_tokens: 1 }));
    expect(warnings).toHaveLength(2);
  });

  test("a call that reached no deployment costs 0 without a warning", () => {
    const { calc, warnings } = calculator();
    expect(calc.cost(settledCall({ model: null, model_id: null, provider: null, status: "failure", http_status: 429 }))).toEqual({ cost: 0, priced: false });
    expect(warnings).toEqual([]);
  });

  test("a failed call costs what its usage says", () => {
    const { calc } = calculator();
    expect(calc.cost(settledCall({ model: "gpt-4o", status: "failure", http_status: 500 }))).toEqual({ cost: 0, priced: true });
    const aborted = calc.cost(settledCall({ model: "gpt-4o", status: "failure", http_status: 499, error: "client disconnected", prompt_tokens: 120, completion_tokens: 40, usage_estimated: true }));
    expectUsd(aborted.cost, 120 * 2.5e-6 + 40 * 1e-5);
  });
});

describe("summing", () => {
  test("each call's cost is exact to its terms; sums stay within 1e-12 of the formula", () => {
    const { calc } = calculator();
    let total = 0;
    let expected = 0;
    for (let i = 1; i <= 1000; i++) {
      total += calc.cost(settledCall({ model: "gpt-4o-mini", prompt_tokens: i, completion_tokens: 2 * i })).cost;
      expected += i * 1.5e-7 + 2 * i * 6e-7;
    }
    expectUsd(total, expected);
  });
});
