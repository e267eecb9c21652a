import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import type { Config } from "../../src/config/schema.ts";

/** Writes `text` as config.yaml in a fresh temp dir and returns its path. */
export function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-config-"));
  const file = join(dir, "config.yaml");
  writeFileSync(file, text);
  return file;
}

/** Loads `text` as a config file with its own env, collecting warnings instead of printing them. */
export function loadText(text: string, env: Record<string, string | undefined> = {}): { config: Config; warnings: string[] } {
  const warnings: string[] = [];
  const config = loadConfig({ path: writeConfig(text), env, warn: (message) => warnings.push(message) });
  return { config, warnings };
}

/** The error `fn` throws; fails the test when it throws nothing. */
export function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error("expected an error, but none was thrown");
}
