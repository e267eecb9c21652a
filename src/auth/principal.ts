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
  user: Owner | null;
  /** Budgets that bind this key's calls besides the key's and team's own max_budget. */
  budgets: KeyBudgets;
}

export interface Owner {
  user_id: string;
  models: string[];
  /** The owner's personal budget (applies to keys without a team). */
  max_budget: number | null;
  soft_budget: number | null;
  budget_reset_at: Date | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
}

export interface KeyBudgets {
  /** max_budget of the key's linked budget row (used when the key sets none). */
  keyBudgetRow: number | null;
  /** soft_budget of the key's linked budget row: an alert threshold, never a block. */
  keySoftBudget: number | null;
  /** The owner's budget inside the key's team (`max_budget_in_team`). */
  member: number | null;
  /** The owner's rpm / tpm inside the key's team (the membership's budget row). */
  memberRpm: number | null;
  memberTpm: number | null;
}

export const NO_KEY_BUDGETS: KeyBudgets = Object.freeze({ keyBudgetRow: null, keySoftBudget: null, member: null, memberRpm: null, memberTpm: null });

/** What the key cache holds per token: the key with what authorization needs beside it. */
export interface CachedKey {
  key: KeyRow;
  team: TeamRow | null;
  ownerRole: UserRole | null;
  owner: Owner | null;
  budgets: KeyBudgets;
  /** Set when the token is an old hash kept alive by a regenerate grace period. */
  graceUntil: Date | null;
}
