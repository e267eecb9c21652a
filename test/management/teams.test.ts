/**
 * /team/new, info, update, delete, list, block, unblock and model/add|delete
 * (API.md §2.2), on both database dialects over real HTTP: what each route stores and
 * answers, its errors, who may call it, and that a team change binds the team's keys
 * at once (blocked keys, model lists), even keys already in the auth cache.
 */
import { NO_LIVE_SPEND } from "../../src/management/live-spend.ts";
import { expect, test } from "bun:test";
import type { Config } from "../../src/config/index.ts";
import { describeStores, type Harness } from "../support/harness.ts";
import { createKey, createTeam, createUser, expectError, teamWithPeople, uniqueId } from "../support/management.ts";
import { deployment } from "../support/proxy.ts";

const nextUtcMidnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

/** Three model groups served by nothing: /v1/models lists them without calling anyone. */
const config: Partial<Config> = {
  model_list: ["model-a", "model-b", "model-c"].map((name) => deployment(name, null, { apiBase: "http://127.0.0.1:9/v1" })),
};

const modelIds = async (h: Harness, key: string) => {
  const res = await h.get("/v1/models", key);
  expect(res.status).toBe(200);
  return res.body.data.map((m: { id: string }) => m.id);
};

describeStores(
  "/team/new",
  (h) => {
    test("creates the team with LiteLLM's defaults and answers the stored row", async () => {
      const teamId = uniqueId("team");

      const res = await h().post("/team/new", { team_id: teamId, team_alias: "Platform" });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ team_id: teamId, team_alias: "Platform", models: [], blocked: false, spend: 0, max_budget: null, members_with_roles: [], metadata: {} });
      const row = await h().store.getTeam(teamId);
      expect(row).toMatchObject({ team_id: teamId, team_alias: "Platform", models: [], blocked: false, spend: 0, metadata: {}, model_aliases: {} });
    });

    test("without team_id a uuid is assigned", async () => {
      const res = await h().post("/team/new", {});

      expect(res.status).toBe(200);
      expect(res.body.team_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(await h().store.getTeam(res.body.team_id)).not.toBeNull();
    });

    test("limits, models and aliases are stored; tags and guardrails go to metadata and are echoed", async () => {
      const teamId = uniqueId("team");

      const res = await h().post("/team/new", {
        team_id: teamId,
        models: ["model-a"],
        max_budget: 50,
        tpm_limit: 1000,
        rpm_limit: 10,
        model_aliases: { fast: "model-a" },
        tags: ["prod"],
        guardrails: ["pii"],
        metadata: { owner: "ops" },
      });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ models: ["model-a"], max_budget: 50, tpm_limit: 1000, rpm_limit: 10, tags: ["prod"], guardrails: ["pii"] });
      const row = await h().store.getTeam(teamId);
      expect(row).toMatchObject({ models: ["model-a"], max_budget: 50, tpm_limit: 1000, rpm_limit: 10, model_aliases: { fast: "model-a" } });
      expect(row?.metadata).toEqual({ owner: "ops", tags: ["prod"], guardrails: ["pii"] });
    });

    test("budget_duration sets budget_reset_at to the next aligned boundary", async () => {
      const teamId = uniqueId("team");

      const res = await h().post("/team/new", { team_id: teamId, max_budget: 5, budget_duration: "1d" });

      expect(res.status).toBe(200);
      const row = await h().store.getTeam(teamId);
      expect(row?.budget_duration).toBe("1d");
      expect(row?.budget_reset_at).toEqual(nextUtcMidnight(row!.created_at));
      expect(res.body.budget_reset_at).toBe(nextUtcMidnight(row!.created_at).toISOString());
    });

    test("members_with_roles become memberships; unknown users are created as internal users with no key", async () => {
      const existing = await createUser(h(), { user_email: `${uniqueId("known")}@example.com` });
      const newId = uniqueId("new-member");
      const newEmail = `${uniqueId("invited")}@example.com`;
      const teamId = uniqueId("team");

      const res = await h().post("/team/new", {
        team_id: teamId,
        members_with_roles: [
          { role: "admin", user_id: existing.user_id },
          { role: "user", user_id: newId },
          { role: "user", user_email: newEmail },
        ],
      });

      expect(res.status).toBe(200);
      const byEmail = await h().store.getUserByEmail(newEmail);
      expect(byEmail).toMatchObject({ user_email: newEmail, user_role: "internal_user" });
      expect(await h().store.getUser(newId)).toMatchObject({ user_id: newId, user_role: "internal_user" });
      expect((await h().store.listKeys({ user_id: newId }, { offset: 0, limit: 10 }, { by: "created_at", order: "asc" })).total).toBe(0);
      expect(await h().store.getTeamMember(teamId, existing.user_id)).toMatchObject({ role: "admin", spend: 0, budget_id: null });
      expect(await h().store.getTeamMember(teamId, newId)).toMatchObject({ role: "user" });
      expect(await h().store.getTeamMember(teamId, byEmail!.user_id)).toMatchObject({ role: "user" });
      expect(res.body.members_with_roles).toHaveLength(3);
      expect(res.body.members_with_roles).toEqual(
        expect.arrayContaining([
          { user_id: existing.user_id, user_email: expect.stringContaining("@example.com"), role: "admin" },
          { user_id: newId, user_email: null, role: "user" },
          { user_id: byEmail!.user_id, user_email: newEmail, role: "user" },
        ]),
      );
    });

    test("team_member_budget creates the members' default budget row, which new memberships link to", async () => {
      const member = await createUser(h());
      const teamId = uniqueId("team");

      const res = await h().post("/team/new", {
        team_id: teamId,
        team_member_budget: 3,
        team_member_rpm_limit: 7,
        members_with_roles: [{ role: "user", user_id: member.user_id }],
      });

      expect(res.status).toBe(200);
      const row = await h().store.getTeam(teamId);
      expect(row?.team_member_budget_id).toBeString();
      expect(await h().store.getBudget(row!.team_member_budget_id!)).toMatchObject({ max_budget: 3, rpm_limit: 7 });
      expect((await h().store.getTeamMember(teamId, member.user_id))?.budget_id).toBe(row!.team_member_budget_id);
    });

    test("the master key stands for no user and is not added; an admin user's key joins as team admin", async () => {
      const byMaster = await createTeam(h());
      expect(byMaster.members_with_roles).toEqual([]);

      const admin = await createUser(h(), { user_role: "proxy_admin" });
      const res = await h().post("/team/new", { team_id: uniqueId("team") }, admin.key);

      expect(res.status).toBe(200);
      expect(res.body.members_with_roles).toEqual([{ user_id: admin.user_id, user_email: null, role: "admin" }]);
      expect(await h().store.getTeamMember(res.body.team_id, admin.user_id)).toMatchObject({ role: "admin" });
    });

    test("an existing team_id is 400 and changes nothing", async () => {
      const team = await createTeam(h(), { team_alias: "first" });

      const res = await h().post("/team/new", { team_id: team.team_id, team_alias: "second" });

      expectError(res, { status: 400, type: "bad_request_error", message: `Team id = ${team.team_id} already exists`, param: "team_id" });
      expect((await h().store.getTeam(team.team_id))?.team_alias).toBe("first");
    });

    test("negative amounts and bad durations are 400 naming the field; nothing is stored", async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ max_budget: -1 }, "max_budget"],
        [{ team_member_budget: -2 }, "team_member_budget"],
        [{ budget_duration: "often" }, "budget_duration"],
        [{ team_member_key_duration: "forever" }, "team_member_key_duration"],
      ];
      for (const [body, field] of cases) {
        const teamId = uniqueId("bad");
        const res = await h().post("/team/new", { team_id: teamId, ...body });
        expectError(res, { status: 400, type: "bad_request_error", param: field });
        expect(await h().store.getTeam(teamId)).toBeNull();
      }
    });

    test("a member with neither user_id nor user_email is 400; a wrongly typed field is 422", async () => {
      const noRef = await h().post("/team/new", { members_with_roles: [{ role: "user" }] });
      expectError(noRef, { status: 400, type: "bad_request_error", message: "user_id or user_email", param: "members_with_roles" });

      const badRole = await h().post("/team/new", { members_with_roles: [{ role: "owner", user_id: "x" }] });
      expectError(badRole, { status: 422, type: "invalid_request_error" });

      const badModels = await h().post("/team/new", { models: "model-a" });
      expectError(badModels, { status: 422, type: "invalid_request_error", param: "models" });
    });

    test("internal users may not create teams (403)", async () => {
      const user = await createUser(h());
      const teamId = uniqueId("team");

      const res = await h().post("/team/new", { team_id: teamId }, user.key);

      expectError(res, { status: 403, type: "auth_error", message: "Only proxy admins" });
      expect(await h().store.getTeam(teamId)).toBeNull();
    });
  },
  { config },
);

