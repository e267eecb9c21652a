/**
 * Who may call which /key/* and /user/* route (API.md §1.2, §2.1, §3.3): the
 * authentication failures every route shares, then one block per kind of caller —
 * admins, the owner of a key, another internal user, and the two viewer roles —
 * then deployments without a master key, and keys restricted by allowed_routes.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { hashKey } from "../../src/auth/key-format.ts";
import { type ApiResponse, describeStores, type Harness, MASTER_KEY } from "../support/harness.ts";
import { createKey, createUser, expectError, storedKeyTokens, type TestUser, uniqueId } from "../support/management.ts";

interface Call {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
}

const call = (h: Harness, c: Call, key: string | null, headers?: Record<string, string>): Promise<ApiResponse> =>
  h.request(c.method, c.path, { key, body: c.body, headers });

/** One representative call per management route, harmless if it ever succeeded. */
const MANAGEMENT_CALLS: Call[] = [
  { method: "POST", path: "/key/generate", body: {} },
  { method: "POST", path: "/key/update", body: { key: "sk-does-not-matter" } },
  { method: "POST", path: "/key/delete", body: { keys: ["sk-does-not-matter"] } },
  { method: "GET", path: "/key/info" },
  { method: "POST", path: "/v2/key/info", body: { keys: ["sk-does-not-matter"] } },
  { method: "GET", path: "/key/list" },
  { method: "POST", path: "/key/regenerate", body: { key: "sk-does-not-matter" } },
  { method: "POST", path: "/key/block", body: { key: "sk-does-not-matter" } },
  { method: "POST", path: "/key/unblock", body: { key: "sk-does-not-matter" } },
  { method: "POST", path: "/user/new", body: {} },
  { method: "GET", path: "/user/info?user_id=someone" },
  { method: "POST", path: "/user/update", body: { user_id: "someone" } },
  { method: "POST", path: "/user/delete", body: { user_ids: ["someone"] } },
  { method: "GET", path: "/user/list" },
  { method: "POST", path: "/team/new", body: {} },
  { method: "GET", path: "/team/info?team_id=some-team" },
  { method: "POST", path: "/team/update", body: { team_id: "some-team" } },
  { method: "POST", path: "/team/delete", body: { team_ids: ["some-team"] } },
  { method: "GET", path: "/team/list" },
  { method: "POST", path: "/team/member_add", body: { team_id: "some-team", member: { role: "user", user_id: "someone" } } },
  { method: "POST", path: "/team/member_delete", body: { team_id: "some-team", user_id: "someone" } },
  { method: "POST", path: "/team/member_update", body: { team_id: "some-team", user_id: "someone" } },
  { method: "POST", path: "/team/block", body: { team_id: "some-team" } },
  { method: "POST", path: "/team/unblock", body: { team_id: "some-team" } },
  { method: "POST", path: "/team/model/add", body: { team_id: "some-team", models: ["m"] } },
  { method: "POST", path: "/team/model/delete", body: { team_id: "some-team", models: ["m"] } },
  { method: "POST", path: "/customer/new", body: { user_id: "someone" } },
  { method: "GET", path: "/customer/info?end_user_id=someone" },
  { method: "POST", path: "/customer/update", body: { user_id: "someone" } },
  { method: "POST", path: "/customer/delete", body: { user_ids: ["someone"] } },
  { method: "GET", path: "/customer/list" },
  { method: "POST", path: "/customer/block", body: { user_ids: ["someone"] } },
  { method: "POST", path: "/customer/unblock", body: { user_ids: ["someone"] } },
  { method: "POST", path: "/end_user/new", body: { user_id: "someone" } },
  { method: "POST", path: "/budget/new", body: {} },
  { method: "POST", path: "/budget/update", body: { budget_id: "some-budget" } },
  { method: "POST", path: "/budget/info", body: { budgets: ["some-budget"] } },
  { method: "GET", path: "/budget/list" },
  { method: "POST", path: "/budget/delete", body: { id: "some-budget" } },
];

