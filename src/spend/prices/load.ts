/**
 * Building the price map: the built-in entries, then a LiteLLM-format JSON file whose
 * entries replace built-in ones key by key. Loaded once at start-up; a file that is
 * missing or malformed stops start-up with its path and the offending key.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../../config/config-error.ts";
import { BUILTIN_PRICES } from "./builtin.ts";
import { LIMIT_FIELDS, PRICE_FIELDS, TIER_FIELD, type PriceEntry, type PriceMap, type PriceMatch } from "./types.ts";

type Env = Record<string, string | undefined>;

export interface LoadPriceMapOptions {
  /** A LiteLLM-format JSON file whose entries replace built-in ones; null/undefined = built-in only. */
  path?: string | null;
  /** Told about entries that load but look wrong (no `litellm_provider`, so they match any provider). */
  warn: (message: string) => void;
}

/** The environment variable naming a price file. */
export const PRICE_MAP_PATH_ENV = "LITELLM_MODEL_COST_MAP_PATH";

/**
 * The price file to load: `LITELLM_MODEL_COST_MAP_PATH`, else the config setting
 * (`litellm_settings.model_cost_map_path`), resolved against `baseDir` (the config
 * file's directory) when relative. Environment over config file, as for other settings.
 */
export function resolvePriceMapPath(options: { env: Env; setting?: string | null; baseDir: string }): string | null {
  const fromEnv = options.env[PRICE_MAP_PATH_ENV];
  const chosen = fromEnv !== undefined && fromEnv !== "" ? fromEnv : options.setting;
  if (chosen === undefined || chosen === null || chosen === "") return null;
  return isAbsolute(chosen) ? chosen : resolve(options.baseDir, chosen);
}

/** The built-in map, then the file's entries (case-insensitive keys; a file entry replaces the whole built-in entry). */
export function loadPriceMap(options: LoadPriceMapOptions): PriceMap {
  const map = new Map<string, PriceMatch>();
  addEntries(map, BUILTIN_PRICES);
  if (options.path !== undefined && options.path !== null) {
    addEntries(map, readPriceFile(options.path, options.warn));
  }
  return map;
}

/** A map of exactly these entries (tests, and callers that build their own). */
export function priceMapOf(entries: Readonly<Record<string, PriceEntry>>): PriceMap {
  const map = new Map<string, PriceMatch>();
  addEntries(map, entries);
  return map;
}

function addEntries(map: Map<string, PriceMatch>, entries: Readonly<Record<string, PriceEntry>>): void {
  for (const [key, price] of Object.entries(entries)) map.set(key.toLowerCase(), { key, price });
}

/** Reads and validates a LiteLLM-format price file. `sample_spec` (the schema's documentation entry) is skipped. */
export function readPriceFile(path: string, warn: (message: string) => void): Record<string, PriceEntry> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (error as Error).message;
    throw new ConfigError(`price map ${path}: ${reason}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`price map ${path}: not valid JSON (${(error as Error).message})`);
  }
  return parsePriceEntries(parsed, path, warn);
}

/** Validates parsed JSON as a price map; `source` names it in errors. */
export function parsePriceEntries(parsed: unknown, source: string, warn: (message: string) => void): Record<string, PriceEntry> {
  if (!isObject(parsed)) throw new ConfigError(`price map ${source}: expected a JSON object of model name → prices`);
  const entries: Record<string, PriceEntry> = {};
  const issues: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "sample_spec") continue;
    const entry = parseEntry(value, (field, problem) => issues.push(`price map ${source}: "${key}"${field === null ? "" : `.${field}`}: ${problem}`));
    if (entry === null) continue;
    if (entry.litellm_provider === undefined) warn(`price map ${source}: "${key}" has no litellm_provider, so it prices that model name for every provider`);
    entries[key] = entry;
  }
  if (issues.length > 0) throw new ConfigError(issues.length === 1 ? (issues[0] as string) : `price map ${source}: ${issues.length} invalid entries`, issues);
  return entries;
}

/**
 * One entry. Prices and token limits must be non-negative numbers (numeric strings such as
 * "3e-7", which LiteLLM accepts, are converted; `null` means absent), provider and mode
 * strings. Every other field is kept as given, so LiteLLM's own file loads unchanged.
 */
function parseEntry(value: unknown, problem: (field: string | null, message: string) => void): PriceEntry | null {
  if (!isObject(value)) {
    problem(null, "expected an object");
    return null;
  }
  const entry: Record<string, unknown> = { ...value };
  let ok = true;
  for (const [field, raw] of Object.entries(value)) {
    if (raw === null) {
      delete entry[field];
      continue;
    }
    if (field === "litellm_provider" || field === "mode") {
      if (typeof raw !== "string") {
        problem(field, "expected a string");
        ok = false;
      }
    } else if (isPriceField(field)) {
      const price = toNumber(raw);
      if (price === undefined || price < 0) {
        problem(field, `expected a non-negative number, got ${JSON.stringify(raw)}`);
        ok = false;
      } else entry[field] = price;
    } else if ((LIMIT_FIELDS as readonly string[]).includes(field)) {
      const limit = toNumber(raw);
      if (limit === undefined || limit < 0) {
        problem(field, `expected a non-negative number of tokens, got ${JSON.stringify(raw)}`);
        ok = false;
      } else entry[field] = limit;
    }
  }
  return ok ? (entry as PriceEntry) : null;
}

function isPriceField(field: string): boolean {
  return (PRICE_FIELDS as readonly string[]).includes(field) || TIER_FIELD.test(field);
}

function toNumber(raw: unknown): number | undefined {
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
