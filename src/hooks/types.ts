/**
 * The shapes operator hooks receive and return. The public definitions live in
 * examples/hooks/tollgate-hooks.d.ts — the file operators copy next to their hooks —
 * and the server uses that same file, so the two cannot drift apart.
 */
import type { KeyGenerateDecision, UserAPIKeyAuth } from "../../examples/hooks/tollgate-hooks";
import type { GenerateKeyRequest } from "../management/keys/model.ts";

export type { GenerateKeyRequest, KeyGenerateDecision, UserAPIKeyAuth };

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

/** `custom_auth`: accept the caller (return who it is) or reject it (throw; 401 with the message). */
export type CustomAuth = (request: Request, apiKey: string) => UserAPIKeyAuth | Promise<UserAPIKeyAuth>;
