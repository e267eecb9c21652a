import type { KeyRow, TeamRow } from "../db/rows.ts";
import type { UserRole } from "./roles.ts";

/** Who is calling, once authenticated. */
export interface Principal {
  via: "master_key" | "virtual_key";
  role: UserRole;
  /** The key owner's user id; for the master key, `litellm_proxy_admin_name`. */
  userId: string | null;
  /** sha256 token of the presented key; null for the master key. */
  token: string | null;
  key: KeyRow | null;
  team: TeamRow | null;
  /** The key owner's model list (binds personal keys); null without an owner row. */
  user: { user_id: string; models: string[] } | null;
}

/** What the key cache holds per token: the key with what authorization needs beside it. */
export interface CachedKey {
  key: KeyRow;
  team: TeamRow | null;
  ownerRole: UserRole | null;
  owner: { user_id: string; models: string[] } | null;
  /** Set when the token is an old hash kept alive by a regenerate grace period. */
  graceUntil: Date | null;
}
