/**
 * /user/* (API.md §2.1): creating, reading, updating, deleting and listing internal
 * users, on both database dialects over real HTTP.
 */
import { expect, test } from "bun:test";
import { hashKey } from "../../src/auth/key-format.ts";
import { describeStores } from "../support/harness.ts";
import { createKey, createUser, expectError, insertTeam, storedKeyTokens, uniqueId } from "../support/management.ts";

const nextUtcMidnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
const nextUtcHour = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1));
const firstOfNextUtcMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

describeStores("/user/new", (h) => {
  test("creates the user with role internal_user and a first key that authenticates", async () => {
    const userId = uniqueId("alice");

    const res = await h().post("/user/new", { user_id: userId, user_email: `${userId}@example.com` });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: userId, user_email: `${userId}@example.com`, user_role: "internal_user", teams: [] });
    expect(res.body.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    expect(res.body.token).toBe(hashKey(res.body.key));
    const row = await h().store.getUser(userId);
    expect(row).toMatchObject({ user_id: userId, user_role: "internal_user" });
    expect(await storedKeyTokens(h(), userId)).toEqual([hashKey(res.body.key)]);

    const info = await h().get("/key/info", res.body.key);
    expect(info.status).toBe(200);
    expect(info.body.info.user_id).toBe(userId);
  });

  test("auto_create_key: false creates the user with no key and answers key \"\"", async () => {
    const userId = uniqueId("nokey");

    const res = await h().post("/user/new", { user_id: userId, auto_create_key: false });

    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(userId);
    expect(res.body.key).toBe("");
    expect(await h().store.getUser(userId)).not.toBeNull();
    expect(await storedKeyTokens(h(), userId)).toEqual([]);
  });

  test("without user_id a uuid is assigned", async () => {
    const res = await h().post("/user/new", { auto_create_key: false });

    expect(res.status).toBe(200);
    expect(res.body.user_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await h().store.getUser(res.body.user_id)).not.toBeNull();
  });

  test("max_budget is the user's budget; the auto-created key has no budget of its own", async () => {
    const userId = uniqueId("budgeted");

    const res = await h().post("/user/new", { user_id: userId, max_budget: 25 });

    expect(res.status).toBe(200);
    expect(res.body.max_budget).toBe(25);
    expect((await h().store.getUser(userId))?.max_budget).toBe(25);
    expect((await h().store.getKey(hashKey(res.body.key)))?.max_budget).toBeNull();
    const info = await h().get("/key/info", res.body.key);
    expect(info.body.info.max_budget).toBeNull();
  });

  test("budget_duration sets the user's budget_reset_at to the next aligned boundary", async () => {
    const userId = uniqueId("daily");

    const res = await h().post("/user/new", { user_id: userId, max_budget: 5, budget_duration: "1d" });

    expect(res.status).toBe(200);
    const row = await h().store.getUser(userId);
    expect(row?.budget_duration).toBe("1d");
    expect(row?.budget_reset_at).toEqual(nextUtcMidnight(row!.created_at));
    expect(res.body.budget_reset_at).toBe(nextUtcMidnight(row!.created_at).toISOString());
  });

  test("a team given as {team_id, max_budget_in_team, user_role} becomes a membership with its own budget", async () => {
    const teamId = uniqueId("team");
    await insertTeam(h(), teamId, "Platform");
    const userId = uniqueId("member");

    const res = await h().post("/user/new", { user_id: userId, teams: [{ team_id: teamId, max_budget_in_team: 3, user_role: "admin" }] });

    expect(res.status).toBe(200);
    expect(res.body.teams).toEqual([teamId]);
    const membership = await h().store.getTeamMember(teamId, userId);
    expect(membership?.role).toBe("admin");
    expect(membership?.budget_id).not.toBeNull();
    expect((await h().store.getBudget(membership!.budget_id!))?.max_budget).toBe(3);
  });

  test("joining a team with a default member budget (team_member_budget) binds the user to it, as /team/member_add does", async () => {
    const team = await h().post("/team/new", { team_alias: uniqueId("defaults"), team_member_budget: 7 });
    expect(team.status).toBe(200);
    const teamId = team.body.team_id as string;
    const userId = uniqueId("member");

    expect((await h().post("/user/new", { user_id: userId, teams: [teamId] })).status).toBe(200);

    const membership = await h().store.getTeamMember(teamId, userId);
    expect(membership?.budget_id).toBe((await h().store.getTeam(teamId))!.team_member_budget_id);
    expect((await h().store.getBudget(membership!.budget_id!))?.max_budget).toBe(7);
  });

  test("team_id makes the user a member of that team and puts its first key in it, as LiteLLM does", async () => {
    const teamId = uniqueId("team");
    await insertTeam(h(), teamId, "Research");
    const userId = uniqueId("member");

    const res = await h().post("/user/new", { user_id: userId, team_id: teamId, model_rpm_limit: { "gpt-4o": 5 } });

    expect(res.status).toBe(200);
    expect(res.body.teams).toEqual([teamId]);
    expect((await h().store.getTeamMember(teamId, userId))?.role).toBe("user");
    const key = await h().store.getKey(res.body.token);
    expect(key?.team_id).toBe(teamId);
    expect(key?.metadata.model_rpm_limit).toEqual({ "gpt-4o": 5 });
  });

  test("an unknown team_id is a 400 and stores no user", async () => {
    const userId = uniqueId("member");
    const res = await h().post("/user/new", { user_id: userId, team_id: "no-such-team" });
    expectError(res, { status: 400, type: "bad_request_error", message: "no-such-team" });
    expect(await h().store.getUser(userId)).toBeNull();
  });

  test("a duplicate user_id is 409 and stores no second key", async () => {
    const existing = await createUser(h());

    const res = await h().post("/user/new", { user_id: existing.user_id });

    expectError(res, { status: 409, type: "conflict_error", message: existing.user_id, param: "user_id" });
    expect(await storedKeyTokens(h(), existing.user_id)).toEqual([existing.token]);
  });

  test("an email already taken in a different case is 409 and stores nothing", async () => {
    const email = `${uniqueId("Mixed.Case")}@Example.com`;
    await createUser(h(), { user_email: email });
    const userId = uniqueId("copycat");

    const res = await h().post("/user/new", { user_id: userId, user_email: email.toLowerCase() });

    expectError(res, { status: 409, type: "conflict_error", param: "user_email" });
    expect(await h().store.getUser(userId)).toBeNull();
    expect(await storedKeyTokens(h(), userId)).toEqual([]);
  });

  test("teams naming an unknown team is 400 and stores neither user, key nor membership", async () => {
    const teamId = uniqueId("real-team");
    await insertTeam(h(), teamId);
    const userId = uniqueId("orphan");

    const res = await h().post("/user/new", { user_id: userId, teams: [teamId, "no-such-team"] });

    expectError(res, { status: 400, type: "bad_request_error", message: "no-such-team", param: "teams" });
    expect(await h().store.getUser(userId)).toBeNull();
    expect(await storedKeyTokens(h(), userId)).toEqual([]);
    expect(await h().store.getMembershipsOfUser(userId)).toEqual([]);
  });

  test("a negative max_budget is 400 naming the field and stores nothing", async () => {
    const userId = uniqueId("negative");

    const res = await h().post("/user/new", { user_id: userId, max_budget: -1 });

    expectError(res, { status: 400, type: "bad_request_error", message: "max_budget", param: "max_budget" });
    expect(await h().store.getUser(userId)).toBeNull();
  });

  test.each([
    ["max_budget", "ten"],
    ["user_role", "superuser"],
    ["auto_create_key", "yes"],
    ["teams", "team-1"],
    ["user_email", 42],
    ["tpm_limit", -5],
  ] as const)("%s = %p is 422 with param naming the field, and stores nothing", async (field, value) => {
    const userId = uniqueId("typo");

    const res = await h().post("/user/new", { user_id: userId, [field]: value });

    expectError(res, { status: 422, type: "invalid_request_error", message: field, param: field });
    expect(await h().store.getUser(userId)).toBeNull();
  });

  test("an internal_user's key may not create users (403)", async () => {
    const caller = await createUser(h());
    const userId = uniqueId("wannabe");

    const res = await h().post("/user/new", { user_id: userId }, caller.key);

    expectError(res, { status: 403, type: "auth_error" });
    expect(await h().store.getUser(userId)).toBeNull();
  });
});

