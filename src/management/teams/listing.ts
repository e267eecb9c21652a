/**
 * /team/info and /team/list. Admins and viewers see every team; a team's members and
 * the team's own keys see that team; anyone else may list only their own user's teams.
 */
import type { Principal } from "../../auth/principal.ts";
import { canReadAll } from "../../auth/roles.ts";
import type { Store } from "../../db/store/index.ts";
import { ApiError, forbidden } from "../../errors.ts";
import { presentKey } from "../keys/present.ts";
import { paging } from "../paging.ts";
import type { TeamLookup } from "./lookup.ts";
import type { TeamListParams } from "./model.ts";

/** `organization_id=default_organization` selects the teams of no organization, as in LiteLLM. */
const NO_ORGANIZATION = "default_organization";

export function createTeamListing(store: Store, lookup: TeamLookup) {
  async function canView(principal: Principal, teamId: string): Promise<boolean> {
    if (canReadAll(principal.role) || principal.key?.team_id === teamId) return true;
    return principal.userId !== null && (await store.getTeamMember(teamId, principal.userId)) !== null;
  }

  return {
    async info(principal: Principal, teamId: string) {
      const team = await lookup.requireTeam(teamId);
      if (!(await canView(principal, teamId))) throw forbidden(`User=${principal.userId ?? "(none)"} not authorized to access this team=${teamId}`);
      const [members, keys, memberBudget] = await Promise.all([
        store.listTeamMembers([teamId]),
        store.listTeamKeys([teamId]),
        team.team_member_budget_id ? store.getBudget(team.team_member_budget_id) : null,
      ]);
      return {
        team_id: teamId,
        team_info: { ...lookup.present(team, members), team_member_budget_table: memberBudget },
        keys: keys.map((k) => presentKey(k, null)),
        team_memberships: await lookup.memberships(members),
      };
    },

    async list(principal: Principal, query: TeamListParams) {
      if (!canReadAll(principal.role) && (query.user_id === undefined || query.user_id !== principal.userId)) {
        // LiteLLM answers 401 here (API.md §2.2).
        throw new ApiError("auth", `Only admin users can query all teams/other teams. Pass your own user_id. Your user role=${principal.role}`);
      }
      const organization = query.organization_id === NO_ORGANIZATION ? null : query.organization_id;
      const teams = await store.listTeams({ user_id: query.user_id, organization_id: organization });
      teams.sort((a, b) => compare(a.team_alias ?? "", b.team_alias ?? "") || compare(a.team_id, b.team_id));
      const ids = teams.map((t) => t.team_id);
      const [members, keys] = await Promise.all([store.listTeamMembers(ids), store.listTeamKeys(ids)]);
      const memberships = await lookup.memberships(members.filter((m) => query.user_id === undefined || m.user_id === query.user_id));
      return teams.map((team) => ({
        ...lookup.present(team, members),
        keys: keys.filter((k) => k.team_id === team.team_id).map((k) => presentKey(k, null)),
        team_memberships: memberships.filter((m) => m.team_id === team.team_id),
      }));
    },
  };
}

/** /v2/team/list: the same teams as /team/list, a page at a time. */
export function pageOfTeams<T>(teams: readonly T[], query: { page?: number; page_size?: number }) {
  const page = paging(query.page, query.page_size, { sizeParam: "page_size", defaultSize: 10, maxSize: 100 });
  return { teams: teams.slice(page.offset, page.offset + page.limit), total: teams.length, page: page.page, page_size: page.size, total_pages: page.totalPages(teams.length) };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