const label = (c: Call) => `${c.method} ${c.path.split("?")[0]}`;

/** Every write against `target`'s key and user, made with `caller`'s key, is a 403 that changes nothing. */
async function expectEveryWriteRefused(h: Harness, target: TestUser, caller: TestUser): Promise<void> {
  for (const c of writesAgainst(target)) {
    const res = await call(h, c, caller.key);
    expect({ call: label(c), status: res.status }).toEqual({ call: label(c), status: 403 });
    expectError(res, { status: 403, type: "auth_error" });
  }
  await expectUntouched(h, target, caller);
}

describeStores("authentication on management routes", (h) => {
  describe.each(MANAGEMENT_CALLS.map((c) => [label(c), c] as const))("%s", (_name, c) => {
    test("no key is 401 auth_error 'No api key passed in'", async () => {
      const res = await call(h(), c, null);

      expectError(res, { status: 401, type: "auth_error", message: "No api key passed in", param: null });
    });

    test("an Authorization header without Bearer is 401 malformed", async () => {
      const res = await call(h(), c, null, { authorization: MASTER_KEY });

      expectError(res, { status: 401, type: "auth_error", message: "Ensure Key has `Bearer ` prefix" });
    });

    test("a key not starting with sk- is 401 and the key is masked in the message", async () => {
      const res = await call(h(), c, "garbage-not-a-virtual-key");

      expectError(res, { status: 401, type: "auth_error", message: "expected to start with 'sk-'" });
      expect(res.body.error.message).not.toContain("garbage-not-a-virtual-key");
    });

    test("an unknown sk- key is 401 token_not_found_in_db", async () => {
      const res = await call(h(), c, "sk-this-key-was-never-issued");

      expectError(res, { status: 401, type: "token_not_found_in_db", message: hashKey("sk-this-key-was-never-issued") });
    });
  });

  test("a custom key refused before it existed works as soon as /key/generate has answered", async () => {
    const custom = `sk-${uniqueId("custom")}-tried-too-early`;
    expectError(await h().get("/key/info", custom), { status: 401, type: "token_not_found_in_db" });

    const generated = await h().post("/key/generate", { key: custom });
    expect(generated.status).toBe(200);
    const res = await h().get("/key/info", custom);

    expect(res.status).toBe(200);
    expect(res.body.info.key_name).toBe(`sk-...${custom.slice(-4)}`);
  });
});

