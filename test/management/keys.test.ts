import { expect, test } from "bun:test";
import { hashKey } from "../../src/auth/key-format.ts";
import { describeStores, MASTER_KEY } from "../support/harness.ts";

const KEY_FORMAT = /^sk-[A-Za-z0-9_-]{22}$/;

describeStores("POST /key/generate", (h) => {
  test("returns a new sk- key once, stores only its sha256 hash, and echoes every field", async () => {
    const fields = {
      models: ["gpt-3.5-turbo", "gpt-4"],
      aliases: { "mistral-7b": "gpt-3.5-turbo" },
      key_alias: "echo-all",
      max_budget: 12.5,
      spend: 1.25,
      max_parallel_requests: 3,
      tpm_limit: 1000,
      rpm_limit: 20,
      model_max_budget: { "gpt-4": { budget_limit: 1, time_period: "30d" } },
      model_rpm_limit: { "gpt-4": 5 },
      model_tpm_limit: { "gpt-4": 500 },
      permissions: { get_spend_routes: true },
      tags: ["prod", "team-a"],
      allowed_routes: ["/key/info"],
      config: { x: 1 },
      blocked: false,
      user_id: "someone",
      guardrails: ["pii"],
      router_settings: { num_retries: 2 },
    };
    const res = await h().post("/key/generate", { ...fields, metadata: { user: "ishaan@berri.ai" } });
    expect(res.status).toBe(200);
    const key = res.body.key as string;
    expect(key).toMatch(KEY_FORMAT);
    expect(res.body.token).toBe(hashKey(key));
    expect(res.body.token_id).toBe(hashKey(key));
    expect(res.body.key_name).toBe(`sk-...${key.slice(-4)}`);
    expect(res.body).toMatchObject({ ...fields, expires: null, created_by: "default_user_id" });
    // LiteLLM keeps these inside metadata too.
    expect(res.body.metadata).toEqual({ user: "ishaan@berri.ai", tags: ["prod", "team-a"], model_rpm_limit: { "gpt-4": 5 }, model_tpm_limit: { "gpt-4": 500 }, guardrails: ["pii"] });

    const row = await h().store.getKey(hashKey(key));
    expect(row?.key_alias).toBe("echo-all");
    expect(await h().store.getKey(key)).toBeNull();

    const info = await h().get(`/key/info?key=${key}`);
    expect(info.status).toBe(200);
    expect(info.body.info.token).toBeUndefined();
    expect(info.body.info).toMatchObject({ key_alias: "echo-all", max_budget: 12.5, tags: ["prod", "team-a"], router_settings: { num_retries: 2 } });
  });

  test("with no body fields creates an unrestricted key that never expires", async () => {
    const res = await h().post("/key/generate", {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ models: [], spend: 0, max_budget: null, expires: null, user_id: null, team_id: null });
  });

  test("duration sets an exact expiry; budget_duration sets an aligned reset", async () => {
    const before = Date.now();
    const res = await h().post("/key/generate", { duration: "30min", budget_duration: "1d" });
    expect(res.status).toBe(200);
    const expires = Date.parse(res.body.expires);
    expect(expires - before).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(30 * 60_000 + 5000);
    const reset = new Date(res.body.budget_reset_at);
    expect(reset.getTime()).toBeGreaterThan(before);
    expect(reset.toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(res.body.budget_duration).toBe("1d");
  });

  test("soft_budget creates a linked budget row", async () => {
    const res = await h().post("/key/generate", { soft_budget: 4 });
    expect(res.status).toBe(200);
    expect(res.body.soft_budget).toBe(4);
    expect(res.body.budget_id).toBeString();
    expect(res.body.litellm_budget_table).toMatchObject({ budget_id: res.body.budget_id, soft_budget: 4 });
    expect((await h().store.getBudget(res.body.budget_id))?.soft_budget).toBe(4);
  });

  test("key_type sets allowed_routes", async () => {
    const res = await h().post("/key/generate", { key_type: "llm_api" });
    expect(res.body.key_type).toBe("llm_api");
    expect(res.body.allowed_routes).toEqual(["llm_api_routes"]);
  });

  test("a custom key must start with sk- and be unique", async () => {
    const bad = await h().post("/key/generate", { key: "my-key" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: "bad_request_error", param: "key", code: "400" });

    const custom = `sk-custom-${crypto.randomUUID()}`;
    const ok = await h().post("/key/generate", { key: custom });
    expect(ok.status).toBe(200);
    expect(ok.body.key).toBe(custom);
    expect(ok.body.token).toBe(hashKey(custom));

    const again = await h().post("/key/generate", { key: custom });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toContain("already exists");
  });

  test("key_alias is unique across keys, and a clash stores nothing", async () => {
    const first = await h().post("/key/generate", { key_alias: "unique-alias" });
    expect(first.status).toBe(200);
    const before = await h().store.listKeys({}, { offset: 0, limit: 1000 }, { by: "created_at", order: "desc" });
    const clash = await h().post("/key/generate", { key_alias: "unique-alias", max_budget: 3 });
    expect(clash.status).toBe(400);
    expect(clash.body.error.message).toBe("Key with alias 'unique-alias' already exists. Unique key aliases across all keys are required.");
    const after = await h().store.listKeys({}, { offset: 0, limit: 1000 }, { by: "created_at", order: "desc" });
    expect(after.total).toBe(before.total);
  });

  test("bad values get a clear 4xx naming the field and store nothing", async () => {
    const { total } = await h().store.listKeys({}, { offset: 0, limit: 1 }, { by: "created_at", order: "desc" });
    const cases: [unknown, number, string | null][] = [
      [{ max_budget: -1 }, 400, "max_budget"],
      [{ soft_budget: -0.01 }, 400, "soft_budget"],
      [{ max_budget: "ten" }, 422, "max_budget"],
      [{ models: "gpt-4" }, 422, "models"],
      [{ rpm_limit: 1.5 }, 422, "rpm_limit"],
      [{ tpm_limit: -5 }, 422, "tpm_limit"],
      [{ duration: "30 days" }, 400, "duration"],
      [{ duration: "999999999d" }, 400, "duration"],
      [{ budget_duration: "0d" }, 400, "budget_duration"],
      [{ key_type: "superuser" }, 422, "key_type"],
      [{ key_alias: "x".repeat(1_000) }, 422, "key_alias"],
      [{ key_alias: "line\nbreak" }, 422, "key_alias"],
      [{ budget_id: "no-such-budget" }, 400, "budget_id"],
      [{ team_id: "no-such-team" }, 400, "team_id"],
      [{ metadata: "not-an-object" }, 422, "metadata"],
    ];
    for (const [body, status, param] of cases) {
      const res = await h().post("/key/generate", body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.error).toMatchObject({ param, code: String(status) });
      expect(res.body.error.message).toBeString();
    }
    const after = await h().store.listKeys({}, { offset: 0, limit: 1 }, { by: "created_at", order: "desc" });
    expect(after.total).toBe(total);
  });

  test("a 422 says which rule the value broke: the wrong type, or the right type out of bounds", async () => {
    const wrongType = await h().post("/key/generate", { max_budget: "ten" });
    expect(wrongType.body.error.message).toBe("Invalid body field 'max_budget': expected number or null, got string");
    const tooLong = await h().post("/key/generate", { key_alias: "x".repeat(1_000) });
    expect(tooLong.body.error.message).toBe("Invalid body field 'key_alias': Expected string length less or equal to 255");
  });

  test("malformed JSON and oversized bodies are refused and the server keeps serving", async () => {
    const malformed = await h().request("POST", "/key/generate", { key: MASTER_KEY, rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ type: "bad_request_error", code: "400" });

    const huge = await h().post("/key/generate", { metadata: { note: "a".repeat(1_000_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("413");

    const alive = await h().get("/health/liveliness", null);
    expect(alive.body).toBe("I'm alive!");
  });

  test("SQL in key_alias and metadata is stored as plain text and runs nothing", async () => {
    const alias = "x'); DROP TABLE keys; --";
    const metadata = { note: "'; DELETE FROM users; --", nested: { "a'b": "\"quoted\"" } };
    const res = await h().post("/key/generate", { key_alias: alias, metadata });
    expect(res.status).toBe(200);
    const info = await h().get(`/key/info?key=${res.body.key}`);
    expect(info.body.info.key_alias).toBe(alias);
    expect(info.body.info.metadata).toEqual(metadata);
    const list = await h().get(`/key/list?key_alias=${encodeURIComponent(alias)}`);
    expect(list.body.keys).toEqual([res.body.token]);
  });
});

describeStores("POST /key/update", (h) => {
  test("changes only the fields sent; null clears; metadata replacement keeps reserved fields", async () => {
    const created = await h().post("/key/generate", { models: ["a"], max_budget: 5, tags: ["t1"], metadata: { team: "x" }, duration: "1h", key_alias: "upd" });
    const res = await h().post("/key/update", { key: created.body.key, max_budget: null, rpm_limit: 7, metadata: { owner: "y" }, duration: "-1" });
    expect(res.status).toBe(200);
    expect(res.body.key).toBe(created.body.key);
    expect(res.body).toMatchObject({ models: ["a"], max_budget: null, rpm_limit: 7, key_alias: "upd", expires: null, tags: ["t1"] });
    expect(res.body.metadata).toEqual({ owner: "y", tags: ["t1"] });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.body.updated_at));
  });

  test("accepts the hash instead of the plaintext key", async () => {
    const created = await h().post("/key/generate", {});
    const res = await h().post("/key/update", { key: created.body.token, key_alias: "by-hash" });
    expect(res.status).toBe(200);
    expect((await h().store.getKey(created.body.token))?.key_alias).toBe("by-hash");
  });

  test("an unknown key is 404 and an alias clash is 400", async () => {
    const missing = await h().post("/key/update", { key: "sk-does-not-exist", max_budget: 1 });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ type: "not_found_error", code: "404" });

    await h().post("/key/generate", { key_alias: "taken-alias" });
    const other = await h().post("/key/generate", {});
    const clash = await h().post("/key/update", { key: other.body.key, key_alias: "taken-alias" });
    expect(clash.status).toBe(400);
    expect((await h().store.getKey(other.body.token))?.key_alias).toBeNull();
  });

  test("temp_budget_increase needs temp_budget_expiry", async () => {
    const created = await h().post("/key/generate", {});
    const res = await h().post("/key/update", { key: created.body.key, temp_budget_increase: 10 });
    expect(res.status).toBe(400);
    const ok = await h().post("/key/update", { key: created.body.key, temp_budget_increase: 10, temp_budget_expiry: "2030-01-01T00:00:00Z" });
    expect(ok.status).toBe(200);
    expect(ok.body.metadata).toMatchObject({ temp_budget_increase: 10, temp_budget_expiry: "2030-01-01T00:00:00Z" });
  });
});

describeStores("POST /key/delete", (h) => {
  test("deletes by key and by alias; deleted keys stop working and are archived", async () => {
    const a = await h().post("/key/generate", {});
    const b = await h().post("/key/generate", { key_alias: "delete-me" });
    const byKey = await h().post("/key/delete", { keys: [a.body.key] });
    expect(byKey.status).toBe(200);
    expect(byKey.body).toEqual({ deleted_keys: [a.body.key] });
    const byAlias = await h().post("/key/delete", { key_aliases: ["delete-me"] });
    expect(byAlias.body).toEqual({ deleted_keys: ["delete-me"] });

    const denied = await h().get("/key/info", a.body.key);
    expect(denied.status).toBe(401);
    expect(denied.body.error.type).toBe("token_not_found_in_db");

    const archived = await h().get("/key/list?status=deleted&return_full_object=true&size=100");
    const tokens = archived.body.keys.map((k: { token: string }) => k.token);
    expect(tokens).toContain(a.body.token);
    expect(tokens).toContain(b.body.token);
  });

  test("nothing found is 404; a partly unknown list is 400 and deletes nothing", async () => {
    const none = await h().post("/key/delete", { keys: ["sk-nope-1"] });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe("No keys found");

    const real = await h().post("/key/generate", {});
    const partial = await h().post("/key/delete", { keys: [real.body.key, "sk-nope-2"] });
    expect(partial.status).toBe(400);
    expect(await h().store.getKey(real.body.token)).not.toBeNull();

    const empty = await h().post("/key/delete", {});
    expect(empty.status).toBe(400);
  });
});

describeStores("GET /key/info, POST /v2/key/info", (h) => {
  test("without ?key a key reads itself; an unknown key is 404 not_found_error", async () => {
    const created = await h().post("/key/generate", { key_alias: "self" });
    const self = await h().get("/key/info", created.body.key);
    expect(self.status).toBe(200);
    expect(self.body.key).toBe(created.body.token);
    expect(self.body.info.key_alias).toBe("self");

    const missing = await h().get("/key/info?key=sk-unknown-key");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ message: "Key not found in database", type: "not_found_error", param: "key", code: "404" });
  });

  test("v2 returns several keys", async () => {
    const a = await h().post("/key/generate", { key_alias: "v2-a" });
    const b = await h().post("/key/generate", { key_alias: "v2-b" });
    const res = await h().post("/v2/key/info", { keys: [a.body.key, b.body.token] });
    expect(res.status).toBe(200);
    expect(res.body.key).toEqual([a.body.key, b.body.token]);
    expect(res.body.info.map((i: { key_alias: string }) => i.key_alias).sort()).toEqual(["v2-a", "v2-b"]);
  });
});

