/**
 * Team membership (API.md §2.2): /team/member_add, member_delete and member_update,
 * and the member resolution /team/new shares. A member is named by user_id or
 * user_email; a user that does not exist yet is created as an internal_user with no
 * key, as LiteLLM does. Every change invalidates the team's cached keys.
 */
import type { AuthInvalidator } from "../../auth/invalidation.ts";
import type { Principal } from "../../auth/principal.ts";
import type { NewBudgetRow, NewTeamMemberRow, NewUserRow, TeamRow, UserRow } from "../../db/rows.ts";
import type { Store } from "../../db/store/index.ts";
import { badRequest } from "../../errors.ts";
import { assertNonNegative } from "../keys/fields.ts";
import type { TeamLookup } from "./lookup.ts";
import type { MemberAddRequest, MemberDeleteRequest, MemberRef, MemberUpdateRequest } from "./model.ts";
import { presentUser } from "./present.ts";
import { newBudgetRow } from "../budgets/fields.ts";

export interface ResolvedMember {
  user: UserRow | NewUserRow;
  role: MemberRef["role"];
}

/**
 * Finds (or prepares the creation of) the user behind each member reference. 400 when a
 * reference names nobody, names a user twice, or pairs an unknown id with another user's email.
 */
export async function resolveMembers(store: Store, refs: readonly MemberRef[], at: Date, param: string): Promise<{ members: ResolvedMember[]; newUsers: NewUserRow[] }> {
  const members: ResolvedMember[] = [];
  const newUsers: NewUserRow[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    if (!ref.user_id && !ref.user_email) throw badRequest("Either user_id or user_email needs to be passed in for every member.", param);
    let user: UserRow | NewUserRow | null = ref.user_id ? await store.getUser(ref.user_id) : await store.getUserByEmail(ref.user_email!);
    if (!user) {
      const owner = ref.user_email ? await store.getUserByEmail(ref.user_email) : null;
      if (owner) throw badRequest(`user_email=${ref.user_email} belongs to user_id=${owner.user_id}, not ${ref.user_id}.`, param);
      user = newUsers.find((u) => u.user_email && u.user_email.toLowerCase() === ref.user_email?.toLowerCase()) ?? null;
      if (!user) {
        user = memberUser(ref.user_id ?? crypto.randomUUID(), ref.user_email ?? null, at);
        newUsers.push(user);
      }
    }
    if (seen.has(user.user_id)) throw badRequest(`User=${user.user_id} is listed more than once.`, param);
    seen.add(user.user_id);
    members.push({ user, role: ref.role });
  }
  return { members, newUsers };
}

function memberUser(userId: string, email: string | null, at: Date): NewUserRow {
  return {
    user_id: userId,
    user_email: email,
    user_role: "internal_user",
    models: [],
    model_max_budget: {},
    model_spend: {},
    metadata: {},
    created_at: at,
    updated_at: at,
  };
}

export interface TeamMemberServiceOptions {
  store: Store;
  lookup: TeamLookup;
  invalidate: AuthInvalidator;
  now?: () => Date;
}

export type TeamMemberService = ReturnType<typeof createTeamMemberService>;

