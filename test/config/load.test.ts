import { describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config/load.ts";
import { loadText, thrownBy, writeConfig } from "./temp-config.ts";

const ONE_MODEL = `
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
`;

describe("loadConfig: basics", () => {
  test("no path gives an empty config with an empty model_list", () => {
    expect(loadConfig({ env: {} })).toEqual({ model_list: [] });
  });

  test("an empty file is a valid config", () => {
    const { config, warnings } = loadText("");
    expect(config).toEqual({ model_list: [] });
    expect(warnings).toEqual([]);
  });

  test("a section whose settings are all commented out counts as absent", () => {
    const { config } = loadText("general_settings:\n  # master_key: sk-1\nmodel_list:\n");
    expect(config.general_settings).toBeUndefined();
    expect(config.model_list).toEqual([]);
  });

  test("extra provider params in litellm_params are kept without a warning", () => {
    const { config, warnings } = loadText(`${ONE_MODEL}      top_p: 0.5\n      seed: 7\n`);
    expect(config.model_list[0]?.litellm_params["top_p"]).toBe(0.5);
    expect(warnings).toEqual([]);
  });

  test("the result is deep-frozen", () => {
    const { config } = loadText(ONE_MODEL);
    const params = config.model_list[0]?.litellm_params;
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.model_list)).toBe(true);
    expect(Object.isFrozen(params)).toBe(true);
  });

  test("booleans are read as LiteLLM (PyYAML) reads them: yes/no are booleans, y/n are not", () => {
    const { config } = loadText("litellm_settings:\n  drop_params: yes\n  set_verbose: False\nmodel_list:\n  - model_name: n\n    litellm_params: {model: y}\n");
    expect(config.litellm_settings?.drop_params).toBe(true);
    expect(config.litellm_settings?.set_verbose).toBe(false);
    expect(config.model_list[0]?.model_name).toBe("n");
  });
});

describe("loadConfig: os.environ/ references", () => {
  test("are resolved anywhere in the tree", () => {
    const { config } = loadText(
      `${ONE_MODEL}      api_key: os.environ/OPENAI_API_KEY\n      extra_headers: {x-org: os.environ/ORG}\ngeneral_settings:\n  database_url: os.environ/PG_URL\n`,
      { OPENAI_API_KEY: "sk-upstream", ORG: "acme", PG_URL: "postgresql://db" },
    );
    expect(config.model_list[0]?.litellm_params.api_key).toBe("sk-upstream");
    expect(config.model_list[0]?.litellm_params.extra_headers).toEqual({ "x-org": "acme" });
    expect(config.general_settings?.database_url).toBe("postgresql://db");
  });

  test("a missing variable is an error naming the variable and the field", () => {
    const error = thrownBy(() => loadText(`${ONE_MODEL}      api_key: os.environ/OPENAI_API_KEY\n`));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain("OPENAI_API_KEY");
    expect(error.message).toContain("model_list[0].litellm_params.api_key");
  });

  test("environment_variables are exported first, so references may use them", () => {
    const env: Record<string, string | undefined> = {};
    const { config } = loadText(
      `environment_variables:\n  UPSTREAM_KEY: sk-from-file\n  RETRIES: 3\n${ONE_MODEL}      api_key: os.environ/UPSTREAM_KEY\n`,
      env,
    );
    expect(config.model_list[0]?.litellm_params.api_key).toBe("sk-from-file");
    expect(env.UPSTREAM_KEY).toBe("sk-from-file");
    expect(env.RETRIES).toBe("3");
  });

  test("a variable already in the environment wins over environment_variables", () => {
    const env: Record<string, string | undefined> = { UPSTREAM_KEY: "sk-real" };
    const { config } = loadText(`environment_variables:\n  UPSTREAM_KEY: sk-placeholder\n${ONE_MODEL}      api_key: os.environ/UPSTREAM_KEY\n`, env);
    expect(config.model_list[0]?.litellm_params.api_key).toBe("sk-real");
  });

  test("a reference in a numeric field is converted to a number", () => {
    const { config } = loadText(`${ONE_MODEL}      rpm: os.environ/RPM\nrouter_settings:\n  redis_port: os.environ/REDIS_PORT\n`, {
      RPM: "100",
      REDIS_PORT: "6379",
    });
    expect(config.model_list[0]?.litellm_params.rpm).toBe(100);
    expect(config.router_settings?.redis_port).toBe(6379);
  });

  test("a reference that is not a number where one is needed says where the value came from", () => {
    const error = thrownBy(() => loadText(`${ONE_MODEL}      rpm: os.environ/RPM\n`, { RPM: "lots" }));
    expect(error.message).toContain("model_list[0].litellm_params.rpm: expected integer, got string (from os.environ/RPM)");
  });
});