describeStores("GET /key/list and /key/aliases", (h) => {
  test("paginates, filters and sorts", async () => {
    for (let i = 0; i < 5; i++) await h().post("/key/generate", { user_id: "lister", key_alias: `list-${i}`, max_budget: i });
    const page1 = await h().get("/key/list?user_id=lister&size=2&page=1&sort_by=max_budget&sort_order=asc");
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total_count: 5, current_page: 1, total_pages: 3 });
    expect(page1.body.keys).toHaveLength(2);
    expect(page1.body.keys[0]).toMatch(/^[0-9a-f]{64}$/);

    const full = await h().get("/key/list?user_id=lister&size=10&sort_by=max_budget&sort_order=desc&return_full_object=true");
    expect(full.body.keys.map((k: { key_alias: string }) => k.key_alias)).toEqual(["list-4", "list-3", "list-2", "list-1", "list-0"]);

    const byAlias = await h().get("/key/list?key_alias=list-3");
    expect(byAlias.body.total_count).toBe(1);
    const byHash = await h().get(`/key/list?key_hash=${page1.body.keys[0]}`);
    expect(byHash.body.keys).toEqual([page1.body.keys[0]]);

    const tooBig = await h().get("/key/list?size=1000");
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.error.param).toBe("size");
  });

  test("aliases are searchable and paginated", async () => {
    await h().post("/key/generate", { key_alias: "Search-Alpha" });
    await h().post("/key/generate", { key_alias: "search-beta" });
    await h().post("/key/generate", { key_alias: "other" });
    const res = await h().get("/key/aliases?search=SEARCH&size=1");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total_count: 2, current_page: 1, total_pages: 2, size: 1 });
    expect(res.body.aliases).toEqual(["Search-Alpha"]);
  });
});

