/**
 * /team/member_add, member_delete and member_update (API.md §2.2), on both database
 * dialects over real HTTP: memberships and their budgets as stored, the errors, and
 * who may manage members (proxy admins and team admins, not plain members or outsiders).
 */
import { expect, test } from "bun:test";
import { describeStores } from "../support/harness.ts";
import { createTeam, createUser, expectError, teamWithPeople, uniqueId } from "../support/management.ts";

describeStores("/team/member_add", (h) => {
  test("adds an existing user and answers the team with updated_users and updated_team_memberships", async () => {
    const team = await createTeam(h());
    const user = await createUser(h());

    const res = await h().post("/team/member_add", { team_id: team.team_id, member: { role: "user", user_id: user.user_id } });

    expect(res.status).toBe(200);
    expect(res.body.team_id).toBe(team.team_id);
    expect(res.body.members_with_roles).toEqual([{ user_id: user.user_id, user_email: null, role: "user" }]);
    expect(res.body.updated_users.map((u: { user_id: string }) => u.user_id)).toEqual([user.user_id]);
    expect(res.body.updated_users[0].password_hash).toBeUndefined();
    expect(res.body.updated_team_memberships).toEqual([{ user_id: user.user_id, team_id: team.team_id, budget_id: null, spend: 0, litellm_budget_table: null }]);
    expect(await h().store.getTeamMember(team.team_id, user.user_id)).toMatchObject({ role: "user", spend: 0, budget_id: null });
  });

  test("a list of members by id and email; unknown users are created; max_budget_in_team gives each a budget row", async () => {
    const team = await createTeam(h());
    const newId = uniqueId("fresh");
    const email = `${uniqueId("mail")}@example.com`;

    const res = await h().post("/team/member_add", {
      team_id: team.team_id,
      member: [
        { role: "admin", user_id: newId },
        { role: "user", user_email: email },
      ],
      max_budget_in_team: 2.5,
    });

    expect(res.status).toBe(200);
    expect(await h().store.getUser(newId)).toMatchObject({ user_role: "internal_user" });
    const byEmail = await h().store.getUserByEmail(email);
    expect(byEmail).not.toBeNull();
    for (const [userId, role] of [
      [newId, "admin"],
      [byEmail!.user_id, "user"],
    ] as const) {
      const membership = await h().store.getTeamMember(team.team_id, userId);
      expect(membership?.role).toBe(role);
      expect(await h().store.getBudget(membership!.budget_id!)).toMatchObject({ max_budget: 2.5 });
    }
    const budgets = res.body.updated_team_memberships.map((m: { budget_id: string }) => m.budget_id);
    expect(new Set(budgets).size).toBe(2);
    expect(res.body.updated_team_memberships[0].litellm_budget_table).toMatchObject({ max_budget: 2.5 });
  });

  test("a member already in the team is 400 and nothing is added", async () => {
    const { teamId, member } = await teamWithPeople(h());
    const newcomer = uniqueId("newcomer");

    const res = await h().post("/team/member_add", {
      team_id: teamId,
      member: [
        { role: "user", user_id: newcomer },
        { role: "user", user_id: member.user_id },
      ],
    });

    expectError(res, { status: 400, type: "bad_request_error", message: `User=${member.user_id} already in team`, param: "member" });
    expect(await h().store.getTeamMember(teamId, newcomer)).toBeNull();
    expect(await h().store.getUser(newcomer)).toBeNull();
  });

  test("an unknown team is 404; a negative max_budget_in_team is 400", async () => {
    expectError(await h().post("/team/member_add", { team_id: "no-such-team", member: { role: "user", user_id: "u" } }), {
      status: 404,
      type: "not_found_error",
    });
    const team = await createTeam(h());
    expectError(await h().post("/team/member_add", { team_id: team.team_id, member: { role: "user", user_id: "u" }, max_budget_in_team: -1 }), {
      status: 400,
      type: "bad_request_error",
      param: "max_budget_in_team",
    });
  });

  test("a team admin may add members; a plain member and an outsider may not (403)", async () => {
    const { teamId, admin, member, outsider } = await teamWithPeople(h());
    const byAdmin = uniqueId("by-admin");

    expect((await h().post("/team/member_add", { team_id: teamId, member: { role: "user", user_id: byAdmin } }, admin.key)).status).toBe(200);
    for (const caller of [member, outsider]) {
      const target = uniqueId("refused");
      const res = await h().post("/team/member_add", { team_id: teamId, member: { role: "admin", user_id: target } }, caller.key);
      expectError(res, { status: 403, type: "auth_error", message: "User not proxy admin OR team admin" });
      expect(await h().store.getTeamMember(teamId, target)).toBeNull();
    }
    expect(await h().store.getTeamMember(teamId, byAdmin)).not.toBeNull();
  });
});