describeStores("/team/info", (h) => {
  test("answers the team with members_with_roles, its keys and its memberships", async () => {
    const { teamId, admin, member } = await teamWithPeople(h(), { team_member_budget: 4 });
    const key = await createKey(h(), { team_id: teamId, user_id: member.user_id });

    const res = await h().get(`/team/info?team_id=${teamId}`);

    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["keys", "team_id", "team_info", "team_memberships"]);
    expect(res.body.team_id).toBe(teamId);
    expect(res.body.team_info).toMatchObject({ team_id: teamId, spend: 0 });
    expect(res.body.team_info.members_with_roles.map((m: { user_id: string; role: string }) => [m.user_id, m.role]).sort()).toEqual(
      [
        [admin.user_id, "admin"],
        [member.user_id, "user"],
      ].sort(),
    );
    expect(res.body.team_info.team_member_budget_table).toMatchObject({ max_budget: 4 });
    expect(res.body.keys.map((k: { token: string }) => k.token)).toEqual([key.token]);
    const membership = res.body.team_memberships.find((m: { user_id: string }) => m.user_id === member.user_id);
    expect(Object.keys(membership).sort()).toEqual(["budget_id", "litellm_budget_table", "spend", "team_id", "user_id"]);
    expect(membership).toMatchObject({ team_id: teamId, spend: 0, litellm_budget_table: { max_budget: 4 } });
  });

  test("a plain member and the team's own key may read it; an outsider may not (403)", async () => {
    const { teamId, member, outsider } = await teamWithPeople(h());
    const teamKey = await createKey(h(), { team_id: teamId });

    expect((await h().get(`/team/info?team_id=${teamId}`, member.key)).status).toBe(200);
    expect((await h().get(`/team/info?team_id=${teamId}`, teamKey.key)).status).toBe(200);
    const res = await h().get(`/team/info?team_id=${teamId}`, outsider.key);
    expectError(res, { status: 403, type: "auth_error", message: `not authorized to access this team=${teamId}` });
  });

  test("an unknown team is 404; a missing team_id is 422", async () => {
    expectError(await h().get("/team/info?team_id=no-such-team"), { status: 404, type: "not_found_error", message: "Team not found", param: "team_id" });
    expectError(await h().get("/team/info"), { status: 422, type: "invalid_request_error", param: "team_id" });
  });
});

