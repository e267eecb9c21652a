import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ConfigError } from "../../src/config/config-error.ts";
import type { Config } from "../../src/config/schema.ts";
import { resolveSettings } from "../../src/config/settings.ts";
import { thrownBy } from "./temp-config.ts";

const EMPTY: Config = { model_list: [] };
const WITH_FILE_SETTINGS: Config = {
  model_list: [],
  general_settings: { master_key: "sk-from-file", database_url: "postgresql://file" },
};

describe("resolveSettings: defaults", () => {
  test("with nothing set", () => {
    expect(resolveSettings(EMPTY, {}, {})).toEqual({
      masterKey: null,
      databaseUrl: null,
      sqlitePath: "./tollgate.db",
      port: 4000,
      host: "0.0.0.0",
      migrate: true,
      configPath: null,
      configDir: process.cwd(),
    });
  });
});

describe("resolveSettings: precedence", () => {
  test("the master key in the config file wins over LITELLM_MASTER_KEY", () => {
    expect(resolveSettings(WITH_FILE_SETTINGS, {}, { LITELLM_MASTER_KEY: "sk-env" }).masterKey).toBe("sk-from-file");
  });

  test("LITELLM_MASTER_KEY is used when the file has none", () => {
    expect(resolveSettings(EMPTY, {}, { LITELLM_MASTER_KEY: "sk-env" }).masterKey).toBe("sk-env");
  });

  test("a LITELLM_MASTER_KEY without sk- is rejected without echoing it", () => {
    const error = thrownBy(() => resolveSettings(EMPTY, {}, { LITELLM_MASTER_KEY: "hunter2" }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain("LITELLM_MASTER_KEY");
    expect(error.message).not.toContain("hunter2");
  });

  test("DATABASE_URL wins over general_settings.database_url", () => {
    expect(resolveSettings(WITH_FILE_SETTINGS, {}, { DATABASE_URL: "postgresql://env" }).databaseUrl).toBe("postgresql://env");
    expect(resolveSettings(WITH_FILE_SETTINGS, {}, {}).databaseUrl).toBe("postgresql://file");
  });

  test("SQLite path: --db > TOLLGATE_DB_PATH > ./tollgate.db", () => {
    expect(resolveSettings(EMPTY, { db: "/flag.db" }, { TOLLGATE_DB_PATH: "/env.db" }).sqlitePath).toBe("/flag.db");
    expect(resolveSettings(EMPTY, {}, { TOLLGATE_DB_PATH: "/env.db" }).sqlitePath).toBe("/env.db");
  });

  test("port: --port > PORT > 4000", () => {
    expect(resolveSettings(EMPTY, { port: "8080" }, { PORT: "9090" }).port).toBe(8080);
    expect(resolveSettings(EMPTY, {}, { PORT: "9090" }).port).toBe(9090);
    expect(resolveSettings(EMPTY, {}, { PORT: "" }).port).toBe(4000);
  });

  test("host: --host > 0.0.0.0", () => {
    expect(resolveSettings(EMPTY, { host: "127.0.0.1" }, {}).host).toBe("127.0.0.1");
  });

  test("--no-migrate turns migrations off", () => {
    expect(resolveSettings(EMPTY, { noMigrate: true }, {}).migrate).toBe(false);
  });

  test("configDir is the config file's directory", () => {
    const settings = resolveSettings(EMPTY, { config: "deploy/config.yaml" }, {});
    expect(settings.configPath).toBe(join(process.cwd(), "deploy/config.yaml"));
    expect(settings.configDir).toBe(join(process.cwd(), "deploy"));
  });
});

describe("resolveSettings: port validation", () => {
  for (const bad of ["abc", "-1", "65536", "80.5", "8080x"]) {
    test(`rejects --port ${bad}`, () => {
      const error = thrownBy(() => resolveSettings(EMPTY, { port: bad }, {}));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain("--port");
    });
  }

  test("names PORT when the bad value came from the environment", () => {
    expect(thrownBy(() => resolveSettings(EMPTY, {}, { PORT: "http" })).message).toContain("PORT must be an integer");
  });

  test("accepts 0 (pick a free port) and 65535", () => {
    expect(resolveSettings(EMPTY, { port: "0" }, {}).port).toBe(0);
    expect(resolveSettings(EMPTY, { port: "65535" }, {}).port).toBe(65535);
  });
});