describeStores("/team/member_delete", (h) => {
  test("removes the membership by user_id or user_email and answers the team", async () => {
    const email = `${uniqueId("leaver")}@example.com`;
    const byEmail = await createUser(h(), { user_email: email });
    const { teamId, member } = await teamWithPeople(h());
    await h().post("/team/member_add", { team_id: teamId, member: { role: "user", user_id: byEmail.user_id } });

    const res = await h().post("/team/member_delete", { team_id: teamId, user_id: member.user_id });

    expect(res.status).toBe(200);
    expect(res.body.members_with_roles.map((m: { user_id: string }) => m.user_id)).not.toContain(member.user_id);
    expect(await h().store.getTeamMember(teamId, member.user_id)).toBeNull();
    expect(await h().store.getUser(member.user_id)).not.toBeNull();

    expect((await h().post("/team/member_delete", { team_id: teamId, user_email: email.toUpperCase() })).status).toBe(200);
    expect(await h().store.getTeamMember(teamId, byEmail.user_id)).toBeNull();
  });

  test("a user not in the team is 400; neither user_id nor user_email is 400; an unknown team is 404", async () => {
    const { teamId, outsider } = await teamWithPeople(h());

    expectError(await h().post("/team/member_delete", { team_id: teamId, user_id: outsider.user_id }), { status: 400, type: "bad_request_error", message: "User not found in team" });
    expectError(await h().post("/team/member_delete", { team_id: teamId }), { status: 400, type: "bad_request_error", message: "user_id or user_email" });
    expectError(await h().post("/team/member_delete", { team_id: "no-such-team", user_id: "u" }), { status: 404, type: "not_found_error" });
  });

  test("a team admin may remove members; a plain member may not (403)", async () => {
    const { teamId, admin, member } = await teamWithPeople(h());

    expectError(await h().post("/team/member_delete", { team_id: teamId, user_id: admin.user_id }, member.key), { status: 403, type: "auth_error" });
    expect(await h().store.getTeamMember(teamId, admin.user_id)).not.toBeNull();
    expect((await h().post("/team/member_delete", { team_id: teamId, user_id: member.user_id }, admin.key)).status).toBe(200);
    expect(await h().store.getTeamMember(teamId, member.user_id)).toBeNull();
  });
});

describeStores("/team/member_update", (h) => {
  test("changes the role, and max_budget_in_team creates the member's budget once, then updates it", async () => {
    const { teamId, member } = await teamWithPeople(h());

    const first = await h().post("/team/member_update", { team_id: teamId, user_id: member.user_id, role: "admin", max_budget_in_team: 4, rpm_limit: 3 });

    expect(first.status).toBe(200);
    expect(first.body).toEqual({ team_id: teamId, user_id: member.user_id, user_email: null, role: "admin", max_budget_in_team: 4, tpm_limit: null, rpm_limit: 3 });
    const membership = await h().store.getTeamMember(teamId, member.user_id);
    expect(membership?.role).toBe("admin");
    expect(await h().store.getBudget(membership!.budget_id!)).toMatchObject({ max_budget: 4, rpm_limit: 3 });

    const second = await h().post("/team/member_update", { team_id: teamId, user_id: member.user_id, max_budget_in_team: 9 });

    expect(second.body).toMatchObject({ max_budget_in_team: 9, rpm_limit: 3, role: "admin" });
    expect((await h().store.getTeamMember(teamId, member.user_id))?.budget_id).toBe(membership!.budget_id);
    expect(await h().store.getBudget(membership!.budget_id!)).toMatchObject({ max_budget: 9 });
  });

  test("a member on the team's shared member budget gets a budget row of their own; the shared row is untouched", async () => {
    const { teamId, member, admin } = await teamWithPeople(h(), { team_member_budget: 5 });
    const shared = (await h().store.getTeam(teamId))!.team_member_budget_id!;

    await h().post("/team/member_update", { team_id: teamId, user_id: member.user_id, max_budget_in_team: 1 });

    const own = (await h().store.getTeamMember(teamId, member.user_id))!.budget_id!;
    expect(own).not.toBe(shared);
    expect(await h().store.getBudget(own)).toMatchObject({ max_budget: 1 });
    expect(await h().store.getBudget(shared)).toMatchObject({ max_budget: 5 });
    expect((await h().store.getTeamMember(teamId, admin.user_id))?.budget_id).toBe(shared);
  });

  test("a user not in the team is 400; a plain member may not update (403); a team admin may", async () => {
    const { teamId, admin, member, outsider } = await teamWithPeople(h());

    expectError(await h().post("/team/member_update", { team_id: teamId, user_id: outsider.user_id, role: "admin" }), { status: 400, type: "bad_request_error", message: "User not found in team" });
    expectError(await h().post("/team/member_update", { team_id: teamId, user_id: member.user_id, role: "admin" }, member.key), { status: 403, type: "auth_error" });
    expect((await h().store.getTeamMember(teamId, member.user_id))?.role).toBe("user");
    expect((await h().post("/team/member_update", { team_id: teamId, user_id: member.user_id, role: "admin" }, admin.key)).status).toBe(200);
    expect((await h().store.getTeamMember(teamId, member.user_id))?.role).toBe("admin");
  });

  test("a member promoted to team admin may manage members at once", async () => {
    const { teamId, member } = await teamWithPeople(h());
    const target = uniqueId("target");
    expectError(await h().post("/team/member_add", { team_id: teamId, member: { role: "user", user_id: target } }, member.key), { status: 403, type: "auth_error" });

    await h().post("/team/member_update", { team_id: teamId, user_id: member.user_id, role: "admin" });

    expect((await h().post("/team/member_add", { team_id: teamId, member: { role: "user", user_id: target } }, member.key)).status).toBe(200);
  });
});