describeStores("admins: the master key and a proxy_admin user's key", (h) => {
  let adminUser: TestUser;
  beforeAll(async () => {
    adminUser = await createUser(h(), { user_role: "proxy_admin" });
  });
  const callers = [
    ["the master key", () => MASTER_KEY],
    ["a proxy_admin user's key", () => adminUser.key],
  ] as const;

  describe.each(callers)("%s", (_name, admin) => {
    test("generates a key for any user", async () => {
      const target = await createUser(h());

      const res = await h().post("/key/generate", { user_id: target.user_id }, admin());

      expect(res.status).toBe(200);
      expect((await h().store.getKey(res.body.token))?.user_id).toBe(target.user_id);
    });

    test("reads, updates, regenerates and deletes another user's key", async () => {
      const target = await createUser(h());
      const key = await createKey(h(), { user_id: target.user_id });

      const info = await h().get(`/key/info?key=${key.key}`, admin());
      const update = await h().post("/key/update", { key: key.key, max_budget: 9 }, admin());
      const regenerated = await h().post("/key/regenerate", { key: key.key }, admin());
      const deleted = await h().post("/key/delete", { keys: [regenerated.body.token] }, admin());

      expect([info.status, update.status, regenerated.status, deleted.status]).toEqual([200, 200, 200, 200]);
      expect(info.body.info.user_id).toBe(target.user_id);
      expect(await storedKeyTokens(h(), target.user_id)).toEqual([target.token]);
    });

    test("blocks and unblocks any key", async () => {
      const target = await createUser(h());

      const blocked = await h().post("/key/block", { key: target.key }, admin());
      expect(blocked.status).toBe(200);
      expect((await h().store.getKey(target.token))?.blocked).toBe(true);
      expectError(await h().get("/key/info", target.key), { status: 401, type: "auth_error", message: "Key is blocked" });

      const unblocked = await h().post("/key/unblock", { key: target.key }, admin());
      expect(unblocked.status).toBe(200);
      expect((await h().get("/key/info", target.key)).status).toBe(200);
    });

    test("reads several keys at once with /v2/key/info", async () => {
      const a = await createUser(h());
      const b = await createUser(h());

      const res = await h().post("/v2/key/info", { keys: [a.key, b.key] }, admin());

      expect(res.status).toBe(200);
      expect(res.body.info.map((i: { user_id: string }) => i.user_id).sort()).toEqual([a.user_id, b.user_id].sort());
    });

    test("creates, reads, lists and deletes users", async () => {
      const userId = uniqueId("made-by-admin");

      const created = await h().post("/user/new", { user_id: userId }, admin());
      const info = await h().get(`/user/info?user_id=${userId}`, admin());
      const list = await h().get(`/user/list?user_ids=${userId}`, admin());
      const deleted = await h().post("/user/delete", { user_ids: [userId] }, admin());

      expect([created.status, info.status, list.status, deleted.status]).toEqual([200, 200, 200, 200]);
      expect(list.body.users.map((u: { user_id: string }) => u.user_id)).toEqual([userId]);
      expect(await h().store.getUser(userId)).toBeNull();
    });

    test("sees every user's keys in /key/list", async () => {
      const a = await createUser(h());
      const b = await createUser(h());

      const res = await h().get("/key/list?size=100", admin());

      expect(res.status).toBe(200);
      expect(res.body.keys).toEqual(expect.arrayContaining([a.token, b.token]));
    });
  });
});