describeStores("/team/update", (h) => {
  test("changes only the fields sent and answers {team_id, data}", async () => {
    const team = await createTeam(h(), { team_alias: "before", max_budget: 10, tags: ["a"], metadata: { owner: "ops" } });

    const res = await h().post("/team/update", { team_id: team.team_id, team_alias: "after", rpm_limit: 5, metadata: { owner: "dev" } });

    expect(res.status).toBe(200);
    expect(res.body.team_id).toBe(team.team_id);
    expect(res.body.data).toMatchObject({ team_alias: "after", rpm_limit: 5, max_budget: 10, tags: ["a"] });
    const row = await h().store.getTeam(team.team_id);
    expect(row).toMatchObject({ team_alias: "after", rpm_limit: 5, max_budget: 10 });
    // Replacing metadata keeps the fields LiteLLM stores inside it.
    expect(row?.metadata).toEqual({ owner: "dev", tags: ["a"] });
  });

  test("null clears a field; budget_duration re-arms budget_reset_at", async () => {
    const team = await createTeam(h(), { max_budget: 10 });

    const res = await h().post("/team/update", { team_id: team.team_id, max_budget: null, budget_duration: "1d" });

    expect(res.status).toBe(200);
    const row = await h().store.getTeam(team.team_id);
    expect(row?.max_budget).toBeNull();
    expect(row?.budget_reset_at).toEqual(nextUtcMidnight(row!.updated_at));
  });

  test("team_member_budget creates the default member budget once, then changes that row", async () => {
    const team = await createTeam(h());

    await h().post("/team/update", { team_id: team.team_id, team_member_budget: 2 });
    const first = (await h().store.getTeam(team.team_id))!.team_member_budget_id;
    await h().post("/team/update", { team_id: team.team_id, team_member_budget: 6 });

    const row = await h().store.getTeam(team.team_id);
    expect(row?.team_member_budget_id).toBe(first);
    expect(await h().store.getBudget(first!)).toMatchObject({ max_budget: 6 });
  });

  test("an unknown team is 404; team admins and members may not update (403)", async () => {
    expectError(await h().post("/team/update", { team_id: "no-such-team", team_alias: "x" }), { status: 404, type: "not_found_error", message: "Team not found" });

    const { teamId, admin, member } = await teamWithPeople(h(), { team_alias: "kept" });
    for (const caller of [admin, member]) {
      expectError(await h().post("/team/update", { team_id: teamId, team_alias: "changed" }, caller.key), { status: 403, type: "auth_error" });
    }
    expect((await h().store.getTeam(teamId))?.team_alias).toBe("kept");
  });
});