describeStores("/user/info", (h) => {
  test("a user's key without user_id reads its own user", async () => {
    const user = await createUser(h(), { user_alias: "Own" });

    const res = await h().get("/user/info", user.key);

    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(user.user_id);
    expect(res.body.user_info).toMatchObject({ user_id: user.user_id, user_alias: "Own", user_role: "internal_user" });
  });

  test("an admin reads any user by user_id, with its keys and its teams", async () => {
    const teamId = uniqueId("team");
    await insertTeam(h(), teamId, "Research");
    const user = await createUser(h(), { teams: [teamId] });
    const second = await createKey(h(), { user_id: user.user_id, key_alias: uniqueId("second") });

    const res = await h().get(`/user/info?user_id=${user.user_id}`);

    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(user.user_id);
    expect(res.body.user_info.teams).toEqual([teamId]);
    expect(res.body.keys.map((k: { token: string }) => k.token).sort()).toEqual([user.token, second.token].sort());
    for (const key of res.body.keys) expect(key.user_id).toBe(user.user_id);
    expect(res.body.teams).toHaveLength(1);
    expect(res.body.teams[0]).toMatchObject({ team_id: teamId, team_alias: "Research" });
  });

  test("an unknown user_id is 404", async () => {
    const res = await h().get("/user/info?user_id=nobody-here");

    expectError(res, { status: 404, type: "not_found_error", message: "nobody-here", param: "user_id" });
  });

  test("a non-admin asking for another user is 403", async () => {
    const caller = await createUser(h());
    const other = await createUser(h());

    const res = await h().get(`/user/info?user_id=${other.user_id}`, caller.key);

    expectError(res, { status: 403, type: "auth_error" });
  });

  test("a non-admin may pass its own user_id", async () => {
    const caller = await createUser(h());

    const res = await h().get(`/user/info?user_id=${caller.user_id}`, caller.key);

    expect(res.status).toBe(200);
    expect(res.body.user_info.user_id).toBe(caller.user_id);
  });
});