describeStores("an internal_user (the owner) managing its own keys", (h) => {
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    owner = await createUser(h());
    other = await createUser(h());
  });

  test("reads its own key with /key/info and no ?key", async () => {
    const res = await h().get("/key/info", owner.key);

    expect(res.status).toBe(200);
    expect(res.body.info.user_id).toBe(owner.user_id);
  });

  test("reads, updates, regenerates and deletes another key of its own user", async () => {
    const second = await createKey(h(), { user_id: owner.user_id });

    const info = await h().get(`/key/info?key=${second.key}`, owner.key);
    expect(info.status).toBe(200);

    const update = await h().post("/key/update", { key: second.key, max_budget: 4 }, owner.key);
    expect(update.status).toBe(200);
    expect((await h().store.getKey(second.token))?.max_budget).toBe(4);

    const regenerated = await h().post("/key/regenerate", { key: second.key }, owner.key);
    expect(regenerated.status).toBe(200);
    expect(await h().store.getKey(second.token)).toBeNull();
    expect((await h().store.getKey(regenerated.body.token))?.user_id).toBe(owner.user_id);

    const deleted = await h().post("/key/delete", { keys: [regenerated.body.key] }, owner.key);
    expect(deleted.status).toBe(200);
    expect(await h().store.getKey(regenerated.body.token)).toBeNull();
  });

  test("generates a key for itself; user_id is its own even when not sent", async () => {
    const implicit = await h().post("/key/generate", {}, owner.key);
    const explicit = await h().post("/key/generate", { user_id: owner.user_id }, owner.key);

    expect([implicit.status, explicit.status]).toEqual([200, 200]);
    expect((await h().store.getKey(implicit.body.token))?.user_id).toBe(owner.user_id);
    expect((await h().store.getKey(explicit.body.token))?.user_id).toBe(owner.user_id);
  });

  test("may not generate a key for another user_id (403, nothing stored)", async () => {
    const before = await storedKeyTokens(h(), other.user_id);

    const res = await h().post("/key/generate", { user_id: other.user_id }, owner.key);

    expectError(res, { status: 403, type: "auth_error", message: other.user_id });
    expect(await storedKeyTokens(h(), other.user_id)).toEqual(before);
  });

  test("may not reassign its own key to another user (403)", async () => {
    const second = await createKey(h(), { user_id: owner.user_id });

    const res = await h().post("/key/update", { key: second.key, user_id: other.user_id }, owner.key);

    expectError(res, { status: 403, type: "auth_error" });
    expect((await h().store.getKey(second.token))?.user_id).toBe(owner.user_id);
  });

  test("may not read another user's key (403)", async () => {
    const res = await h().get(`/key/info?key=${other.key}`, owner.key);

    expectError(res, { status: 403, type: "auth_error" });
  });

  test("may not update another user's key (403, nothing changes)", async () => {
    const res = await h().post("/key/update", { key: other.key, max_budget: 0 }, owner.key);

    expectError(res, { status: 403, type: "auth_error", message: "not authorized to update this key" });
    expect((await h().store.getKey(other.token))?.max_budget).toBeNull();
  });

  test("may not delete another user's key (403, key still works)", async () => {
    const res = await h().post("/key/delete", { keys: [other.key] }, owner.key);

    expectError(res, { status: 403, type: "auth_error", message: "not authorized to delete this key" });
    expect((await h().get("/key/info", other.key)).status).toBe(200);
  });

  test("may not regenerate another user's key, by body or by path (403, key still works)", async () => {
    const byBody = await h().post("/key/regenerate", { key: other.key }, owner.key);
    const byPath = await h().post(`/key/${other.key}/regenerate`, {}, owner.key);

    expectError(byBody, { status: 403, type: "auth_error" });
    expectError(byPath, { status: 403, type: "auth_error" });
    expect((await h().get("/key/info", other.key)).status).toBe(200);
  });

  test.each(["/key/block", "/key/unblock"])("may not call %s, even on its own key (403)", async (path) => {
    const second = await createKey(h(), { user_id: owner.user_id });

    const res = await h().post(path, { key: second.key }, owner.key);

    expectError(res, { status: 403, type: "auth_error", message: path });
    expect((await h().store.getKey(second.token))?.blocked).not.toBe(true);
  });

  test.each<Call>([
    { method: "POST", path: "/user/new", body: { user_id: "created-by-owner" } },
    { method: "POST", path: "/user/delete", body: { user_ids: ["someone"] } },
    { method: "GET", path: "/user/list" },
    { method: "POST", path: "/v2/key/info", body: { keys: ["sk-anything"] } },
  ])("may not call $path (403)", async (c) => {
    const res = await call(h(), c, owner.key);

    expectError(res, { status: 403, type: "auth_error", message: c.path });
    expect(await h().store.getUser("created-by-owner")).toBeNull();
  });

  test("/key/list only ever returns its own user's keys, whatever user_id it asks for", async () => {
    await createKey(h(), { user_id: owner.user_id });
    const own = await storedKeyTokens(h(), owner.user_id);

    const plain = await h().get("/key/list?size=100", owner.key);
    const askingForOther = await h().get(`/key/list?size=100&user_id=${other.user_id}`, owner.key);
    const full = await h().get("/key/list?size=100&return_full_object=true", owner.key);

    for (const res of [plain, askingForOther]) {
      expect(res.status).toBe(200);
      expect([...res.body.keys].sort()).toEqual([...own].sort());
      expect(res.body.total_count).toBe(own.length);
    }
    expect(full.status).toBe(200);
    for (const key of full.body.keys) expect(key.user_id).toBe(owner.user_id);
  });
});

describeStores("another internal_user", (h) => {
  test("sees only its own keys in /key/list and cannot touch the first user's keys", async () => {
    const owner = await createUser(h());
    const other = await createUser(h());

    const list = await h().get("/key/list?size=100", other.key);
    const info = await h().get(`/key/info?key=${owner.key}`, other.key);
    const update = await h().post("/key/update", { key: owner.key, key_alias: "stolen" }, other.key);
    const userInfo = await h().get(`/user/info?user_id=${owner.user_id}`, other.key);
    const userUpdate = await h().post("/user/update", { user_id: owner.user_id, user_alias: "stolen" }, other.key);

    expect(list.status).toBe(200);
    expect(list.body.keys).toEqual([other.token]);
    for (const res of [info, update, userInfo, userUpdate]) expectError(res, { status: 403, type: "auth_error" });
    expect((await h().store.getKey(owner.token))?.key_alias).toBeNull();
    expect((await h().store.getUser(owner.user_id))?.user_alias).toBeNull();
  });
});

