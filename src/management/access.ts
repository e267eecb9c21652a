/** Authorization rules shared by the management services. */
import type { Principal } from "../auth/principal.ts";
import { canReadAll, canWrite, isAdmin } from "../auth/roles.ts";
import type { KeyRow } from "../db/rows.ts";
import { forbidden } from "../errors.ts";

export function requireAdmin(principal: Principal, route: string): void {
  if (!isAdmin(principal.role)) {
    throw forbidden(`Only proxy admins can call ${route}. Your role=${principal.role}`);
  }
}

export function requireReadAll(principal: Principal, route: string): void {
  if (!canReadAll(principal.role)) {
    throw forbidden(`Only proxy admins and admin viewers can call ${route}. Your role=${principal.role}`);
  }
}

export function requireWriter(principal: Principal): void {
  if (!canWrite(principal.role)) throw forbidden(`Role ${principal.role} is read-only.`);
}

/** The caller's own key, or a key of the caller's user. */
export function ownsKey(principal: Principal, key: KeyRow): boolean {
  if (principal.token !== null && key.token === principal.token) return true;
  return principal.via === "virtual_key" && principal.userId !== null && key.user_id === principal.userId;
}
