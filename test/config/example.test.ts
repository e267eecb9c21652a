import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";

const EXAMPLE = join(import.meta.dir, "../../config.example.yaml");

describe("config.example.yaml", () => {
  test("loads with no warnings and no environment variables set", () => {
    const warnings: string[] = [];
    const config = loadConfig({ path: EXAMPLE, env: {}, warn: (message) => warnings.push(message) });

    expect(warnings).toEqual([]);
    expect(config.model_list.length).toBeGreaterThan(1);
    expect(config.general_settings?.master_key).toBe("sk-1234");
  });

  test("resolves its os.environ/ keys from its own environment_variables", () => {
    const config = loadConfig({ path: EXAMPLE, env: {}, warn: () => {} });

    for (const deployment of config.model_list) {
      expect(deployment.litellm_params.api_key).toBe("sk-replace-me");
      expect(deployment.litellm_params.api_base).toStartWith("http://127.0.0.1:9100");
    }
  });

  test("a real key in the environment wins over the placeholder", () => {
    const env: Record<string, string | undefined> = { OPENAI_API_KEY: "sk-real" };
    const config = loadConfig({ path: EXAMPLE, env, warn: () => {} });

    expect(config.model_list[0]?.litellm_params.api_key).toBe("sk-real");
    expect(env.OPENAI_API_KEY).toBe("sk-real");
  });

  test("declares at least one access group", () => {
    const config = loadConfig({ path: EXAMPLE, env: {}, warn: () => {} });
    const groups = config.model_list.flatMap((deployment) => deployment.model_info?.access_groups ?? []);

    expect(groups.length).toBeGreaterThan(0);
  });
});