describeStores("/team/delete", (h) => {
  test("deletes the teams with their memberships and keys; the keys stop working at once", async () => {
    const { teamId, member } = await teamWithPeople(h());
    const key = await createKey(h(), { team_id: teamId, user_id: member.user_id });
    expect((await h().get("/key/info", key.key)).status).toBe(200);

    const res = await h().post("/team/delete", { team_ids: [teamId] });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted_teams: 1, team_ids: [teamId], deleted_keys: 1 });
    expect(await h().store.getTeam(teamId)).toBeNull();
    expect(await h().store.getTeamMember(teamId, member.user_id)).toBeNull();
    expect(await h().store.getKey(key.token)).toBeNull();
    expect(await h().store.getUser(member.user_id)).not.toBeNull();
    const deleted = await h().store.listDeletedKeys({ token: key.token }, { offset: 0, limit: 10 });
    expect(deleted.total).toBe(1);
    expectError(await h().get("/key/info", key.key), { status: 401, type: "token_not_found_in_db" });
  });

  test("404 if any id is unknown, and then nothing is deleted", async () => {
    const team = await createTeam(h());

    const res = await h().post("/team/delete", { team_ids: [team.team_id, "no-such-team"] });

    expectError(res, { status: 404, type: "not_found_error", message: "no-such-team", param: "team_ids" });
    expect(await h().store.getTeam(team.team_id)).not.toBeNull();
  });

  test("only proxy admins may delete teams (403), team admins included", async () => {
    const { teamId, admin } = await teamWithPeople(h());

    expectError(await h().post("/team/delete", { team_ids: [teamId] }, admin.key), { status: 403, type: "auth_error" });
    expect(await h().store.getTeam(teamId)).not.toBeNull();
  });
});

describeStores("/team/list", (h) => {
  test("admins see every team sorted by alias, each with keys and memberships", async () => {
    const { teamId, member } = await teamWithPeople(h(), { team_alias: "zz-last" });
    const other = await createTeam(h(), { team_alias: "aa-first" });
    await createKey(h(), { team_id: teamId });

    const res = await h().get("/team/list");

    expect(res.status).toBe(200);
    const ids = res.body.map((t: { team_id: string }) => t.team_id);
    expect(ids.indexOf(other.team_id)).toBeLessThan(ids.indexOf(teamId));
    const listed = res.body.find((t: { team_id: string }) => t.team_id === teamId);
    expect(listed.keys).toHaveLength(1);
    expect(listed.team_memberships.map((m: { user_id: string }) => m.user_id)).toContain(member.user_id);
  });

  test("?user_id= lists only that user's teams and memberships; a user may ask for their own", async () => {
    const { teamId, member } = await teamWithPeople(h());
    await createTeam(h());

    for (const caller of [undefined, member.key]) {
      const res = await h().get(`/team/list?user_id=${member.user_id}`, caller);
      expect(res.status).toBe(200);
      expect(res.body.map((t: { team_id: string }) => t.team_id)).toEqual([teamId]);
      expect(res.body[0].team_memberships.map((m: { user_id: string }) => m.user_id)).toEqual([member.user_id]);
    }
  });

  test("a non-admin listing all teams, or another user's, is 401", async () => {
    const { member, admin } = await teamWithPeople(h());

    expectError(await h().get("/team/list", member.key), { status: 401, type: "auth_error", message: "Only admin users can query all teams" });
    expectError(await h().get(`/team/list?user_id=${admin.user_id}`, member.key), { status: 401, type: "auth_error" });
  });

  test("?organization_id=default_organization lists the teams of no organization", async () => {
    const inOrg = await createTeam(h(), { organization_id: "org-1" });
    const noOrg = await createTeam(h());

    const ids = (await h().get("/team/list?organization_id=default_organization")).body.map((t: { team_id: string }) => t.team_id);
    expect(ids).toContain(noOrg.team_id);
    expect(ids).not.toContain(inOrg.team_id);
    const org = (await h().get("/team/list?organization_id=org-1")).body.map((t: { team_id: string }) => t.team_id);
    expect(org).toEqual([inOrg.team_id]);
  });
});

