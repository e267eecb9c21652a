/** Reads and checks every /team/* service shares: find a team, show it, who administers it. */
import type { Principal } from "../../auth/principal.ts";
import { isAdmin } from "../../auth/roles.ts";
import type { BudgetRow, TeamMemberRow, TeamRow } from "../../db/rows.ts";
import type { Store, TeamMemberWithEmail } from "../../db/store/index.ts";
import { forbidden, notFound } from "../../errors.ts";
import { requireWriter } from "../access.ts";
import type { LiveSpend } from "../live-spend.ts";
import { type MembershipObject, presentMembership, presentTeam, type TeamObject } from "./present.ts";

export type TeamLookup = ReturnType<typeof createTeamLookup>;

export function createTeamLookup(store: Store, live: LiveSpend) {
  async function budgetsById(ids: readonly (string | null)[]): Promise<Map<string, BudgetRow>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    return new Map((await store.getBudgets(wanted)).map((b) => [b.budget_id, b]));
  }

  return {
    async requireTeam(teamId: string, param = "team_id"): Promise<TeamRow> {
      const team = await store.getTeam(teamId);
      if (!team) throw notFound(`Team not found, passed team_id=${teamId}`, param);
      return team;
    },

    /** Proxy admins, and writers holding the team's admin role, may manage the team's members and models. */
    async requireTeamAdmin(principal: Principal, team: TeamRow, route: string): Promise<void> {
      if (isAdmin(principal.role)) return;
      const membership = principal.userId !== null ? await store.getTeamMember(team.team_id, principal.userId) : null;
      if (membership?.role !== "admin") {
        throw forbidden(`Call not allowed. User not proxy admin OR team admin. route=${route}, team_id=${team.team_id}`);
      }
      requireWriter(principal);
    },

    /** Teams with their members_with_roles, in the order given. */
    async views(teams: readonly TeamRow[]): Promise<TeamObject[]> {
      const members = await store.listTeamMembers(teams.map((t) => t.team_id));
      return teams.map((t) => presentTeam(t, members, live));
    },

    /** The team with `members_with_roles` taken from `members` (memberships already read). */
    present(team: TeamRow, members: readonly TeamMemberWithEmail[]): TeamObject {
      return presentTeam(team, members, live);
    },

    async view(team: TeamRow): Promise<TeamObject> {
      return presentTeam(team, await store.listTeamMembers([team.team_id]), live);
    },

    async memberships(rows: readonly TeamMemberRow[]): Promise<MembershipObject[]> {
      const budgets = await budgetsById(rows.map((m) => m.budget_id));
      return rows.map((m) => presentMembership(m, (m.budget_id && budgets.get(m.budget_id)) || null, live));
    },
  };
}