describeStores("/user/update", (h) => {
  test("an admin updates a user by user_id; fields not sent are untouched", async () => {
    const user = await createUser(h(), { user_alias: "Before", max_budget: 10 });

    const res = await h().post("/user/update", { user_id: user.user_id, user_alias: "After" });

    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(user.user_id);
    expect(res.body.data).toMatchObject({ user_id: user.user_id, user_alias: "After", max_budget: 10 });
    expect(await h().store.getUser(user.user_id)).toMatchObject({ user_alias: "After", max_budget: 10 });
  });

  test("an admin updates a user found by user_email", async () => {
    const email = `${uniqueId("by-email")}@example.com`;
    const user = await createUser(h(), { user_email: email });

    const res = await h().post("/user/update", { user_email: email, user_alias: "Found by email" });

    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe(user.user_id);
    expect((await h().store.getUser(user.user_id))?.user_alias).toBe("Found by email");
  });

  test("max_budget: null clears the budget", async () => {
    const user = await createUser(h(), { max_budget: 10, user_alias: "Keeps alias" });

    const res = await h().post("/user/update", { user_id: user.user_id, max_budget: null });

    expect(res.status).toBe(200);
    expect(res.body.data.max_budget).toBeNull();
    expect(await h().store.getUser(user.user_id)).toMatchObject({ max_budget: null, user_alias: "Keeps alias" });
  });

  test("a new budget_duration recomputes budget_reset_at; null clears both", async () => {
    const user = await createUser(h(), { max_budget: 10, budget_duration: "1mo" });
    const created = await h().store.getUser(user.user_id);
    expect(created?.budget_reset_at).toEqual(firstOfNextUtcMonth(created!.created_at));

    const hourly = await h().post("/user/update", { user_id: user.user_id, budget_duration: "1h" });

    expect(hourly.status).toBe(200);
    const updated = await h().store.getUser(user.user_id);
    expect(updated?.budget_duration).toBe("1h");
    expect(updated?.budget_reset_at).toEqual(nextUtcHour(updated!.updated_at));
    expect(hourly.body.data.budget_reset_at).toBe(nextUtcHour(updated!.updated_at).toISOString());

    const cleared = await h().post("/user/update", { user_id: user.user_id, budget_duration: null });

    expect(cleared.status).toBe(200);
    expect(await h().store.getUser(user.user_id)).toMatchObject({ budget_duration: null, budget_reset_at: null, max_budget: 10 });
  });

  test("a user may change its own user_alias with its own key", async () => {
    const user = await createUser(h());

    const res = await h().post("/user/update", { user_id: user.user_id, user_alias: "Self-named" }, user.key);

    expect(res.status).toBe(200);
    expect((await h().store.getUser(user.user_id))?.user_alias).toBe("Self-named");
  });

  test.each([
    ["max_budget", 1000],
    ["user_role", "proxy_admin"],
  ] as const)("a user may not change its own %s (403, nothing changes)", async (field, value) => {
    const user = await createUser(h(), { max_budget: 1 });

    const res = await h().post("/user/update", { user_id: user.user_id, [field]: value }, user.key);

    expectError(res, { status: 403, type: "auth_error", message: field });
    expect(await h().store.getUser(user.user_id)).toMatchObject({ max_budget: 1, user_role: "internal_user" });
  });

  test("a user may not update another user (403)", async () => {
    const caller = await createUser(h());
    const other = await createUser(h(), { user_alias: "Untouched" });

    const res = await h().post("/user/update", { user_id: other.user_id, user_alias: "Hijacked" }, caller.key);

    expectError(res, { status: 403, type: "auth_error" });
    expect((await h().store.getUser(other.user_id))?.user_alias).toBe("Untouched");
  });

  test("a proxy_admin_viewer may not promote anyone (403)", async () => {
    const viewer = await createUser(h(), { user_role: "proxy_admin_viewer" });
    const target = await createUser(h());

    const res = await h().post("/user/update", { user_id: target.user_id, user_role: "proxy_admin" }, viewer.key);

    expectError(res, { status: 403, type: "auth_error" });
    expect((await h().store.getUser(target.user_id))?.user_role).toBe("internal_user");
  });

  test("a proxy_admin user's key may promote another user", async () => {
    const admin = await createUser(h(), { user_role: "proxy_admin" });
    const target = await createUser(h());

    const res = await h().post("/user/update", { user_id: target.user_id, user_role: "proxy_admin" }, admin.key);

    expect(res.status).toBe(200);
    expect((await h().store.getUser(target.user_id))?.user_role).toBe("proxy_admin");
  });

  test("after promotion the user's existing key may call admin-only routes at once (and not after demotion)", async () => {
    const promoted = await createUser(h());
    const victim = await createUser(h());
    const before = await h().post("/key/block", { key: victim.key }, promoted.key);
    expectError(before, { status: 403, type: "auth_error" });

    const promotion = await h().post("/user/update", { user_id: promoted.user_id, user_role: "proxy_admin" });
    expect(promotion.status).toBe(200);
    const asAdmin = await h().post("/key/block", { key: victim.key }, promoted.key);

    expect(asAdmin.status).toBe(200);
    expect((await h().store.getKey(victim.token))?.blocked).toBe(true);

    const demotion = await h().post("/user/update", { user_id: promoted.user_id, user_role: "internal_user" });
    expect(demotion.status).toBe(200);
    const afterDemotion = await h().post("/key/unblock", { key: victim.key }, promoted.key);

    expectError(afterDemotion, { status: 403, type: "auth_error" });
    expect((await h().store.getKey(victim.token))?.blocked).toBe(true);
  });

  test("a key generated for a user_id before the user existed gets the role /user/new gives that user at once", async () => {
    const userId = uniqueId("late-user");
    const early = await createKey(h(), { user_id: userId });
    const victim = await createUser(h());
    expectError(await h().post("/key/block", { key: victim.key }, early.key), { status: 403, type: "auth_error" });

    const created = await h().post("/user/new", { user_id: userId, user_role: "proxy_admin", auto_create_key: false });
    expect(created.status).toBe(200);
    const res = await h().post("/key/block", { key: victim.key }, early.key);

    expect(res.status).toBe(200);
  });

  test("an unknown user_id is 404 and creates nobody", async () => {
    const res = await h().post("/user/update", { user_id: "ghost-user", user_alias: "Boo" });

    expectError(res, { status: 404, type: "not_found_error", message: "ghost-user", param: "user_id" });
    expect(await h().store.getUser("ghost-user")).toBeNull();
  });

  test("neither user_id nor user_email is 400", async () => {
    const res = await h().post("/user/update", { user_alias: "Who?" });

    expectError(res, { status: 400, type: "bad_request_error", param: "user_id" });
  });
});