describeStores(
  "/team/block and /team/unblock",
  (h) => {
    test("a blocked team's keys are refused with 401 at once; unblocking restores them at once", async () => {
      const team = await createTeam(h());
      const key = await createKey(h(), { team_id: team.team_id });
      expect((await h().get("/key/info", key.key)).status).toBe(200);

      const blocked = await h().post("/team/block", { team_id: team.team_id });

      expect(blocked.status).toBe(200);
      expect(blocked.body).toMatchObject({ team_id: team.team_id, blocked: true });
      expect((await h().store.getTeam(team.team_id))?.blocked).toBe(true);
      expectError(await h().get("/key/info", key.key), { status: 401, type: "auth_error", message: `Team=${team.team_id} is blocked` });
      expectError(await h().get("/v1/models", key.key), { status: 401, type: "auth_error", message: "is blocked" });

      const unblocked = await h().post("/team/unblock", { team_id: team.team_id });

      expect(unblocked.body).toMatchObject({ team_id: team.team_id, blocked: false });
      expect((await h().get("/key/info", key.key)).status).toBe(200);
    });

    test("blocked: true through /team/update also binds the cached keys at once", async () => {
      const team = await createTeam(h());
      const key = await createKey(h(), { team_id: team.team_id });
      expect((await h().get("/key/info", key.key)).status).toBe(200);

      await h().post("/team/update", { team_id: team.team_id, blocked: true });

      expectError(await h().get("/key/info", key.key), { status: 401, type: "auth_error", message: "is blocked" });
    });

    test("an unknown team is 404; team admins may not block (403)", async () => {
      expectError(await h().post("/team/block", { team_id: "no-such-team" }), { status: 404, type: "not_found_error" });

      const { teamId, admin } = await teamWithPeople(h());
      expectError(await h().post("/team/block", { team_id: teamId }, admin.key), { status: 403, type: "auth_error" });
      expectError(await h().post("/team/unblock", { team_id: teamId }, admin.key), { status: 403, type: "auth_error" });
      expect((await h().store.getTeam(teamId))?.blocked).toBe(false);
    });
  },
  { config },
);

describeStores(
  "/team/model/add and /team/model/delete",
  (h) => {
    test("a team's model list binds its keys, and changes to it bind cached keys at once", async () => {
      const team = await createTeam(h(), { models: ["model-a"] });
      const key = await createKey(h(), { team_id: team.team_id });
      expect(await modelIds(h(), key.key)).toEqual(["model-a"]);

      const added = await h().post("/team/model/add", { team_id: team.team_id, models: ["model-b", "model-a"] });

      expect(added.status).toBe(200);
      expect(added.body.models).toEqual(["model-a", "model-b"]);
      expect((await h().store.getTeam(team.team_id))?.models).toEqual(["model-a", "model-b"]);
      expect(await modelIds(h(), key.key)).toEqual(["model-a", "model-b"]);

      const removed = await h().post("/team/model/delete", { team_id: team.team_id, models: ["model-a"] });

      expect(removed.body.models).toEqual(["model-b"]);
      expect(await modelIds(h(), key.key)).toEqual(["model-b"]);
    });

    test("/team/update models binds cached keys at once", async () => {
      const team = await createTeam(h(), { models: ["model-a"] });
      const key = await createKey(h(), { team_id: team.team_id });
      expect(await modelIds(h(), key.key)).toEqual(["model-a"]);

      await h().post("/team/update", { team_id: team.team_id, models: ["model-c"] });

      expect(await modelIds(h(), key.key)).toEqual(["model-c"]);
    });

    test("team admins may change the models; plain members and outsiders may not (403)", async () => {
      const { teamId, admin, member, outsider } = await teamWithPeople(h(), { models: ["model-a"] });

      expect((await h().post("/team/model/add", { team_id: teamId, models: ["model-b"] }, admin.key)).status).toBe(200);
      for (const caller of [member, outsider]) {
        const res = await h().post("/team/model/delete", { team_id: teamId, models: ["model-a"] }, caller.key);
        expectError(res, { status: 403, type: "auth_error", message: "User not proxy admin OR team admin" });
      }
      expect((await h().store.getTeam(teamId))?.models).toEqual(["model-a", "model-b"]);
    });

    test("an unknown team is 404; an empty model list is 422", async () => {
      expectError(await h().post("/team/model/add", { team_id: "no-such-team", models: ["model-a"] }), { status: 404, type: "not_found_error" });
      const team = await createTeam(h());
      expectError(await h().post("/team/model/add", { team_id: team.team_id, models: [] }), { status: 422, type: "invalid_request_error", param: "models" });
    });
  },
  { config },
);

