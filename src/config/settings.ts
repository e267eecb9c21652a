/**
 * Runtime settings that come from several places. Precedence, highest first:
 * CLI flag > environment > config file > default (with the exceptions LiteLLM has:
 * a master key in the config file wins over `LITELLM_MASTER_KEY`).
 */
import { dirname, resolve } from "node:path";
import { ConfigError } from "./config-error.ts";
import type { Config } from "./schema.ts";

export interface RuntimeSettings {
  /** Admin key (`sk-…`), or null when the proxy runs without auth. */
  masterKey: string | null;
  /** Postgres URL, or null to use SQLite at `sqlitePath`. */
  databaseUrl: string | null;
  sqlitePath: string;
  port: number;
  host: string;
  /** Apply pending migrations at start-up (off with `--no-migrate`). */
  migrate: boolean;
  /** Absolute path of the config file, or null when none was given. */
  configPath: string | null;
  /** Directory that hook files (`custom_auth`, `custom_key_generate`) are resolved against. */
  configDir: string;
}

export interface SettingsFlags {
  config?: string;
  port?: string;
  host?: string;
  db?: string;
  noMigrate?: boolean;
}

type Env = Record<string, string | undefined>;

const DEFAULT_PORT = 4000;
const DEFAULT_HOST = "0.0.0.0";
const DEFAULT_SQLITE_PATH = "./tollgate.db";

export function resolveSettings(config: Config, flags: SettingsFlags, env: Env): RuntimeSettings {
  const configPath = flags.config === undefined ? null : resolve(flags.config);
  return {
    masterKey: resolveMasterKey(config, env),
    databaseUrl: nonEmpty(env.DATABASE_URL) ?? nonEmpty(config.general_settings?.database_url) ?? null,
    sqlitePath: nonEmpty(flags.db) ?? nonEmpty(env.TOLLGATE_DB_PATH) ?? DEFAULT_SQLITE_PATH,
    port: resolvePort(flags.port, env.PORT),
    host: nonEmpty(flags.host) ?? DEFAULT_HOST,
    migrate: flags.noMigrate !== true,
    configPath,
    configDir: configPath === null ? process.cwd() : dirname(configPath),
  };
}

function resolveMasterKey(config: Config, env: Env): string | null {
  const fromConfig = nonEmpty(config.general_settings?.master_key);
  if (fromConfig !== undefined) return fromConfig;
  const fromEnv = nonEmpty(env.LITELLM_MASTER_KEY);
  if (fromEnv === undefined) return null;
  if (!fromEnv.startsWith("sk-")) throw new ConfigError('LITELLM_MASTER_KEY must start with "sk-" (value not shown)');
  return fromEnv;
}

function resolvePort(flag: string | undefined, fromEnv: string | undefined): number {
  const [source, raw] = nonEmpty(flag) !== undefined ? ["--port", flag] : ["PORT", nonEmpty(fromEnv)];
  if (raw === undefined) return DEFAULT_PORT;
  const port = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new ConfigError(`${source} must be an integer between 0 and 65535, got ${JSON.stringify(raw)}`);
  }
  return port;
}

/** An empty string (e.g. `PORT=` in a compose file) means "not set". */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
