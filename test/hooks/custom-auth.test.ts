/**
 * general_settings.custom_auth (API.md §3.1, the seed page's "Custom Auth"): the
 * operator's function replaces the key check on every route. It accepts a caller by
 * returning who it is and refuses by throwing (401 with its message); a hang is a
 * clear 500. With custom_auth_run_common_checks, the returned models and limits apply.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { Config } from "../../src/config/index.ts";
import { loadOperatorHooks } from "../../src/hooks/index.ts";
import { describeStores } from "../support/harness.ts";
import { expectError } from "../support/management.ts";
import { type MockOpenAI, startMockOpenAI } from "../support/mock-openai.ts";
import { chat, deployment } from "../support/proxy.ts";

const EXAMPLES = join(import.meta.dir, "..", "..", "examples", "hooks");
const FIXTURES = join(import.meta.dir, "..", "fixtures", "hooks");

let mock: MockOpenAI;
beforeAll(() => {
  mock = startMockOpenAI();
});
afterAll(() => mock.close());

const setup = async (spec: string, dir: string, commonChecks = false) => {
  const general = { custom_auth: spec, custom_auth_run_common_checks: commonChecks };
  const config = { model_list: [deployment("gpt-4o-mini", mock), deployment("gpt-4o", mock)], general_settings: general } as Config;
  return { config, masterKey: null, hooks: await loadOperatorHooks(config, dir, { TOLLGATE_HOOK_TIMEOUT_MS: "300" }) };
};

describeStores(
  "custom_auth: the seed page's single accepted key",
  (h) => {
    test("the accepted key calls models and manages keys; any other key is 401 with the hook's message", async () => {
      expect((await chat(h(), "sk-my-master-key", "gpt-4o")).status).toBe(200);
      expect((await h().post("/key/generate", {}, "sk-my-master-key")).status).toBe(200);

      const refused = await chat(h(), "sk-some-other-key", "gpt-4o");
      expectError(refused, { status: 401, type: "auth_error" });
      expect(refused.body.error.message).toBe("Authentication Error, key not accepted by custom_auth (path /v1/chat/completions)");
      expectError(await h().post("/key/generate", {}, null), { status: 401, type: "auth_error" });
    });
  },
  () => setup("custom_auth.user_api_key_auth", EXAMPLES),
);

describeStores(
  "custom_auth with custom_auth_run_common_checks",
  (h) => {
    test("the models and limits the hook returns are enforced like a virtual key's", async () => {
      expect((await chat(h(), "sk-partner-acme", "gpt-4o-mini")).status).toBe(200);
      const denied = await chat(h(), "sk-partner-acme", "gpt-4o");
      expectError(denied, { status: 401, type: "key_model_access_denied" });
      expect((await h().get("/v1/models", "sk-partner-acme")).body.data.map((m: { id: string }) => m.id)).toEqual(["gpt-4o-mini"]);
    });
  },
  () => setup("custom_auth.limited_auth", EXAMPLES, true),
);

describeStores(
  "custom_auth that hangs",
  (h) => {
    test("is cut off with a clear 500 and the server keeps serving", async () => {
      const res = await chat(h(), "sk-any", "gpt-4o");
      expectError(res, { status: 500, type: "internal_server_error" });
      expect(res.body.error.message).toBe("custom_auth did not answer within 300 ms");
      expect((await h().get("/health/liveliness", null)).status).toBe(200);
    });
  },
  () => setup("misbehaving.hangs", FIXTURES),
);
