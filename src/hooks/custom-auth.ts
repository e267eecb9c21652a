/**
 * `general_settings.custom_auth` replaces tollgate's key check on every route: the
 * operator's function gets the request and the presented key and returns who the
 * caller is, or throws to refuse (401 with its message). Without
 * `custom_auth_run_common_checks`, what it returns is trusted as is: no model access
 * rules, budgets or limits. With it, the returned models, budget and limits are
 * enforced like a virtual key's, and spend is recorded under the returned api_key.
 */
import type { ExtractedKey } from "../auth/extract-key.ts";
import { hashKey } from "../auth/key-format.ts";
import { NO_KEY_BUDGETS, type Principal } from "../auth/principal.ts";
import { isUserRole } from "../auth/roles.ts";
import type { KeyRow } from "../db/rows.ts";
import type { JsonObject } from "../db/json.ts";
import { ApiError } from "../errors.ts";
import { HookTimeoutError, withHookTimeout } from "./load.ts";
import type { CustomAuth, UserAPIKeyAuth } from "./types.ts";

export interface CustomAuthOptions {
  hook: CustomAuth;
  runCommonChecks: boolean;
  timeoutMs: number;
}

export function createCustomAuthenticator(options: CustomAuthOptions) {
  return async (request: Request, presented: ExtractedKey): Promise<Principal> => {
    const apiKey = presented.ok ? presented.key : "";
    let auth: UserAPIKeyAuth;
    try {
      auth = await withHookTimeout("custom_auth", () => options.hook(request, apiKey), options.timeoutMs);
    } catch (err) {
      if (err instanceof HookTimeoutError) throw new ApiError("internal", err.message);
      throw new ApiError("auth", `Authentication Error, ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof auth !== "object" || auth === null) throw new ApiError("internal", "custom_auth returned no UserAPIKeyAuth object.");
    const token = hashKey(auth.api_key ?? apiKey);
    return {
      via: "virtual_key",
      role: isUserRole(auth.user_role) ? auth.user_role : "internal_user",
      userId: auth.user_id ?? null,
      token,
      key: options.runCommonChecks ? keyRowFrom(auth, token) : null,
      team: null,
      user: null,
      budgets: NO_KEY_BUDGETS,
    };
  };
}

/** The virtual-key view of what custom_auth returned, for the common checks. */
function keyRowFrom(auth: UserAPIKeyAuth, token: string): KeyRow {
  const now = new Date();
  return {
    token,
    key_name: null,
    key_alias: auth.key_alias ?? null,
    spend: 0,
    max_budget: auth.max_budget ?? null,
    budget_duration: null,
    budget_reset_at: null,
    expires: null,
    models: auth.models ?? [],
    aliases: {},
    config: {},
    user_id: auth.user_id ?? null,
    team_id: auth.team_id ?? null,
    organization_id: null,
    budget_id: null,
    permissions: {},
    metadata: (auth.metadata ?? {}) as JsonObject,
    max_parallel_requests: auth.max_parallel_requests ?? null,
    tpm_limit: auth.tpm_limit ?? null,
    rpm_limit: auth.rpm_limit ?? null,
    model_max_budget: {},
    model_spend: {},
    blocked: false,
    allowed_routes: [],
    allowed_cache_controls: [],
    key_type: null,
    extra: {},
    rotation_count: 0,
    last_rotation_at: null,
    created_at: now,
    created_by: null,
    updated_at: now,
    updated_by: null,
  };
}