/** Every write a viewer might try, aimed at another user's key and user. */
function writesAgainst(target: TestUser): Call[] {
  return [
    { method: "POST", path: "/key/generate", body: {} },
    { method: "POST", path: "/key/update", body: { key: target.key, key_alias: "viewer-was-here" } },
    { method: "POST", path: "/key/delete", body: { keys: [target.key] } },
    { method: "POST", path: "/key/regenerate", body: { key: target.key } },
    { method: "POST", path: `/key/${target.key}/regenerate`, body: {} },
    { method: "POST", path: "/key/block", body: { key: target.key } },
    { method: "POST", path: "/key/unblock", body: { key: target.key } },
    { method: "POST", path: `/key/${target.key}/reset_spend`, body: { reset_to: 0 } },
    { method: "POST", path: "/user/new", body: { user_id: "made-by-a-viewer" } },
    { method: "POST", path: "/user/update", body: { user_id: target.user_id, user_alias: "viewer-was-here" } },
    { method: "POST", path: "/user/delete", body: { user_ids: [target.user_id] } },
  ];
}

/** The target's key and user are exactly as they were, and nothing new exists. */
async function expectUntouched(h: Harness, target: TestUser, viewer: TestUser): Promise<void> {
  expect(await h.store.getKey(target.token)).toMatchObject({ key_alias: null, blocked: null });
  expect(await h.store.getUser(target.user_id)).toMatchObject({ user_alias: null });
  expect(await h.store.getUser("made-by-a-viewer")).toBeNull();
  expect(await storedKeyTokens(h, viewer.user_id)).toEqual([viewer.token]);
}

describeStores("a proxy_admin_viewer", (h) => {
  let viewer: TestUser;
  let target: TestUser;
  beforeAll(async () => {
    viewer = await createUser(h(), { user_role: "proxy_admin_viewer" });
    target = await createUser(h());
  });

  test("reads any key with /key/info and /v2/key/info", async () => {
    const single = await h().get(`/key/info?key=${target.key}`, viewer.key);
    const many = await h().post("/v2/key/info", { keys: [target.key] }, viewer.key);

    expect(single.status).toBe(200);
    expect(single.body.info.user_id).toBe(target.user_id);
    expect(many.status).toBe(200);
    expect(many.body.info[0].user_id).toBe(target.user_id);
  });

  test("sees every user's keys in /key/list", async () => {
    const res = await h().get("/key/list?size=100", viewer.key);

    expect(res.status).toBe(200);
    expect(res.body.keys).toEqual(expect.arrayContaining([viewer.token, target.token]));
  });

  test("reads any user with /user/info and lists users with /user/list", async () => {
    const info = await h().get(`/user/info?user_id=${target.user_id}`, viewer.key);
    const list = await h().get(`/user/list?user_ids=${target.user_id}`, viewer.key);

    expect(info.status).toBe(200);
    expect(info.body.user_info.user_id).toBe(target.user_id);
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: { user_id: string }) => u.user_id)).toEqual([target.user_id]);
  });

  test("is refused every write with 403 and changes nothing", async () => {
    await expectEveryWriteRefused(h(), target, viewer);
  });

  test("may not even update or delete its own key (403)", async () => {
    const update = await h().post("/key/update", { key: viewer.key, key_alias: "mine" }, viewer.key);
    const del = await h().post("/key/delete", { keys: [viewer.key] }, viewer.key);

    expectError(update, { status: 403, type: "auth_error" });
    expectError(del, { status: 403, type: "auth_error" });
    expect((await h().store.getKey(viewer.token))?.key_alias).toBeNull();
  });
});

