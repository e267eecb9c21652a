/**
 * Teams (API.md §2.2): the logic behind /team/new, update, delete, block, unblock and
 * model/add|delete, free of HTTP. A team bounds what its keys may do (models, budget,
 * limits, blocked), so every write that changes that invalidates the team's cached
 * keys before it returns.
 */
import type { AuthInvalidator } from "../../auth/invalidation.ts";
import type { Principal } from "../../auth/principal.ts";
import { isUniqueViolation } from "../../db/database.ts";
import type { NewBudgetRow, NewTeamMemberRow, NewTeamRow, TeamRow } from "../../db/rows.ts";
import type { Store } from "../../db/store/index.ts";
import { badRequest, notFound } from "../../errors.ts";
import { requireAdmin } from "../access.ts";
import type { TeamLookup } from "./lookup.ts";
import { resolveMembers } from "./members.ts";
import { hasMemberBudget, memberBudgetColumns, setsMemberBudget, teamColumns } from "./fields.ts";
import type { MemberRef, NewTeamRequest, UpdateTeamRequest } from "./model.ts";
import { newBudgetRow } from "../budgets/fields.ts";

export interface TeamServiceOptions {
  store: Store;
  lookup: TeamLookup;
  invalidate: AuthInvalidator;
  /** IANA zone that budget resets align to (`litellm_settings.timezone`). */
  timeZone: string;
  now?: () => Date;
}

export type TeamService = ReturnType<typeof createTeamService>;

export function createTeamService(options: TeamServiceOptions) {
  const { store, lookup, invalidate, timeZone } = options;
  const now = options.now ?? (() => new Date());
  const taken = (teamId: string) => badRequest(`Team id = ${teamId} already exists. Please use a different team id.`, "team_id");

  function memberBudget(req: NewTeamRequest | UpdateTeamRequest, at: Date, by: string | null): NewBudgetRow {
    return newBudgetRow(memberBudgetColumns(req, { now: at, timeZone }), at, by);
  }

  /** Applies `patch` to an existing team and invalidates its keys. */
  async function patchTeam(teamId: string, patch: Partial<NewTeamRow>, budget?: NewBudgetRow): Promise<TeamRow> {
    const row = await store.updateTeam(teamId, { ...patch, updated_at: now() }, budget);
    if (!row) throw notFound(`Team not found, passed team_id=${teamId}`, "team_id");
    invalidate.teams([row.team_id]);
    return row;
  }

  return {
    /**
     * Creates the team with its members. A virtual key with a user that creates a team
     * joins it as admin (the master key, which stands for no user, does not).
     */
    async create(principal: Principal, req: NewTeamRequest) {
      requireAdmin(principal, "/team/new");
      const at = now();
      const teamId = req.team_id ?? crypto.randomUUID();
      const columns = teamColumns(req, { now: at, timeZone });
      if (await store.getTeam(teamId)) throw taken(teamId);

      const refs: MemberRef[] = [...(req.members_with_roles ?? [])];
      const creator = principal.via === "virtual_key" ? principal.userId : null;
      if (creator !== null && !refs.some((m) => m.user_id === creator)) refs.push({ role: "admin", user_id: creator, user_email: null });
      const { members, newUsers } = await resolveMembers(store, refs, at, "members_with_roles");

      const budgets = hasMemberBudget(req) ? [memberBudget(req, at, principal.userId)] : [];
      const team: NewTeamRow = {
        metadata: {},
        models: [],
        model_aliases: {},
        model_max_budget: {},
        model_spend: {},
        ...columns,
        team_id: teamId,
        team_member_budget_id: budgets[0]?.budget_id ?? null,
        created_at: at,
        updated_at: at,
      };
      const memberships: NewTeamMemberRow[] = members.map((m) => ({ team_id: teamId, user_id: m.user.user_id, role: m.role, budget_id: team.team_member_budget_id, created_at: at }));
      let row: TeamRow;
      try {
        row = await store.insertTeam(team, { users: newUsers, budgets, memberships });
      } catch (err) {
        if (isUniqueViolation(err)) throw taken(teamId);
        throw err;
      }
      // Keys minted for this team id (or for these user ids) before the rows existed were cached without them.
      invalidate.teams([teamId]);
      if (newUsers.length > 0) invalidate.users(newUsers.map((u) => u.user_id));
      return lookup.view(row);
    },

    async update(principal: Principal, req: UpdateTeamRequest) {
      requireAdmin(principal, "/team/update");
      const current = await lookup.requireTeam(req.team_id);
      const at = now();
      const patch = teamColumns(req, { now: at, timeZone, currentMetadata: current.metadata });
      let budget: NewBudgetRow | undefined;
      if (setsMemberBudget(req)) {
        if (current.team_member_budget_id) {
          await store.updateBudget(current.team_member_budget_id, { ...memberBudgetColumns(req, { now: at, timeZone }), updated_at: at, updated_by: principal.userId });
        } else if (hasMemberBudget(req)) {
          budget = memberBudget(req, at, principal.userId);
          patch.team_member_budget_id = budget.budget_id;
        }
      }
      const row = await patchTeam(current.team_id, patch, budget);
      return { team_id: row.team_id, data: await lookup.view(row) };
    },

    /** All or nothing: 404 when any id is unknown. The teams' keys are deleted (and archived) with them. */
    async delete(principal: Principal, teamIds: string[]) {
      requireAdmin(principal, "/team/delete");
      const ids = [...new Set(teamIds)];
      const found = new Set((await store.getTeams(ids)).map((t) => t.team_id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) throw notFound(`Team not found, passed team_id=${missing.join(", ")}. Nothing was deleted.`, "team_ids");
      const keys = await store.deleteTeams(ids, principal.userId);
      invalidate.keys(keys.map((k) => k.token));
      invalidate.teams(ids);
      return { deleted_teams: ids.length, team_ids: ids, deleted_keys: keys.length };
    },

    async setBlocked(principal: Principal, teamId: string, blocked: boolean) {
      requireAdmin(principal, blocked ? "/team/block" : "/team/unblock");
      await lookup.requireTeam(teamId);
      return lookup.view(await patchTeam(teamId, { blocked }));
    },

    /** Adds to (or removes from) the team's models. Note that an empty list means all models. */
    async changeModels(principal: Principal, req: { team_id: string; models: string[] }, action: "add" | "delete") {
      const team = await lookup.requireTeam(req.team_id);
      await lookup.requireTeamAdmin(principal, team, action === "add" ? "/team/model/add" : "/team/model/delete");
      const models = action === "add" ? [...new Set([...team.models, ...req.models])] : team.models.filter((m) => !req.models.includes(m));
      return lookup.view(await patchTeam(team.team_id, { models }));
    },
  };
}
