/** Who may read which spend: the authorization rules of the spend routes. */
import type { Principal } from "../../auth/principal.ts";
import { canReadAll } from "../../auth/roles.ts";
import type { SpendLogFilter } from "../../db/store/index.ts";
import { forbidden } from "../../errors.ts";

/**
 * The proxy-wide reports (`/global/spend*`): admins, admin viewers, and keys minted
 * with `permissions: {"get_spend_routes": true}` (LiteLLM's opt-in for a reporting key).
 */
export function requireGlobalSpendReader(principal: Principal, route: string): void {
  if (canReadAll(principal.role) || principal.key?.permissions.get_spend_routes === true) return;
  throw forbidden(
    `Only proxy admins, admin viewers and keys with permissions.get_spend_routes can call ${route}. Your role=${principal.role}`,
  );
}

/** LiteLLM's "ADMIN ONLY / MASTER KEY Only" routes: not even an admin user's key will do. */
export function requireMasterKey(principal: Principal, route: string): void {
  if (principal.via !== "master_key") throw forbidden(`Only the master key can call ${route}. Your role=${principal.role}`);
}

/**
 * The spend logs a caller may read: admins and viewers all; anyone else only their
 * user's (whatever user_id they asked for), or only their own key's when the key
 * belongs to no user.
 */
export function scopeSpendLogs(principal: Principal, filter: SpendLogFilter): SpendLogFilter {
  if (canReadAll(principal.role)) return filter;
  if (principal.userId !== null) return { ...filter, user: principal.userId };
  return { ...filter, api_key: principal.token ?? "" };
}
