import { describe, expect, test } from "bun:test";
import { candidateNames, loadPriceMap, lookupPrice, priceMapOf, providerAccepts } from "../../src/spend/prices/index.ts";

const builtin = loadPriceMap({ warn: () => {} });
const keyOf = (query: Parameters<typeof lookupPrice>[1], map = builtin) => lookupPrice(map, query)?.key ?? null;

describe("lookup order (API.md §6)", () => {
  test("a provider's own entry is found as <provider>/<model>", () => {
    expect(keyOf({ model: "llama-3.1-8b-instant", provider: "groq" })).toBe("groq/llama-3.1-8b-instant");
    expect(keyOf({ model: "mistral-large-latest", provider: "mistral" })).toBe("mistral/mistral-large-latest");
    expect(keyOf({ model: "accounts/fireworks/models/llama-v3p1-8b-instruct", provider: "fireworks_ai" })).toBe(
      "fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct",
    );
  });

  test("a model written with its provider prefix is found too, and its bare name is the last resort", () => {
    expect(keyOf({ model: "groq/llama-3.1-8b-instant", provider: "groq" })).toBe("groq/llama-3.1-8b-instant");
    const map = priceMapOf({ "llama3-8b": { litellm_provider: "groq", input_cost_per_token: 1e-7 } });
    expect(keyOf({ model: "groq/llama3-8b", provider: "groq" }, map)).toBe("llama3-8b");
  });

  test("bare names of OpenAI and Anthropic models are found as written", () => {
    expect(keyOf({ model: "gpt-4o", provider: "openai" })).toBe("gpt-4o");
    expect(keyOf({ model: "claude-sonnet-4-5", provider: "anthropic" })).toBe("claude-sonnet-4-5");
    expect(keyOf({ model: "text-embedding-3-small", provider: "openai" })).toBe("text-embedding-3-small");
  });

  test("without a provider, the prefix or the known model name supplies it", () => {
    expect(keyOf({ model: "claude-3-5-haiku-20241022" })).toBe("claude-3-5-haiku-20241022");
    expect(keyOf({ model: "deepseek/deepseek-chat" })).toBe("deepseek/deepseek-chat");
  });

  test("the candidate names come in LiteLLM's order", () => {
    expect(candidateNames("ft:gpt-3.5-turbo:my-org:suffix:abc", "openai")).toEqual([
      "openai/ft:gpt-3.5-turbo:my-org:suffix:abc",
      "ft:gpt-3.5-turbo:my-org:suffix:abc",
      "openai/ft:gpt-3.5-turbo",
      "ft:gpt-3.5-turbo",
    ]);
    expect(candidateNames("groq/llama3-8b", "groq")).toEqual(["groq/llama3-8b", "llama3-8b"]);
  });
});

describe("Azure", () => {
  test("an Azure deployment named after the model gets Azure's price, not OpenAI's", () => {
    const azure = lookupPrice(builtin, { model: "gpt-4o-mini", provider: "azure" });
    const openai = lookupPrice(builtin, { model: "gpt-4o-mini", provider: "openai" });
    expect(azure?.key).toBe("azure/gpt-4o-mini");
    expect(azure?.price.input_cost_per_token).toBe(1.65e-7);
    expect(openai?.price.input_cost_per_token).toBe(1.5e-7);
  });

  test("azure never falls back to an OpenAI entry: a custom deployment name needs base_model", () => {
    expect(keyOf({ model: "prod-4o-eastus", provider: "azure" })).toBeNull();
    expect(keyOf({ model: "prod-4o-eastus", provider: "azure", baseModel: "azure/gpt-4o" })).toBe("azure/gpt-4o");
    expect(keyOf({ model: "prod-4o-eastus", provider: "azure", baseModel: "gpt-4o" })).toBe("azure/gpt-4o");
    const openaiOnly = priceMapOf({ "gpt-x": { litellm_provider: "openai", input_cost_per_token: 1e-6 } });
    expect(keyOf({ model: "gpt-x", provider: "azure" }, openaiOnly)).toBeNull();
  });

  test("azure_ai accepts azure and openai entries", () => {
    const openaiOnly = priceMapOf({ "gpt-x": { litellm_provider: "openai", input_cost_per_token: 1e-6 } });
    expect(keyOf({ model: "gpt-x", provider: "azure_ai" }, openaiOnly)).toBe("gpt-x");
    expect(keyOf({ model: "gpt-4o", provider: "azure_ai" })).toBe("gpt-4o");
  });

  test("legacy completion entries belong to their chat provider's family", () => {
    expect(keyOf({ model: "gpt-3.5-turbo-instruct", provider: "openai" })).toBe("gpt-3.5-turbo-instruct");
    expect(keyOf({ model: "gpt-35-turbo-instruct", provider: "azure" })).toBe("azure/gpt-35-turbo-instruct");
  });
});

