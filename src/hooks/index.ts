/** Loads the operator hooks the config names (`general_settings.custom_auth`, `custom_key_generate`). */
import type { Config } from "../config/index.ts";
import { loadHook } from "./load.ts";
import { type CustomAuth, type CustomKeyGenerate, DEFAULT_HOOK_TIMEOUT_MS, type OperatorHooks } from "./types.ts";

export async function loadOperatorHooks(config: Config, configDir: string, env: Record<string, string | undefined>): Promise<OperatorHooks> {
  const general = config.general_settings ?? {};
  const timeout = Number(env.TOLLGATE_HOOK_TIMEOUT_MS);
  return {
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_HOOK_TIMEOUT_MS,
    customAuth: general.custom_auth ? await loadHook<CustomAuth>("general_settings.custom_auth", general.custom_auth, configDir) : null,
    customAuthRunCommonChecks: general.custom_auth_run_common_checks === true,
    customKeyGenerate: general.custom_key_generate ? await loadHook<CustomKeyGenerate>("general_settings.custom_key_generate", general.custom_key_generate, configDir) : null,
  };
}
