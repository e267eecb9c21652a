import { describe, expect, test } from "bun:test";
import {
  createCostCalculator,
  DEFAULT_MAX_OUTPUT_TOKENS,
  estimateCost,
  estimatePromptTokens,
  isFreeDeployment,
  isFreeModel,
  loadPriceMap,
  type PriceEntry,
} from "../../src/spend/prices/index.ts";
import { deployment, expectUsd } from "./price-fixtures.ts";

describe("free models skip budgets (API.md §6)", () => {
  const free = deployment({ id: "f1", provider: "ollama", model: "llama3", params: { input_cost_per_token: 0, output_cost_per_token: 0 } });

  test("input and output prices both explicitly 0 make a deployment free", () => {
    expect(isFreeDeployment(free)).toBe(true);
    expect(isFreeDeployment(deployment({ id: "f2", provider: "ollama", model: "llama3", modelInfo: { input_cost_per_token: 0, output_cost_per_token: 0 } }))).toBe(true);
  });

  test("one price unset, one price above 0, or a per-second price means not free", () => {
    expect(isFreeDeployment(deployment({ id: "n1", provider: "openai", model: "gpt-4o" }))).toBe(false);
    expect(isFreeDeployment(deployment({ id: "n2", provider: "ollama", model: "llama3", params: { input_cost_per_token: 0 } }))).toBe(false);
    expect(isFreeDeployment(deployment({ id: "n3", provider: "ollama", model: "llama3", params: { input_cost_per_token: 0, output_cost_per_token: 1e-9 } }))).toBe(false);
    expect(isFreeDeployment(deployment({ id: "n4", provider: "ollama", model: "llama3", params: { input_cost_per_token: 0, output_cost_per_token: 0, input_cost_per_second: 1e-4 } }))).toBe(false);
  });

  test("a model group is free when every deployment in it is", () => {
    const paid = deployment({ id: "p1", provider: "openai", model: "gpt-4o-mini" });
    expect(isFreeModel([free, free])).toBe(true);
    expect(isFreeModel([free, paid])).toBe(false);
    expect(isFreeModel([])).toBe(false);
  });
});

describe("reservation estimate", () => {
  const mini: PriceEntry = { litellm_provider: "openai", input_cost_per_token: 1.5e-7, output_cost_per_token: 6e-7, max_output_tokens: 16384 };
  const messages = [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Name three prime numbers." },
  ];

  test("prompt tokens are the serialised prompt's characters / 4, rounded up", () => {
    expect(estimatePromptTokens({ messages })).toBe(Math.ceil(JSON.stringify(messages).length / 4));
    expect(estimatePromptTokens({ prompt: "abcdefghi" })).toBe(3);
    const tools = [{ type: "function", function: { name: "lookup", parameters: {} } }];
    expect(estimatePromptTokens({ messages, tools })).toBe(Math.ceil((JSON.stringify(messages).length + JSON.stringify(tools).length) / 4));
  });

  test("worst case = prompt × input + the request's max output × output", () => {
    expectUsd(estimateCost(mini, { body: { messages, max_tokens: 500 }, promptTokens: 1000 }), 1000 * 1.5e-7 + 500 * 6e-7);
    expectUsd(estimateCost(mini, { body: { messages, max_tokens: 500, max_completion_tokens: 200 }, promptTokens: 1000 }), 1000 * 1.5e-7 + 200 * 6e-7);
    const prompt = estimatePromptTokens({ messages });
    expectUsd(estimateCost(mini, { body: { messages, max_tokens: 10 } }), prompt * 1.5e-7 + 10 * 6e-7);
  });

  test("without max_tokens: the model's max_output_tokens, else 4096", () => {
    expectUsd(estimateCost(mini, { body: { messages }, promptTokens: 100, modelMaxOutputTokens: 16384 }), 100 * 1.5e-7 + 16384 * 6e-7);
    expectUsd(estimateCost(mini, { body: { messages }, promptTokens: 100 }), 100 * 1.5e-7 + DEFAULT_MAX_OUTPUT_TOKENS * 6e-7);
  });

  test("n choices multiply the output; a dearer reasoning price bounds it; embeddings reserve the prompt only", () => {
    expectUsd(estimateCost(mini, { body: { messages, max_tokens: 100, n: 3 }, promptTokens: 10 }), 10 * 1.5e-7 + 300 * 6e-7);
    const reasoner: PriceEntry = { input_cost_per_token: 1e-6, output_cost_per_token: 4e-6, output_cost_per_reasoning_token: 8e-6 };
    expectUsd(estimateCost(reasoner, { body: { messages, max_tokens: 100 }, promptTokens: 10 }), 10 * 1e-6 + 100 * 8e-6);
    expectUsd(estimateCost({ input_cost_per_token: 2e-8 }, { body: { input: ["a", "b"] }, promptTokens: 5000 }), 5000 * 2e-8);
  });

  test("a prompt over a tier threshold reserves at the tier's prices", () => {
    const sonnet: PriceEntry = { input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, input_cost_per_token_above_200k_tokens: 6e-6, output_cost_per_token_above_200k_tokens: 2.25e-5 };
    expectUsd(estimateCost(sonnet, { body: { max_tokens: 1000 }, promptTokens: 250_000 }), 250_000 * 6e-6 + 1000 * 2.25e-5);
  });

  test("the calculator resolves the deployment's price and output limit", () => {
    const map = loadPriceMap({ warn: () => {} });
    const own = deployment({ id: "e-own", provider: "openai", model: "gpt-4o", params: { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 }, modelInfo: { max_output_tokens: 1000 } });
    const plain = deployment({ id: "e-map", provider: "openai", model: "gpt-4o-mini" });
    const calc = createCostCalculator({ priceMap: map, deployments: [own, plain], warn: () => {} });
    const fromOwn = calc.estimate({ deploymentId: "e-own", model: "gpt-4o", provider: "openai", body: { messages }, promptTokens: 10 });
    expect(fromOwn.priced).toBe(true);
    expectUsd(fromOwn.cost, 10 * 1e-6 + 1000 * 2e-6);
    const fromMap = calc.estimate({ deploymentId: "e-map", model: "gpt-4o-mini", provider: "openai", body: { messages }, promptTokens: 10 });
    expectUsd(fromMap.cost, 10 * 1.5e-7 + 16384 * 6e-7);
    expect(calc.estimate({ model: "mystery", provider: "openai_compatible", body: { messages } })).toEqual({ cost: 0, priced: false });
  });
});