describeStores("/user/delete", (h) => {
  test("removes the user and its keys; a key in use stops working at once with token_not_found_in_db", async () => {
    const user = await createUser(h());
    const second = await createKey(h(), { user_id: user.user_id });
    expect((await h().get("/key/info", user.key)).status).toBe(200);

    const res = await h().post("/user/delete", { user_ids: [user.user_id] });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted_users: 1, user_ids: [user.user_id] });
    expect(await h().store.getUser(user.user_id)).toBeNull();
    expect(await storedKeyTokens(h(), user.user_id)).toEqual([]);
    for (const key of [user.key, second.key]) {
      expectError(await h().get("/key/info", key), { status: 401, type: "token_not_found_in_db" });
    }
  });

  test("removes the user's team memberships", async () => {
    const teamId = uniqueId("team");
    await insertTeam(h(), teamId);
    const user = await createUser(h(), { teams: [teamId] });

    const res = await h().post("/user/delete", { user_ids: [user.user_id] });

    expect(res.status).toBe(200);
    expect(await h().store.getTeamMember(teamId, user.user_id)).toBeNull();
  });

  test("an unknown id is 404 and deletes nothing, not even the known users in the same request", async () => {
    const user = await createUser(h());

    const res = await h().post("/user/delete", { user_ids: [user.user_id, "never-existed"] });

    expectError(res, { status: 404, type: "not_found_error", message: "never-existed", param: "user_ids" });
    expect(await h().store.getUser(user.user_id)).not.toBeNull();
    expect((await h().get("/key/info", user.key)).status).toBe(200);
  });

  test("a non-admin key is 403 and deletes nothing", async () => {
    const caller = await createUser(h());
    const target = await createUser(h());

    const res = await h().post("/user/delete", { user_ids: [target.user_id] }, caller.key);

    expectError(res, { status: 403, type: "auth_error" });
    expect(await h().store.getUser(target.user_id)).not.toBeNull();
  });
});

