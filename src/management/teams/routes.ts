/** /team/* routes: HTTP shapes only; the logic lives in service.ts, members.ts and listing.ts. */
import { Elysia } from "elysia";
import { doc } from "../docs.ts";
import type { managementGuard } from "../guard.ts";
import { type createTeamListing, pageOfTeams } from "./listing.ts";
import type { TeamMemberService } from "./members.ts";
import {
  DeleteTeamsBody,
  MemberAddBody,
  MemberDeleteBody,
  MemberUpdateBody,
  NewTeamBody,
  TeamIdBody,
  TeamInfoQuery,
  TeamListQuery,
  TeamPageQuery,
  TeamModelsBody,
  UpdateTeamBody,
} from "./model.ts";
import type { TeamService } from "./service.ts";

export interface TeamRoutesDeps {
  guard: ReturnType<typeof managementGuard>;
  teams: TeamService;
  members: TeamMemberService;
  listing: ReturnType<typeof createTeamListing>;
}

export function teamRoutes({ guard, teams, members, listing }: TeamRoutesDeps) {
  return new Elysia({ tags: ["team management"] })
    .use(guard)
    .post("/team/new", ({ principal, body }) => teams.create(principal, body), {
      body: NewTeamBody,
      detail: doc("Create a team (admins)", "members_with_roles creates the memberships (and any missing users); 400 if team_id exists."),
    })
    .get("/team/info", ({ principal, query }) => listing.info(principal, query.team_id), {
      query: TeamInfoQuery,
      detail: doc("A team with its keys and memberships", "Admins, the team's members and the team's own keys."),
    })
    .post("/team/update", ({ principal, body }) => teams.update(principal, body), {
      body: UpdateTeamBody,
      detail: doc("Update a team (admins)", "Only the fields present change; null clears a field. Effective for the team's keys at once."),
    })
    .post("/team/delete", ({ principal, body }) => teams.delete(principal, body.team_ids), {
      body: DeleteTeamsBody,
      detail: doc("Delete teams with their keys and memberships (admins)", "All or nothing: 404 if any id is unknown."),
    })
    .get("/team/list", ({ principal, query }) => listing.list(principal, query), {
      query: TeamListQuery,
      detail: doc("List teams with their keys and memberships", "Admins see all; others must pass their own user_id."),
    })
    .get("/v2/team/list", async ({ principal, query }) => pageOfTeams(await listing.list(principal, query), query), {
      query: TeamPageQuery,
      detail: doc("List teams, paginated", "As /team/list, with page and page_size."),
    })
    .post("/team/member_add", ({ principal, body }) => members.add(principal, body), {
      body: MemberAddBody,
      detail: doc("Add members (admins and team admins)", "Creates missing users; max_budget_in_team gives each a budget in the team."),
    })
    .post("/team/member_delete", ({ principal, body }) => members.remove(principal, body), {
      body: MemberDeleteBody,
      detail: doc("Remove a member (admins and team admins)"),
    })
    .post("/team/member_update", ({ principal, body }) => members.update(principal, body), {
      body: MemberUpdateBody,
      detail: doc("Change a member's role or budget in the team (admins and team admins)"),
    })
    .post("/team/block", ({ principal, body }) => teams.setBlocked(principal, body.team_id, true), {
      body: TeamIdBody,
      detail: doc("Block a team (admins)", "Every key of a blocked team is refused with 401 until unblocked."),
    })
    .post("/team/unblock", ({ principal, body }) => teams.setBlocked(principal, body.team_id, false), {
      body: TeamIdBody,
      detail: doc("Unblock a team (admins)"),
    })
    .post("/team/model/add", ({ principal, body }) => teams.changeModels(principal, body, "add"), {
      body: TeamModelsBody,
      detail: doc("Add models to a team (admins and team admins)"),
    })
    .post("/team/model/delete", ({ principal, body }) => teams.changeModels(principal, body, "delete"), {
      body: TeamModelsBody,
      detail: doc("Remove models from a team (admins and team admins)", "A team left with no models may call all models, as in LiteLLM."),
    });
}