export function createTeamMemberService(options: TeamMemberServiceOptions) {
  const { store, lookup, invalidate } = options;
  const now = options.now ?? (() => new Date());

  /** The member's user id, from user_id or (for a member of the team) user_email. */
  async function memberId(team: TeamRow, req: { user_id?: string | null; user_email?: string | null }): Promise<string> {
    if (req.user_id) return req.user_id;
    if (!req.user_email) throw badRequest("Either user_id or user_email needs to be passed in", "user_id");
    const wanted = req.user_email.toLowerCase();
    const member = (await store.listTeamMembers([team.team_id])).find((m) => m.user_email?.toLowerCase() === wanted);
    if (!member) throw badRequest(`User not found in team: user_email=${req.user_email}`, "user_email");
    return member.user_id;
  }

  return {
    async add(principal: Principal, req: MemberAddRequest) {
      const team = await lookup.requireTeam(req.team_id);
      await lookup.requireTeamAdmin(principal, team, "/team/member_add");
      if (req.max_budget_in_team != null) assertNonNegative({ max_budget_in_team: req.max_budget_in_team }, ["max_budget_in_team"]);
      const at = now();
      const refs = Array.isArray(req.member) ? req.member : [req.member];
      const { members, newUsers } = await resolveMembers(store, refs, at, "member");
      const existing = new Set((await store.listTeamMembers([team.team_id])).map((m) => m.user_id));
      const already = members.filter((m) => existing.has(m.user.user_id)).map((m) => m.user.user_id);
      if (already.length > 0) throw badRequest(`User=${already.join(", ")} already in team=${team.team_id}.`, "member");

      const budgets: NewBudgetRow[] = [];
      const memberships: NewTeamMemberRow[] = members.map((m) => {
        let budget_id = team.team_member_budget_id;
        if (req.max_budget_in_team != null) {
          const budget = newBudgetRow({ max_budget: req.max_budget_in_team }, at, principal.userId);
          budgets.push(budget);
          budget_id = budget.budget_id;
        }
        return { team_id: team.team_id, user_id: m.user.user_id, role: m.role, budget_id, created_at: at };
      });
      const added = await store.addTeamMembers({ users: newUsers, budgets, memberships });
      invalidate.teams([team.team_id]);
      if (newUsers.length > 0) invalidate.users(newUsers.map((u) => u.user_id));

      const users = await Promise.all(members.map((m) => store.getUser(m.user.user_id)));
      return {
        ...(await lookup.view(team)),
        updated_users: users.flatMap((u) => (u ? [presentUser(u)] : [])),
        updated_team_memberships: await lookup.memberships(added),
      };
    },

    async remove(principal: Principal, req: MemberDeleteRequest) {
      if (!req.user_id && !req.user_email) throw badRequest("Either user_id or user_email needs to be passed in", "user_id");
      const team = await lookup.requireTeam(req.team_id);
      await lookup.requireTeamAdmin(principal, team, "/team/member_delete");
      const userId = await memberId(team, req);
      if (!(await store.deleteTeamMember(team.team_id, userId))) throw badRequest(`User not found in team: user_id=${userId}`, "user_id");
      invalidate.teams([team.team_id]);
      return lookup.view(team);
    },

    /** Role and the member's budget in the team (max_budget_in_team, tpm_limit, rpm_limit). */
    async update(principal: Principal, req: MemberUpdateRequest) {
      if (!req.user_id && !req.user_email) throw badRequest("Either user_id or user_email needs to be passed in", "user_id");
      const team = await lookup.requireTeam(req.team_id);
      await lookup.requireTeamAdmin(principal, team, "/team/member_update");
      const userId = await memberId(team, req);
      const current = await store.getTeamMember(team.team_id, userId);
      if (!current) throw badRequest(`User not found in team: user_id=${userId}`, "user_id");
      if (req.max_budget_in_team != null) assertNonNegative({ max_budget_in_team: req.max_budget_in_team }, ["max_budget_in_team"]);

      const at = now();
      const budgetPatch: Partial<NewBudgetRow> = {};
      if (req.max_budget_in_team !== undefined) budgetPatch.max_budget = req.max_budget_in_team;
      if (req.tpm_limit !== undefined) budgetPatch.tpm_limit = req.tpm_limit;
      if (req.rpm_limit !== undefined) budgetPatch.rpm_limit = req.rpm_limit;
      const patch: Partial<NewTeamMemberRow> = {};
      if (req.role != null) patch.role = req.role;
      let newBudget: NewBudgetRow | undefined;
      if (Object.keys(budgetPatch).length > 0) {
        // The team's default member budget is shared: a member's own limits get a row of their own.
        const shared = current.budget_id === null || current.budget_id === team.team_member_budget_id;
        if (shared) {
          const base = current.budget_id ? await store.getBudget(current.budget_id) : null;
          newBudget = newBudgetRow(
            {
              max_budget: base?.max_budget ?? null,
              tpm_limit: base?.tpm_limit ?? null,
              rpm_limit: base?.rpm_limit ?? null,
              budget_duration: base?.budget_duration ?? null,
              budget_reset_at: base?.budget_reset_at ?? null,
              ...budgetPatch,
            },
            at,
            principal.userId,
          );
          patch.budget_id = newBudget.budget_id;
        } else {
          await store.updateBudget(current.budget_id!, { ...budgetPatch, updated_at: at, updated_by: principal.userId });
        }
      }
      const row = await store.updateTeamMember(team.team_id, userId, patch, newBudget);
      if (!row) throw badRequest(`User not found in team: user_id=${userId}`, "user_id");
      invalidate.teams([team.team_id]);
      const [budget, user] = await Promise.all([row.budget_id ? store.getBudget(row.budget_id) : null, store.getUser(userId)]);
      return {
        team_id: team.team_id,
        user_id: userId,
        user_email: user?.user_email ?? null,
        role: row.role,
        max_budget_in_team: budget?.max_budget ?? null,
        tpm_limit: budget?.tpm_limit ?? null,
        rpm_limit: budget?.rpm_limit ?? null,
      };
    },
  };
}