/** Pretends 0.25 USD per team, 0.1 per member are waiting in the ledger. */
const pending = { ...NO_LIVE_SPEND, team: () => 0.25, member: () => 0.1 };

describeStores(
  "team spend shown with unflushed spend",
  (h) => {
    test("/team/info, /team/list and team objects add the pending spend to the stored numbers", async () => {
      const { teamId, member } = await teamWithPeople(h());
      await h().store.updateTeam(teamId, { spend: 1 });

      const info = await h().get(`/team/info?team_id=${teamId}`);

      expect(info.body.team_info.spend).toBe(1.25);
      expect(info.body.team_memberships.find((m: { user_id: string }) => m.user_id === member.user_id).spend).toBe(0.1);
      const listed = (await h().get("/team/list")).body.find((t: { team_id: string }) => t.team_id === teamId);
      expect(listed.spend).toBe(1.25);
      expect((await h().store.getTeam(teamId))?.spend).toBe(1);
    });
  },
  { liveSpend: pending },
);

describeStores("admin viewers and teams", (h) => {
  test("an admin viewer may read every team but change none (403)", async () => {
    const viewer = await createUser(h(), { user_role: "proxy_admin_viewer" });
    const team = await createTeam(h(), { team_alias: "kept" });

    expect((await h().get(`/team/info?team_id=${team.team_id}`, viewer.key)).status).toBe(200);
    expect((await h().get("/team/list", viewer.key)).body.map((t: { team_id: string }) => t.team_id)).toContain(team.team_id);
    for (const [path, body] of [
      ["/team/new", {}],
      ["/team/update", { team_id: team.team_id, team_alias: "changed" }],
      ["/team/block", { team_id: team.team_id }],
      ["/team/delete", { team_ids: [team.team_id] }],
    ] as const) {
      expectError(await h().post(path, body, viewer.key), { status: 403, type: "auth_error" });
    }
    expect(await h().store.getTeam(team.team_id)).toMatchObject({ team_alias: "kept", blocked: false });
  });

  test("a viewer holding a team's admin role still may not manage its members (read-only role)", async () => {
    const viewer = await createUser(h(), { user_role: "internal_user_viewer" });
    const team = await createTeam(h(), { members_with_roles: [{ role: "admin", user_id: viewer.user_id }] });
    const target = uniqueId("target");

    const res = await h().post("/team/member_add", { team_id: team.team_id, member: { role: "user", user_id: target } }, viewer.key);

    expectError(res, { status: 403, type: "auth_error", message: "read-only" });
    expect(await h().store.getTeamMember(team.team_id, target)).toBeNull();
  });
});

describeStores("/v2/team/list", (h) => {
  test("pages through the same teams as /team/list", async () => {
    const prefix = uniqueId("paged");
    for (let i = 0; i < 3; i++) await h().post("/team/new", { team_id: `${prefix}-${i}`, team_alias: `${prefix}-${i}` });
    const all = (await h().get("/team/list")).body as { team_id: string }[];
    const first = await h().get("/v2/team/list?page=1&page_size=2");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: all.length, page: 1, page_size: 2, total_pages: Math.ceil(all.length / 2) });
    expect(first.body.teams.map((t: { team_id: string }) => t.team_id)).toEqual(all.slice(0, 2).map((t) => t.team_id));
    expect((await h().get("/v2/team/list?page_size=500")).status).toBe(422);
  });
});
