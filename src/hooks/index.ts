/** Loads the operator hooks the config names (`general_settings.custom_key_generate`). */
import type { Config } from "../config/index.ts";
import { loadHook } from "./load.ts";
import { type CustomKeyGenerate, DEFAULT_HOOK_TIMEOUT_MS, type OperatorHooks } from "./types.ts";

export async function loadOperatorHooks(config: Config, configDir: string, env: Record<string, string | undefined>): Promise<OperatorHooks> {
  const general = config.general_settings ?? {};
  const timeout = Number(env.TOLLGATE_HOOK_TIMEOUT_MS);
  return {
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_HOOK_TIMEOUT_MS,
    customKeyGenerate: general.custom_key_generate ? await loadHook<CustomKeyGenerate>("general_settings.custom_key_generate", general.custom_key_generate, configDir) : null,
  };
}