describe("fine-tunes, base_model, deployment ids, case", () => {
  test("a fine-tuned model id is priced as its fine-tune base", () => {
    expect(keyOf({ model: "ft:gpt-3.5-turbo:my-org:custom-suffix:9abc", provider: "openai" })).toBe("ft:gpt-3.5-turbo");
    expect(keyOf({ model: "ft:gpt-4o-mini-2024-07-18:acme::B1x2", provider: "openai" })).toBe("ft:gpt-4o-mini-2024-07-18");
  });

  test("model_info.base_model is tried before the model, which remains the fallback", () => {
    expect(keyOf({ model: "gpt-4o", provider: "openai", baseModel: "gpt-4o-mini" })).toBe("gpt-4o-mini");
    expect(keyOf({ model: "gpt-4o", provider: "openai", baseModel: "not-a-model" })).toBe("gpt-4o");
  });

  test("an entry keyed by the deployment id wins without a provider check", () => {
    const map = priceMapOf({ "dep-42": { litellm_provider: "openai", input_cost_per_token: 9e-6 }, "gpt-4o": { litellm_provider: "openai" } });
    expect(keyOf({ model: "gpt-4o", provider: "anthropic", deploymentId: "DEP-42" }, map)).toBe("dep-42");
  });

  test("keys match case-insensitively and keep their written case", () => {
    expect(keyOf({ model: "GPT-4o-Mini", provider: "OpenAI" })).toBe("gpt-4o-mini");
    expect(keyOf({ model: "meta-llama/llama-3.3-70b-instruct-turbo", provider: "together_ai" })).toBe(
      "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    );
  });
});

describe("provider check", () => {
  test("an entry of another provider is skipped and the next name is tried", () => {
    const map = priceMapOf({
      "groq/llama3-8b": { litellm_provider: "openai", input_cost_per_token: 1e-6 },
      "llama3-8b": { litellm_provider: "groq", input_cost_per_token: 5e-8 },
    });
    expect(keyOf({ model: "groq/llama3-8b", provider: "groq" }, map)).toBe("llama3-8b");
    expect(keyOf({ model: "gpt-4o", provider: "mistral" })).toBeNull();
    expect(keyOf({ model: "claude-sonnet-4-5", provider: "openai" })).toBeNull();
  });

  test("provider families: fireworks_ai*, vertex_ai*, bedrock*", () => {
    expect(keyOf({ model: "nomic-ai/nomic-embed-text-v1.5", provider: "fireworks_ai" })).toBe("fireworks_ai/nomic-ai/nomic-embed-text-v1.5");
    const vertex = priceMapOf({ "gemini-1.5-flash": { litellm_provider: "vertex_ai-language-models", input_cost_per_token: 7.5e-8 } });
    expect(keyOf({ model: "gemini-1.5-flash-001", provider: "vertex_ai" }, vertex)).toBe("gemini-1.5-flash");
    expect(providerAccepts("bedrock", "bedrock_converse")).toBe(true);
  });

  test("proxies and generic OpenAI-compatible servers accept any entry", () => {
    for (const provider of ["openai_compatible", "litellm_proxy", "custom_openai", "openai_like", "github"]) {
      expect(keyOf({ model: "gpt-4o", provider })).toBe("gpt-4o");
    }
  });

  test("an entry without litellm_provider matches every provider", () => {
    expect(providerAccepts("groq", undefined)).toBe(true);
    expect(providerAccepts(null, "openai")).toBe(true);
  });
});
