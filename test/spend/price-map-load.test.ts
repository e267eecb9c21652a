import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/config/index.ts";
import { BUILTIN_PRICES, loadPriceMap, lookupPrice, PRICE_FIELDS, resolvePriceMapPath } from "../../src/spend/prices/index.ts";

const dir = mkdtempSync(join(tmpdir(), "tollgate-prices-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function priceFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

function loadError(path: string): ConfigError {
  try {
    loadPriceMap({ path, warn: () => {} });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("built-in price map", () => {
  test("covers the providers tollgate routes to, every entry priced and attributed", () => {
    const providers = new Set(Object.values(BUILTIN_PRICES).map((p) => p.litellm_provider));
    for (const p of ["openai", "azure", "anthropic", "mistral", "groq", "deepseek", "together_ai", "fireworks_ai"]) expect(providers.has(p)).toBe(true);
    expect(Object.keys(BUILTIN_PRICES).length).toBeGreaterThan(150);
    expect(Object.keys(BUILTIN_PRICES).length).toBeLessThan(400);
    for (const [key, entry] of Object.entries(BUILTIN_PRICES)) {
      expect({ key, provider: typeof entry.litellm_provider, mode: typeof entry.mode }).toEqual({ key, provider: "string", mode: "string" });
      const priced = typeof entry.input_cost_per_token === "number" || typeof entry.input_cost_per_second === "number";
      expect({ key, priced }).toEqual({ key, priced: true });
      for (const field of PRICE_FIELDS) if (field in entry) expect(entry[field]).toBeGreaterThanOrEqual(0);
    }
  });

  test("carries LiteLLM's numbers for a few well-known models", () => {
    expect(BUILTIN_PRICES["gpt-4o"]).toMatchObject({ input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-6 });
    expect(BUILTIN_PRICES["claude-3-5-haiku-20241022"]).toMatchObject({ input_cost_per_token: 8e-7, output_cost_per_token: 4e-6, cache_creation_input_token_cost: 1e-6, cache_read_input_token_cost: 8e-8 });
    expect(BUILTIN_PRICES["claude-sonnet-4-5"]).toMatchObject({ input_cost_per_token_above_200k_tokens: 6e-6, output_cost_per_token_above_200k_tokens: 2.25e-5 });
    expect(BUILTIN_PRICES["text-embedding-3-small"]).toMatchObject({ input_cost_per_token: 2e-8, mode: "embedding" });
  });

  test("without a file the map is exactly the built-in entries", () => {
    const map = loadPriceMap({ path: null, warn: () => {} });
    expect(map.size).toBe(Object.keys(BUILTIN_PRICES).length);
  });
});

describe("price file", () => {
  test("its entries replace built-in ones key by key; sample_spec is ignored; the rest stays", () => {
    const path = priceFile("override.json", {
      sample_spec: { input_cost_per_token: 0.0, litellm_provider: "one of https://docs.litellm.ai/docs/providers", max_tokens: "LEGACY parameter" },
      "GPT-4o": { litellm_provider: "openai", mode: "chat", input_cost_per_token: 1e-6, output_cost_per_token: "2e-6", max_tokens: null },
      "acme/llm-1": { litellm_provider: "acme", mode: "chat", input_cost_per_token: 4e-7, output_cost_per_token: 8e-7, max_output_tokens: 2048, supports_vision: true },
    });
    const map = loadPriceMap({ path, warn: () => {} });
    expect(map.size).toBe(Object.keys(BUILTIN_PRICES).length + 1);
    expect(map.has("sample_spec")).toBe(false);
    const gpt4o = lookupPrice(map, { model: "gpt-4o", provider: "openai" });
    expect(gpt4o?.key).toBe("GPT-4o");
    // The whole entry is replaced: no built-in cache price lingers next to the new input price.
    // Numeric strings become numbers; null fields are dropped.
    expect(gpt4o?.price).toEqual({ litellm_provider: "openai", mode: "chat", input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 });
    expect(lookupPrice(map, { model: "llm-1", provider: "acme" })?.price).toMatchObject({ max_output_tokens: 2048, supports_vision: true });
    expect(lookupPrice(map, { model: "gpt-4o-mini", provider: "openai" })?.price.input_cost_per_token).toBe(1.5e-7);
  });

  test("an entry without litellm_provider loads with a warning", () => {
    const warnings: string[] = [];
    loadPriceMap({ path: priceFile("no-provider.json", { "house-model": { input_cost_per_token: 1e-6 } }), warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"house-model" has no litellm_provider');
  });

  test("a missing file stops start-up, naming it", () => {
    const path = join(dir, "does-not-exist.json");
    const error = loadError(path);
    expect(error.message).toBe(`price map ${path}: file not found`);
  });

  test("a file that is not JSON, or not an object, stops start-up, naming it", () => {
    const notJson = priceFile("broken.json", "{ not json");
    expect(loadError(notJson).message).toStartWith(`price map ${notJson}: not valid JSON`);
    const list = priceFile("list.json", [{ "gpt-4o": {} }]);
    expect(loadError(list).message).toBe(`price map ${list}: expected a JSON object of model name → prices`);
  });

  test("a malformed entry stops start-up, naming the key and the field", () => {
    const path = priceFile("bad-entry.json", {
      "gpt-4o": { litellm_provider: "openai", input_cost_per_token: "cheap" },
      "gpt-4o-mini": { litellm_provider: "openai", output_cost_per_token: -1 },
      "o3": "free",
      "o4-mini": { litellm_provider: "openai", max_output_tokens: "lots" },
    });
    const error = loadError(path);
    expect(error.issues).toEqual([
      `price map ${path}: "gpt-4o".input_cost_per_token: expected a non-negative number, got "cheap"`,
      `price map ${path}: "gpt-4o-mini".output_cost_per_token: expected a non-negative number, got -1`,
      `price map ${path}: "o3": expected an object`,
      `price map ${path}: "o4-mini".max_output_tokens: expected a non-negative number of tokens, got "lots"`,
    ]);
  });

  test("tier prices are validated like base prices", () => {
    const path = priceFile("bad-tier.json", { m: { litellm_provider: "x", input_cost_per_token_above_200k_tokens: "lots" } });
    expect(loadError(path).message).toContain('"m".input_cost_per_token_above_200k_tokens: expected a non-negative number');
  });
});

describe("resolvePriceMapPath", () => {
  test("LITELLM_MODEL_COST_MAP_PATH wins over the config setting; relative paths resolve against the config directory", () => {
    expect(resolvePriceMapPath({ env: { LITELLM_MODEL_COST_MAP_PATH: "/etc/prices.json" }, setting: "mine.json", baseDir: "/srv" })).toBe("/etc/prices.json");
    expect(resolvePriceMapPath({ env: {}, setting: "prices/mine.json", baseDir: "/srv/tollgate" })).toBe("/srv/tollgate/prices/mine.json");
    expect(resolvePriceMapPath({ env: { LITELLM_MODEL_COST_MAP_PATH: "" }, setting: null, baseDir: "/srv" })).toBeNull();
  });
});