describeStores("an internal_user_viewer", (h) => {
  let viewer: TestUser;
  let target: TestUser;
  beforeAll(async () => {
    viewer = await createUser(h(), { user_role: "internal_user_viewer" });
    target = await createUser(h());
  });

  test("reads its own key and its own user", async () => {
    const key = await h().get("/key/info", viewer.key);
    const user = await h().get("/user/info", viewer.key);

    expect(key.status).toBe(200);
    expect(user.status).toBe(200);
    expect(user.body.user_info.user_role).toBe("internal_user_viewer");
  });

  test("sees only its own keys in /key/list", async () => {
    const res = await h().get("/key/list?size=100", viewer.key);

    expect(res.status).toBe(200);
    expect(res.body.keys).toEqual([viewer.token]);
  });

  test.each<[string, (target: TestUser) => Call]>([
    ["another user's key", (t) => ({ method: "GET", path: `/key/info?key=${t.key}` })],
    ["another user", (t) => ({ method: "GET", path: `/user/info?user_id=${t.user_id}` })],
    ["the user list", () => ({ method: "GET", path: "/user/list" })],
    ["several keys with /v2/key/info", (t) => ({ method: "POST", path: "/v2/key/info", body: { keys: [t.key] } })],
  ])("may not read %s (403)", async (_what, make) => {
    const res = await call(h(), make(target), viewer.key);

    expectError(res, { status: 403, type: "auth_error" });
  });

  test("is refused every write with 403 and changes nothing", async () => {
    await expectEveryWriteRefused(h(), target, viewer);
  });

  test("may not change its own user or its own key (403)", async () => {
    const user = await h().post("/user/update", { user_id: viewer.user_id, user_alias: "me" }, viewer.key);
    const key = await h().post("/key/update", { key: viewer.key, key_alias: "mine" }, viewer.key);

    expectError(user, { status: 403, type: "auth_error" });
    expectError(key, { status: 403, type: "auth_error" });
    expect((await h().store.getUser(viewer.user_id))?.user_alias).toBeNull();
  });
});

describeStores("keys restricted by allowed_routes", (h) => {
  test.each([
    ["key_type: llm_api", { key_type: "llm_api" }],
    ["allowed_routes: [/chat/completions]", { allowed_routes: ["/chat/completions"] }],
  ])("a key with %s is 403 on /key/info, even for itself", async (_name, restriction) => {
    const user = await createUser(h());
    const restricted = await createKey(h(), { user_id: user.user_id, ...restriction });

    const res = await h().get("/key/info", restricted.key);

    expectError(res, { status: 403, type: "auth_error", message: "/key/info" });
  });

  test("a key with key_type: read_only may read but not write", async () => {
    const user = await createUser(h());
    const readOnly = await createKey(h(), { user_id: user.user_id, key_type: "read_only" });

    const info = await h().get("/key/info", readOnly.key);
    const generate = await h().post("/key/generate", {}, readOnly.key);

    expect(info.status).toBe(200);
    expectError(generate, { status: 403, type: "auth_error", message: "/key/generate" });
  });
});

describeStores(
  "without a master key",
  (h) => {
    test.each(MANAGEMENT_CALLS.map((c) => [label(c), c] as const))("%s is 403: no master key is configured", async (_name, c) => {
      const withoutKey = await call(h(), c, null);
      const withSomeKey = await call(h(), c, "sk-anything-at-all");

      for (const res of [withoutKey, withSomeKey]) {
        expectError(res, { status: 403, type: "auth_error", message: "no master key is configured" });
      }
    });

    test("nothing is created by a refused /user/new", async () => {
      const res = await h().post("/user/new", { user_id: "created-without-master" }, null);

      expect(res.status).toBe(403);
      expect(await h().store.getUser("created-without-master")).toBeNull();
    });

    test("/health/liveliness still answers", async () => {
      const res = await h().get("/health/liveliness", null);

      expect(res.status).toBe(200);
      expect(res.body).toBe("I'm alive!");
    });
  },
  { masterKey: null },
);
