/**
 * Types for tollgate operator hooks: keep this file next to your hook files and
 * `import type { … } from "./tollgate-hooks"`.
 */

/** The body of a /key/generate request, as the hook receives it (after config defaults). */
export interface GenerateKeyRequest {
  key?: string | null;
  key_alias?: string | null;
  duration?: string | null;
  models?: string[] | null;
  aliases?: Record<string, string> | null;
  max_budget?: number | null;
  budget_duration?: string | null;
  soft_budget?: number | null;
  max_parallel_requests?: number | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  metadata?: Record<string, unknown> | null;
  user_id?: string | null;
  team_id?: string | null;
  tags?: string[] | null;
  [field: string]: unknown;
}

/** custom_key_generate's answer: `decision: false` refuses the key with 403 and `message`. */
export interface KeyGenerateDecision {
  decision: boolean;
  message?: string;
}

/** What custom_auth returns for an accepted caller. */
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
