/**
 * general_settings.custom_key_generate (API.md §1.1, the seed page's "Custom
 * /key/generate"): the operator's function sees the request before anything is
 * stored; a refusal is 403 with its message; a hook that throws or hangs is a clear
 * 500 and the server keeps serving. Missing files and functions stop start-up.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { ConfigError, type Config } from "../../src/config/index.ts";
import { loadOperatorHooks } from "../../src/hooks/index.ts";
import { describeStores } from "../support/harness.ts";
import { expectError } from "../support/management.ts";

const EXAMPLES = join(import.meta.dir, "..", "..", "examples", "hooks");
const FIXTURES = join(import.meta.dir, "..", "fixtures", "hooks");

const hooksFor = (spec: string, dir: string) => loadOperatorHooks({ model_list: [], general_settings: { custom_key_generate: spec } } as Config, dir, { TOLLGATE_HOOK_TIMEOUT_MS: "300" });

describeStores(
  "custom_key_generate: the seed page's team rule",
  (h) => {
    test("keys for team litellm-core-infra@gmail.com are made; others are refused with the hook's message and nothing is stored", async () => {
      await h().post("/team/new", { team_id: "litellm-core-infra@gmail.com" });
      expect((await h().post("/key/generate", { team_id: "litellm-core-infra@gmail.com" })).status).toBe(200);

      const before = (await h().store.listKeys({}, { offset: 0, limit: 1 }, { by: "created_at", order: "desc" })).total;
      const refused = await h().post("/key/generate", { key_alias: "should-not-exist" });
      expectError(refused, { status: 403, type: "auth_error" });
      expect(refused.body.error.message).toBe("This violates LiteLLM Proxy Rules. No team id provided.");
      expect((await h().store.listKeys({}, { offset: 0, limit: 1 }, { by: "created_at", order: "desc" })).total).toBe(before);
    });
  },
  async () => ({ hooks: await hooksFor("custom_key_generate.custom_generate_key_fn", EXAMPLES) }),
);

describeStores(
  "custom_key_generate that throws",
  (h) => {
    test("is a 500 naming the hook's error, and the server keeps serving", async () => {
      const res = await h().post("/key/generate", {});
      expectError(res, { status: 500, type: "internal_server_error" });
      expect(res.body.error.message).toBe("custom_key_generate failed: the hook's database is down");
      expect((await h().get("/health/liveliness", null)).status).toBe(200);
    });
  },
  async () => ({ hooks: await hooksFor("misbehaving.throws", FIXTURES) }),
);

describeStores(
  "custom_key_generate that hangs",
  (h) => {
    test("is cut off by the hook timeout with a clear 500, and the server keeps serving", async () => {
      const started = Date.now();
      const res = await h().post("/key/generate", {});
      expectError(res, { status: 500, type: "internal_server_error" });
      expect(res.body.error.message).toBe("custom_key_generate did not answer within 300 ms");
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((await h().get("/key/list")).status).toBe(200);
    });
  },
  async () => ({ hooks: await hooksFor("misbehaving.hangs", FIXTURES) }),
);

test("a missing hook file or function stops start-up naming it", async () => {
  await expect(hooksFor("no_such_file.fn", FIXTURES)).rejects.toThrow(ConfigError);
  await expect(hooksFor("no_such_file.fn", FIXTURES)).rejects.toThrow(/no_such_file\.ts/);
  await expect(hooksFor("misbehaving.not_there", FIXTURES)).rejects.toThrow(/exports no function named "not_there"/);
  await expect(hooksFor("nodot", FIXTURES)).rejects.toThrow(/<file>\.<function>/);
});
