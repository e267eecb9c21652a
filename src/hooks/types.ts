/**
 * The shapes operator hooks receive and return. Hook files may import these types
 * (examples/hooks/tollgate-hooks.d.ts is a copy to keep next to your hook files).
 */
import type { GenerateKeyRequest } from "../management/keys/model.ts";

export type { GenerateKeyRequest };

/** `custom_key_generate`'s answer: false refuses the key with 403 and `message`. */
export interface KeyGenerateDecision {
  decision: boolean;
  message?: string;
}

export type CustomKeyGenerate = (data: GenerateKeyRequest) => KeyGenerateDecision | Promise<KeyGenerateDecision>;

export interface OperatorHooks {
  customKeyGenerate: CustomKeyGenerate | null;
  customAuth: CustomAuth | null;
  /** `custom_auth_run_common_checks`: model access, budgets and limits still apply. */
  customAuthRunCommonChecks: boolean;
  /** How long a hook call may take (`TOLLGATE_HOOK_TIMEOUT_MS`, default 5 s). */
  timeoutMs: number;
}

export const DEFAULT_HOOK_TIMEOUT_MS = 5_000;

export const NO_HOOKS: OperatorHooks = Object.freeze({ customKeyGenerate: null, customAuth: null, customAuthRunCommonChecks: false, timeoutMs: DEFAULT_HOOK_TIMEOUT_MS });

/**
 * What `custom_auth` returns for an accepted caller (a subset of LiteLLM's
 * UserAPIKeyAuth). With `custom_auth_run_common_checks: true`, the models, budget
 * and limits here are enforced like a virtual key's.
 */
export interface UserAPIKeyAuth {
  api_key?: string | null;
  key_alias?: string | null;
  user_id?: string | null;
  team_id?: string | null;
  user_role?: "proxy_admin" | "proxy_admin_viewer" | "internal_user" | "internal_user_viewer" | null;
  models?: string[] | null;
  max_budget?: number | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  max_parallel_requests?: number | null;
  metadata?: Record<string, unknown> | null;
}

/** `custom_auth`: accept the caller (return who it is) or reject it (throw; 401 with the message). */
export type CustomAuth = (request: Request, apiKey: string) => UserAPIKeyAuth | Promise<UserAPIKeyAuth>;