describeStores("POST /key/regenerate", (h) => {
  test("issues a new key, keeps spend and limits, and the old key dies at once", async () => {
    const created = await h().post("/key/generate", { spend: 2, max_budget: 9, key_alias: "rot" });
    expect((await h().get("/key/info", created.body.key)).status).toBe(200);
    const res = await h().post(`/key/${created.body.key}/regenerate`, { max_budget: 10 });
    expect(res.status).toBe(200);
    expect(res.body.key).toMatch(KEY_FORMAT);
    expect(res.body.key).not.toBe(created.body.key);
    expect(res.body).toMatchObject({ token_id: hashKey(res.body.key), key_name: `sk-...${res.body.key.slice(-4)}`, spend: 2, max_budget: 10, key_alias: "rot", rotation_count: 1 });

    const old = await h().get("/key/info", created.body.key);
    expect(old.status).toBe(401);
    expect(old.body.error.type).toBe("token_not_found_in_db");
    expect((await h().get("/key/info", res.body.key)).status).toBe(200);
  });

  test("grace_period keeps the old key working as the new one", async () => {
    const created = await h().post("/key/generate", { key_alias: "graceful" });
    const res = await h().post("/key/regenerate", { key: created.body.key, grace_period: "1h", new_key: "sk-graceful-new-key-123" });
    expect(res.status).toBe(200);
    expect(res.body.key).toBe("sk-graceful-new-key-123");
    const viaOld = await h().get("/key/info", created.body.key);
    expect(viaOld.status).toBe(200);
    expect(viaOld.body.info.key_alias).toBe("graceful");
  });

  test("rejects a bad new_key, an unknown key and master-key rotation", async () => {
    const created = await h().post("/key/generate", {});
    expect((await h().post("/key/regenerate", { key: created.body.key, new_key: "nope" })).status).toBe(400);
    expect((await h().post("/key/regenerate", { key: "sk-missing" })).status).toBe(404);
    expect((await h().post("/key/regenerate", { key: created.body.key, new_master_key: "sk-new-master" })).status).toBe(400);
    expect((await h().post("/key/regenerate", { key: created.body.key, grace_period: "soon" })).status).toBe(400);
  });
});

