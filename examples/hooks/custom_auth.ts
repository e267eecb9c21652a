/**
 * The LiteLLM docs' custom auth, in TypeScript: only one key is accepted. Use it with
 *
 *   general_settings:
 *     custom_auth: custom_auth.user_api_key_auth
 *     # custom_auth_run_common_checks: true   # keep model access, budgets and limits
 *
 * Return who the caller is, or throw to refuse (401 with the message).
 */
import type { UserAPIKeyAuth } from "./tollgate-hooks";

export async function user_api_key_auth(request: Request, apiKey: string): Promise<UserAPIKeyAuth> {
  const modifiedMasterKey = "sk-my-master-key";
  if (apiKey === modifiedMasterKey) return { api_key: apiKey, user_role: "proxy_admin" };
  throw new Error(`key not accepted by custom_auth (path ${new URL(request.url).pathname})`);
}

/** A narrower variant for `custom_auth_run_common_checks: true`: accepted callers may only use gpt-4o-mini. */
export async function limited_auth(_request: Request, apiKey: string): Promise<UserAPIKeyAuth> {
  if (!apiKey.startsWith("sk-partner-")) throw new Error("unknown partner key");
  return { api_key: apiKey, user_id: apiKey.slice("sk-partner-".length), models: ["gpt-4o-mini"], rpm_limit: 100 };
}
