/** Response shapes of the /team/* routes, built from stored rows. */
import type { Json } from "../../db/json.ts";
import type { BudgetRow, TeamMemberRow, TeamRow, UserRow } from "../../db/rows.ts";
import type { TeamMemberWithEmail } from "../../db/store/index.ts";
import type { LiveSpend } from "../live-spend.ts";
import { TEAM_METADATA_FIELDS } from "./metadata-fields.ts";

/** LiteLLM's `Member`, derived from the team_members rows. */
export interface MemberWithRole {
  user_id: string;
  user_email: string | null;
  role: string;
}

export type TeamObject = TeamRow & { members_with_roles: MemberWithRole[]; [field: string]: unknown };

/** LiteLLM_TeamMembership: the member's spend in the team and its budget in the team. */
export interface MembershipObject {
  user_id: string;
  team_id: string;
  budget_id: string | null;
  spend: number;
  litellm_budget_table: BudgetRow | null;
}

/**
 * The stored team as LiteLLM echoes it: every column (spend including what is not yet
 * flushed), the metadata-kept fields at the top level, and `members_with_roles`
 * derived from the memberships in `members` that belong to this team.
 */
export function presentTeam(row: TeamRow, members: readonly TeamMemberWithEmail[], live: LiveSpend): TeamObject {
  const surfaced: Record<string, Json> = {};
  for (const field of TEAM_METADATA_FIELDS) surfaced[field] = row.metadata[field] ?? null;
  return {
    ...row,
    ...surfaced,
    spend: row.spend + live.team(row.team_id),
    members_with_roles: members.filter((m) => m.team_id === row.team_id).map((m) => ({ user_id: m.user_id, user_email: m.user_email, role: m.role })),
  };
}

export function presentMembership(m: TeamMemberRow, budget: BudgetRow | null, live: LiveSpend): MembershipObject {
  return { user_id: m.user_id, team_id: m.team_id, budget_id: m.budget_id, spend: m.spend + live.member(m.team_id, m.user_id), litellm_budget_table: budget };
}

/** A user row as the team routes echo it: never the password hash. */
export function presentUser(user: UserRow): Omit<UserRow, "password_hash"> {
  const { password_hash: _secret, ...fields } = user;
  return fields;
}
