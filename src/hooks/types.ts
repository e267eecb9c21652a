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
  /** How long a hook call may take (`TOLLGATE_HOOK_TIMEOUT_MS`, default 5 s). */
  timeoutMs: number;
}

export const DEFAULT_HOOK_TIMEOUT_MS = 5_000;

export const NO_HOOKS: OperatorHooks = Object.freeze({ customKeyGenerate: null, timeoutMs: DEFAULT_HOOK_TIMEOUT_MS });