describeStores("/user/list", (h) => {
  test("pages through the matching users with users, total, page, page_size and total_pages", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createUser(h(), { auto_create_key: false })).user_id);
    const filter = `user_ids=${ids.join(",")}&page_size=2`;

    const pages = await Promise.all([1, 2, 3].map((page) => h().get(`/user/list?${filter}&page=${page}`)));

    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(pages.map((p) => ({ ...p.body, users: p.body.users.length }))).toEqual([
      { users: 2, total: 5, page: 1, page_size: 2, total_pages: 3 },
      { users: 2, total: 5, page: 2, page_size: 2, total_pages: 3 },
      { users: 1, total: 5, page: 3, page_size: 2, total_pages: 3 },
    ]);
    const seen = pages.flatMap((p) => p.body.users.map((u: { user_id: string }) => u.user_id));
    expect(seen.sort()).toEqual([...ids].sort());
  });

  test("each user carries the ids of its teams", async () => {
    const user = await createUser(h(), { auto_create_key: false });
    const loner = await createUser(h(), { auto_create_key: false });
    const teams = [uniqueId("team"), uniqueId("team")];
    for (const teamId of teams) {
      await insertTeam(h(), teamId);
      expect((await h().post("/team/member_add", { team_id: teamId, member: { user_id: user.user_id, role: "user" } })).status).toBe(200);
    }

    const res = await h().get(`/user/list?user_ids=${user.user_id},${loner.user_id}`);

    const byId = Object.fromEntries(res.body.users.map((u: { user_id: string; teams: string[] }) => [u.user_id, u.teams]));
    expect(byId[user.user_id].sort()).toEqual([...teams].sort());
    expect(byId[loner.user_id]).toEqual([]);
    const info = await h().get(`/user/info?user_id=${user.user_id}`);
    expect(info.body.teams.map((t: { team_id: string }) => t.team_id).sort()).toEqual(byId[user.user_id]);
  });

  test("defaults to page 1 of 25", async () => {
    const res = await h().get("/user/list");

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, page_size: 25 });
    expect(res.body.total_pages).toBe(Math.ceil(res.body.total / 25));
  });

  test("role filters by user_role", async () => {
    const viewer = await createUser(h(), { user_role: "internal_user_viewer" });
    const internal = await createUser(h());

    const res = await h().get("/user/list?role=internal_user_viewer&page_size=100");

    expect(res.status).toBe(200);
    const ids = res.body.users.map((u: { user_id: string }) => u.user_id);
    expect(ids).toContain(viewer.user_id);
    expect(ids).not.toContain(internal.user_id);
    for (const user of res.body.users) expect(user.user_role).toBe("internal_user_viewer");
  });

  test("user_email matches a case-insensitive part of the email", async () => {
    const marker = uniqueId("zebra");
    const a = await createUser(h(), { user_email: `${marker}.one@example.com` });
    const b = await createUser(h(), { user_email: `Team.${marker.toUpperCase()}@Example.org` });
    await createUser(h(), { user_email: `${uniqueId("other")}@example.com` });

    const res = await h().get(`/user/list?user_email=${marker.toUpperCase()}`);

    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.users.map((u: { user_id: string }) => u.user_id).sort()).toEqual([a.user_id, b.user_id].sort());
  });

  test("user_email is matched literally: _ and % are not wildcards", async () => {
    const marker = uniqueId("lit");
    const underscored = await createUser(h(), { user_email: `${marker}_x@example.com` });
    await createUser(h(), { user_email: `${marker}yx@example.com` });

    const underscore = await h().get(`/user/list?user_email=${marker}_x`);
    const percent = await h().get(`/user/list?user_email=${marker}%25x`);

    expect(underscore.status).toBe(200);
    expect(underscore.body.users.map((u: { user_id: string }) => u.user_id)).toEqual([underscored.user_id]);
    expect(percent.status).toBe(200);
    expect(percent.body.total).toBe(0);
  });

  test.each([
    ["page_size", "page_size=101"],
    ["page", "page=0"],
  ])("an out-of-range %s is 422 naming it", async (param, query) => {
    const res = await h().get(`/user/list?${query}`);

    expectError(res, { status: 422, type: "invalid_request_error", param });
  });

  test("user_ids takes a comma-separated list", async () => {
    const a = await createUser(h());
    const b = await createUser(h());
    await createUser(h());

    const res = await h().get(`/user/list?user_ids=${a.user_id},%20${b.user_id}`);

    expect(res.status).toBe(200);
    expect(res.body.users.map((u: { user_id: string }) => u.user_id).sort()).toEqual([a.user_id, b.user_id].sort());
  });

  test("each user carries the number of keys it owns", async () => {
    const twoKeys = await createUser(h());
    await createKey(h(), { user_id: twoKeys.user_id });
    const noKeys = await createUser(h(), { auto_create_key: false });

    const res = await h().get(`/user/list?user_ids=${twoKeys.user_id},${noKeys.user_id}`);

    expect(res.status).toBe(200);
    const counts = Object.fromEntries(res.body.users.map((u: { user_id: string; key_count: number }) => [u.user_id, u.key_count]));
    expect(counts).toEqual({ [twoKeys.user_id]: 2, [noKeys.user_id]: 0 });
  });

  test("a proxy_admin_viewer may list users", async () => {
    const viewer = await createUser(h(), { user_role: "proxy_admin_viewer" });

    const res = await h().get(`/user/list?user_ids=${viewer.user_id}`, viewer.key);

    expect(res.status).toBe(200);
    expect(res.body.users.map((u: { user_id: string }) => u.user_id)).toEqual([viewer.user_id]);
  });

  test.each(["internal_user", "internal_user_viewer"] as const)("an %s may not list users (403)", async (role) => {
    const caller = await createUser(h(), { user_role: role });

    const res = await h().get("/user/list", caller.key);

    expectError(res, { status: 403, type: "auth_error", message: "/user/list" });
  });
});

describeStores("user passwords", (h) => {
  test("are stored only as a hash, and no response ever includes it", async () => {
    const password = "correct horse battery";
    const userId = uniqueId("secretive");

    const created = await h().post("/user/new", { user_id: userId, password });
    const row = await h().store.getUser(userId);
    const responses = [
      created,
      await h().get(`/user/info?user_id=${userId}`),
      await h().get(`/user/info`, created.body.key),
      await h().post("/user/update", { user_id: userId, password: "another long password" }),
      await h().get(`/user/list?user_ids=${userId}`),
    ];

    expect(row?.password_hash).toBeString();
    expect(await Bun.password.verify(password, row!.password_hash!)).toBe(true);
    for (const res of responses) {
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain("password");
      expect(text).not.toContain(row!.password_hash!);
    }
    const updated = await h().store.getUser(userId);
    expect(await Bun.password.verify("another long password", updated!.password_hash!)).toBe(true);
  });
});