describe("loadConfig: validation", () => {
  test("a type error names the field's path", () => {
    const error = thrownBy(() => loadText(`${ONE_MODEL}      rpm: "100"\n`));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain("model_list[0].litellm_params.rpm: expected integer");
  });

  test("the path form matches the design doc's example", () => {
    const text = `model_list:\n${["a", "b", "c"].map((name) => `  - model_name: ${name}\n    litellm_params: {model: openai/${name}}\n`).join("")}`;
    const error = thrownBy(() => loadText(text.replace("openai/c}", "openai/c, api_base: 8080}")));
    expect(error.message).toContain("model_list[2].litellm_params.api_base: expected string");
  });

  test("every bad field is reported, one per line", () => {
    const error = thrownBy(() => loadText("general_settings:\n  master_key: 5\nrouter_settings:\n  num_retries: two\n"));
    expect(error).toBeInstanceOf(ConfigError);
    if (!(error instanceof ConfigError)) return;
    expect(error.issues).toEqual([
      "general_settings.master_key: expected string, got integer",
      "router_settings.num_retries: expected integer, got string",
    ]);
  });

  test("a missing required field is reported", () => {
    const error = thrownBy(() => loadText("model_list:\n  - model_name: gpt-4o\n"));
    expect(error.message).toContain("model_list[0].litellm_params: required field is missing");
  });

  test("an unknown routing strategy lists the valid ones", () => {
    const error = thrownBy(() => loadText("router_settings:\n  routing_strategy: round-robin\n"));
    expect(error.message).toContain('router_settings.routing_strategy: expected one of "simple-shuffle"');
  });

  test("a top level that is not a mapping is rejected", () => {
    const error = thrownBy(() => loadText("- model_name: gpt-4o\n"));
    expect(error.message).toContain("expected a mapping at the top level");
  });
});

describe("loadConfig: unknown fields", () => {
  test("each unknown field is warned about exactly once and kept", () => {
    const { config, warnings } = loadText("general_settings:\n  foo_bar: 1\n  master_key: sk-1\n");
    expect(warnings).toEqual(["config: unknown field general_settings.foo_bar is ignored"]);
    expect(config.general_settings).toMatchObject({ foo_bar: 1 });
  });

  test("unknown fields at the top level and on a deployment are warned about", () => {
    const { warnings } = loadText(`${ONE_MODEL}    tpm: 5\ninclude: [other.yaml]\n`);
    expect(warnings).toEqual([
      "config: unknown field model_list[0].tpm is ignored",
      "config: unknown field include is ignored",
    ]);
  });
});

describe("loadConfig: master key", () => {
  test("a master key not starting with sk- is rejected without echoing it", () => {
    const error = thrownBy(() => loadText("general_settings:\n  master_key: hunter2-secret\n"));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain("general_settings.master_key");
    expect(error.message).toContain("sk-");
    expect(error.message).not.toContain("hunter2");
  });

  test("a master key from the environment is checked the same way", () => {
    const error = thrownBy(() => loadText("general_settings:\n  master_key: os.environ/MK\n", { MK: "hunter2" }));
    expect(error.message).not.toContain("hunter2");
  });
});

describe("loadConfig: unreadable files", () => {
  test("a missing file is an error naming it", () => {
    const missing = join(mkdtempSync(join(tmpdir(), "tollgate-config-")), "nope.yaml");
    const error = thrownBy(() => loadConfig({ path: missing, env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`config file not found: ${missing}`);
  });

  test("invalid YAML is an error naming the file and the line", () => {
    const file = writeConfig("model_list:\n  - model_name: a\n    litellm_params: {model: [b\n");
    const error = thrownBy(() => loadConfig({ path: file, env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/invalid YAML/);
    expect(error.message).toMatch(/line \d+/);
  });

  test("a duplicated key is an error rather than last-one-wins", () => {
    const file = writeConfig("general_settings:\n  master_key: sk-1\n  master_key: sk-2\n");
    const error = thrownBy(() => loadConfig({ path: file, env: {} }));
    expect(error.message).toContain("(line 3, column 3): invalid YAML: Map keys must be unique");
  });

  test.skipIf(process.getuid?.() === 0)("an unreadable file is an error naming it", () => {
    const file = writeConfig("model_list: []\n");
    chmodSync(file, 0o000);
    const error = thrownBy(() => loadConfig({ path: file, env: {} }));
    expect(error.message).toContain(file);
  });
});
