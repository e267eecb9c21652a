/**
 * Operator hooks named in the config as `<file>.<function>` (LiteLLM's module.function
 * form): the file is a `.ts`, `.js` or `.mjs` next to the config file (or a relative
 * path from it), loaded once at start-up — also by the compiled binary, with no rebuild.
 * A missing file or function stops start-up naming it.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../config/index.ts";

const EXTENSIONS = [".ts", ".js", ".mjs", ""];

export async function loadHook<F extends (...args: never[]) => unknown>(setting: string, spec: string, configDir: string): Promise<F> {
  const dot = spec.lastIndexOf(".");
  if (dot <= 0 || dot === spec.length - 1) throw new ConfigError(`${setting}: "${spec}" must be <file>.<function>, e.g. custom_auth.user_api_key_auth`);
  const modulePath = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  const base = isAbsolute(modulePath) ? modulePath : resolve(configDir, modulePath);
  const file = EXTENSIONS.map((ext) => base + ext).find((candidate) => existsSync(candidate) && !candidate.endsWith("/"));
  if (!file) throw new ConfigError(`${setting}: no file ${base}.ts, .js or .mjs (from "${spec}", relative to ${configDir})`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${setting}: loading ${file} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const fn = module[name];
  if (typeof fn !== "function") throw new ConfigError(`${setting}: ${file} exports no function named "${name}"`);
  return fn as F;
}

/** Runs a hook call with a deadline; a hook that hangs must not hang the request. */
export async function withHookTimeout<T>(setting: string, call: () => Promise<T> | T, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HookTimeoutError(`${setting} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(call), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class HookTimeoutError extends Error {}