describeStores("POST /key/{key}/reset_spend", (h) => {
  test("lowers spend within bounds", async () => {
    const created = await h().post("/key/generate", { spend: 5, max_budget: 4 });
    const tooHigh = await h().post(`/key/${created.body.key}/reset_spend`, { reset_to: 6 });
    expect(tooHigh.status).toBe(400);
    const aboveBudget = await h().post(`/key/${created.body.key}/reset_spend`, { reset_to: 4.5 });
    expect(aboveBudget.status).toBe(400);
    const ok = await h().post(`/key/${created.body.token}/reset_spend`, { reset_to: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ key_hash: created.body.token, spend: 1, previous_spend: 5, max_budget: 4 });
    expect((await h().store.getKey(created.body.token))?.spend).toBe(1);
  });
});

describeStores("POST /key/block and /key/unblock", (h) => {
  test("a blocked key is refused at once, even when cached, until unblocked", async () => {
    const created = await h().post("/key/generate", {});
    expect((await h().get("/key/info", created.body.key)).status).toBe(200); // now cached

    const blocked = await h().post("/key/block", { key: created.body.key });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ blocked: true, token: created.body.token });

    const refused = await h().get("/key/info", created.body.key);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe("Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.");

    const unblocked = await h().post("/key/unblock", { key: created.body.token });
    expect(unblocked.body.blocked).toBe(false);
    expect((await h().get("/key/info", created.body.key)).status).toBe(200);
  });

  test("an invalid key format is 400 and an unknown key 404", async () => {
    expect((await h().post("/key/block", { key: "not a key" })).body.error.message).toBe("Invalid key format.");
    expect((await h().post("/key/block", { key: "sk-unknown" })).status).toBe(404);
  });
});

describeStores("key expiry", (h) => {
  test("an expired key gets 401 expired_key", async () => {
    const created = await h().post("/key/generate", { duration: "1s" });
    await Bun.sleep(1_100);
    const res = await h().get("/key/info", created.body.key);
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe("expired_key");
    expect(res.body.error.message).toStartWith("Authentication Error - Expired Key. Key Expiry time");
  });
});
