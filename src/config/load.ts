/**
 * Loads config.yaml once at start-up: read, export `environment_variables`, resolve
 * `os.environ/` references, validate, warn about unknown fields, check the master key,
 * and hand back a deep-frozen Config. Any problem is a ConfigError that stops start-up.
 */
import { resolve } from "node:path";
import { Value } from "@sinclair/typebox/value";
import { ConfigError } from "./config-error.ts";
import { coerceEnvRefs } from "./env-coerce.ts";
import { envRefName, resolveEnvRefs, type Env } from "./env-refs.ts";
import { formatPath } from "./field-path.ts";
import { readYamlFile } from "./read-yaml.ts";
import { ConfigSchema, EnvironmentVariablesSchema, type Config, type ConfigFile } from "./schema.ts";
import { deepFreeze, describeValue, isMapping, stripNulls } from "./tree.ts";
import { unknownFields } from "./unknown-fields.ts";
import { validationIssues } from "./validate.ts";

export { ConfigError } from "./config-error.ts";

export interface LoadConfigOptions {
  /** Path to config.yaml; without it the gateway runs with an empty config. */
  path?: string;
  /** Receives `environment_variables` and resolves references. Default: `process.env`. */
  env?: Env;
  /** Receives one line per unknown field or YAML warning. Default: `console.warn`. */
  warn?: (message: string) => void;
}

const MAX_ISSUES_SHOWN = 20;

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  if (options.path === undefined) return deepFreeze({ model_list: [] });

  const file = resolve(options.path);
  const raw = stripNulls(readYamlFile(file, warn) ?? {});
  if (!isMapping(raw)) throw new ConfigError(`config file ${file}: expected a mapping at the top level, got ${describeValue(raw)}`);

  exportEnvironmentVariables(file, raw.environment_variables, env);
  const { value, refs, missing } = resolveEnvRefs(raw, env);
  if (missing.length > 0) throw invalid(file, missing);
  coerceEnvRefs(ConfigSchema, value, refs);

  const notes = new Map(refs.map((ref) => [formatPath(ref.path), `(from os.environ/${ref.name})`]));
  if (!Value.Check(ConfigSchema, value)) throw invalid(file, validationIssues(ConfigSchema, value, { notes }));

  for (const path of unknownFields(ConfigSchema, value)) warn(`config: unknown field ${formatPath(path)} is ignored`);
  checkMasterKey(file, value);
  return deepFreeze({ ...value, model_list: value.model_list ?? [] });
}

/**
 * Sets `environment_variables` into `env` before references are resolved, so they may
 * feed `os.environ/` references elsewhere in the file. As in current LiteLLM (which reads
 * each through `get_secret(name, default_value=value)`), a variable already set in the
 * environment wins: the file only supplies defaults. A value may itself be a reference.
 */
function exportEnvironmentVariables(file: string, section: unknown, env: Env): void {
  if (section === undefined) return;
  const issues = validationIssues(EnvironmentVariablesSchema, section, { prefix: ["environment_variables"] });
  if (!isMapping(section) || issues.length > 0) throw invalid(file, issues);
  for (const [name, value] of Object.entries(section)) {
    if (env[name] !== undefined) continue;
    const ref = envRefName(value);
    const resolved = ref === null ? String(value) : env[ref];
    if (resolved === undefined) {
      throw invalid(file, [`environment variable ${ref} is not set (needed by ${formatPath(["environment_variables", name])})`]);
    }
    env[name] = resolved;
  }
}

function checkMasterKey(file: string, config: ConfigFile): void {
  const masterKey = config.general_settings?.master_key;
  if (masterKey !== undefined && !masterKey.startsWith("sk-")) {
    throw invalid(file, ['general_settings.master_key: must start with "sk-" (value not shown)']);
  }
}

function invalid(file: string, issues: readonly string[]): ConfigError {
  const shown = issues.slice(0, MAX_ISSUES_SHOWN);
  const more = issues.length - shown.length;
  const lines = more > 0 ? [...shown, `… and ${more} more`] : shown;
  return new ConfigError(`invalid config file ${file}:\n  ${lines.join("\n  ")}`, issues);
}
