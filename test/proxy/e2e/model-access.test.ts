/**
 * Which models a key may call, and what it is shown, end to end (API.md §2.6, §3.4 and
 * Part 1 "Model not allowed" / "Key aliases"): the seed page's examples (key models,
 * access groups for keys and teams, team models, the my-free-tier alias), the special
 * entries (all-proxy-models, all-team-models, `*`, wildcards), the three alias tables,
 * unknown models, the listings (/v1/models, /model/info, /model_group/info, /health)
 * and the Azure- and engines-style paths that carry the model in the URL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Config } from "../../../src/config/index.ts";
import { type ApiResponse, describeStores, type Harness, MASTER_KEY } from "../../support/harness.ts";
import { createKey, createUser, expectError, insertTeam, type TeamSeed, uniqueId } from "../../support/management.ts";
import { type MockOpenAI, startMockOpenAI } from "../../support/mock-openai.ts";
import { chat, deployment, expectOk, receivedSince, UPSTREAM_KEY } from "../../support/proxy.ts";
import { RecordingSpend } from "../../support/spend.ts";

/** `main` serves most groups; the free tier's two deployments each have their own upstream. */
let main: MockOpenAI;
let free1: MockOpenAI;
let free2: MockOpenAI;
/** A port nothing listens on, for a deployment that cannot answer. */
let closedPort: number;
const spend = new RecordingSpend();

beforeAll(async () => {
  [main, free1, free2] = [startMockOpenAI(), startMockOpenAI(), startMockOpenAI()];
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  closedPort = probe.port!;
  await probe.stop(true);
});
afterAll(async () => {
  await Promise.all([main.close(), free1.close(), free2.close()]);
});

/** The seed page's model_list, served by the mocks. */
const catalogConfig = (): Partial<Config> => ({
  model_list: [
    deployment("gpt-3.5-turbo", main),
    deployment("gpt-4", main, { accessGroups: ["beta-models"] }),
    deployment("gpt-4o", main),
    deployment("fireworks-llama-v3-70b-instruct", main, { model: "openai/llama-v3-70b-instruct", accessGroups: ["beta-models"] }),
    deployment("azure-gpt-3.5", main, { model: "openai/gpt-35-turbo" }),
    deployment("my-free-tier", free1, { model: "openai/zephyr-7b-beta", id: "free-1" }),
    deployment("my-free-tier", free2, { model: "openai/zephyr-7b-beta", id: "free-2" }),
    deployment("my-paid-tier", main, { model: "openai/gpt-4" }),
  ],
  litellm_settings: { model_alias_map: { "gpt-35": "gpt-3.5-turbo" } },
  router_settings: { model_group_alias: { "gpt-4-latest": "gpt-4", "secret-alias": { model: "gpt-4o", hidden: true } } },
});

const ALL_GROUPS = ["gpt-3.5-turbo", "gpt-4", "gpt-4o", "fireworks-llama-v3-70b-instruct", "azure-gpt-3.5", "my-free-tier", "my-paid-tier"];

const newKey = async (h: Harness, body: Record<string, unknown> = {}) => (await createKey(h, body)).key;

/** A team seeded with `seed`, and a key of that team generated with `keyBody`. */
async function teamKey(h: Harness, seed: TeamSeed, keyBody: Record<string, unknown> = {}, alias: string | null = null) {
  const teamId = uniqueId("team");
  await insertTeam(h, teamId, alias, seed);
  return { teamId, key: await newKey(h, { team_id: teamId, ...keyBody }) };
}

const modelIds = (res: ApiResponse): string[] => {
  expect(res.status).toBe(200);
  return res.body.data.map((m: { id: string }) => m.id);
};

/** Status of a chat call per model, for compact allow/deny tables. */
async function statuses(h: Harness, key: string, models: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const model of models) out[model] = (await chat(h, key, model)).status;
  return out;
}

describeStores(
  "model access: the seed page's examples",
  (h) => {
    test("key models [gpt-3.5-turbo, gpt-4]: gpt-4 answers, gpt-4o is 401 key_model_access_denied", async () => {
      const key = await newKey(h(), { models: ["gpt-3.5-turbo", "gpt-4"] });

      const allowed = await chat(h(), key, "gpt-4");
      const denied = await chat(h(), key, "gpt-4o");

      expectOk(allowed);
      expectError(denied, {
        status: 401,
        type: "key_model_access_denied",
        param: "model",
        message: /^key not allowed to access model\. This key can only access models=\['gpt-3\.5-turbo', 'gpt-4'\]\. Tried to access gpt-4o$/,
      });
    });

    test("a denied call never reaches the upstream", async () => {
      const key = await newKey(h(), { models: ["gpt-4"] });
      const before = main.requests.length;

      await chat(h(), key, "gpt-4o");

      expect(receivedSince(main, before)).toEqual([]);
    });

    test("key access group beta-models: its members answer, gpt-4o does not", async () => {
      const key = await newKey(h(), { models: ["beta-models"] });

      expect(await statuses(h(), key, ["gpt-4", "fireworks-llama-v3-70b-instruct", "gpt-4o", "gpt-3.5-turbo"])).toEqual({
        "gpt-4": 200,
        "fireworks-llama-v3-70b-instruct": 200,
        "gpt-4o": 401,
        "gpt-3.5-turbo": 401,
      });
      expectError(await chat(h(), key, "gpt-4o"), { status: 401, type: "key_model_access_denied", message: "models=['beta-models']" });
    });

    test("team access group beta-models, key without models: members answer, gpt-4o is team_model_access_denied", async () => {
      const { key } = await teamKey(h(), { models: ["beta-models"] });

      expect(await statuses(h(), key, ["gpt-4", "fireworks-llama-v3-70b-instruct", "gpt-4o"])).toEqual({ "gpt-4": 200, "fireworks-llama-v3-70b-instruct": 200, "gpt-4o": 401 });
      expectError(await chat(h(), key, "gpt-4o"), { status: 401, type: "team_model_access_denied", param: "model" });
    });

    test("team litellm-dev with models [azure-gpt-3.5]: other models are refused naming the team and its models", async () => {
      const { teamId, key } = await teamKey(h(), { models: ["azure-gpt-3.5"] }, {}, "litellm-dev");

      const allowed = await chat(h(), key, "azure-gpt-3.5");
      const other = await chat(h(), key, "gpt-4");
      const bedrock = await chat(h(), key, "BEDROCK_GROUP");

      expectOk(allowed);
      expectError(other, {
        status: 401,
        type: "team_model_access_denied",
        param: "model",
        message: `Team not allowed to access model. Team=${teamId} (litellm-dev), Model=gpt-4. Allowed team models = ['azure-gpt-3.5']`,
      });
      // The seed page's example: a model the team may not use is refused as such, even one no group serves.
      expectError(bedrock, { status: 401, type: "team_model_access_denied", message: `Team=${teamId} (litellm-dev), Model=BEDROCK_GROUP.` });
    });

    test("the my-free-tier alias: gpt-3.5-turbo is served by a my-free-tier deployment", async () => {
      const key = await newKey(h(), { models: ["my-free-tier"], aliases: { "gpt-3.5-turbo": "my-free-tier" }, duration: "30m" });
      const before = { main: main.requests.length, free1: free1.requests.length, free2: free2.requests.length };

      const res = await chat(h(), key, "gpt-3.5-turbo");

      expectOk(res);
      expect(res.headers.get("x-litellm-model-group")).toBe("my-free-tier");
      expect(["free-1", "free-2"]).toContain(res.headers.get("x-litellm-model-id")!);
      const freeSeen = [...receivedSince(free1, before.free1), ...receivedSince(free2, before.free2)];
      expect(receivedSince(main, before.main)).toEqual([]);
      expect(freeSeen.map((r) => [r.path, r.body.model])).toEqual([["/v1/chat/completions", "zephyr-7b-beta"]]);
      const used = res.headers.get("x-litellm-model-id") === "free-1" ? free1 : free2;
      expect(spend.byCallId(res.headers.get("x-litellm-call-id"))).toMatchObject({ model_group: "my-free-tier", model_id: res.headers.get("x-litellm-model-id"), api_base: `${used.url}/v1` });
    });

    test("the my-free-tier key: my-free-tier itself answers; gpt-4 and my-paid-tier are refused", async () => {
      const key = await newKey(h(), { models: ["my-free-tier"], aliases: { "gpt-3.5-turbo": "my-free-tier" } });

      expect(await statuses(h(), key, ["my-free-tier", "gpt-4", "my-paid-tier"])).toEqual({ "my-free-tier": 200, "gpt-4": 401, "my-paid-tier": 401 });
    });

    test("requests to my-free-tier are spread over both of its deployments", async () => {
      const key = await newKey(h(), { models: ["my-free-tier"] });
      const ids = new Set<string>();

      for (let i = 0; i < 40 && ids.size < 2; i++) ids.add((await chat(h(), key, "my-free-tier")).headers.get("x-litellm-model-id")!);

      expect([...ids].sort()).toEqual(["free-1", "free-2"]);
    });
  },
  () => ({ config: catalogConfig(), spend }),
);

describeStores(
  "model access: key and team lists together, and the special entries",
  (h) => {
    test("key ∩ team: only models both lists allow answer, each refusal names the list that refused", async () => {
      const { key } = await teamKey(h(), { models: ["gpt-4", "azure-gpt-3.5"] }, { models: ["gpt-4", "gpt-4o"] });

      expect(await statuses(h(), key, ["gpt-4", "gpt-4o", "azure-gpt-3.5", "gpt-3.5-turbo"])).toEqual({ "gpt-4": 200, "gpt-4o": 401, "azure-gpt-3.5": 401, "gpt-3.5-turbo": 401 });
      expect((await chat(h(), key, "gpt-4o")).body.error.type).toBe("team_model_access_denied");
      expect((await chat(h(), key, "azure-gpt-3.5")).body.error.type).toBe("key_model_access_denied");
    });

    test("disjoint key and team lists allow nothing", async () => {
      const { key } = await teamKey(h(), { models: ["gpt-4"] }, { models: ["gpt-4o"] });

      expect(await statuses(h(), key, ["gpt-4", "gpt-4o"])).toEqual({ "gpt-4": 401, "gpt-4o": 401 });
      expect(modelIds(await h().get("/v1/models", key))).toEqual([]);
    });

    test("all-proxy-models on a key allows every group", async () => {
      const key = await newKey(h(), { models: ["all-proxy-models"] });

      const result = await statuses(h(), key, ALL_GROUPS);

      expect(Object.values(result)).toEqual(ALL_GROUPS.map(() => 200));
    });

    test("all-proxy-models on a team key is still limited by the team", async () => {
      const { key } = await teamKey(h(), { models: ["gpt-4"] }, { models: ["all-proxy-models"] });

      expect(await statuses(h(), key, ["gpt-4", "gpt-4o"])).toEqual({ "gpt-4": 200, "gpt-4o": 401 });
    });

    test("all-team-models on a key defers to the team's list", async () => {
      const { key } = await teamKey(h(), { models: ["gpt-4", "beta-models"] }, { models: ["all-team-models"] });

      expect(await statuses(h(), key, ["gpt-4", "fireworks-llama-v3-70b-instruct", "gpt-4o"])).toEqual({ "gpt-4": 200, "fireworks-llama-v3-70b-instruct": 200, "gpt-4o": 401 });
      expect(modelIds(await h().get("/v1/models", key))).toEqual(["gpt-4", "fireworks-llama-v3-70b-instruct", "gpt-4-latest"]);
    });

    test("* on a key allows every group", async () => {
      const key = await newKey(h(), { models: ["*"] });

      expect(Object.values(await statuses(h(), key, ALL_GROUPS))).toEqual(ALL_GROUPS.map(() => 200));
    });

    test("openai/* on a key allows names whose provider is openai, including bare gpt-* names", async () => {
      const key = await newKey(h(), { models: ["openai/*"] });

      expect(await statuses(h(), key, ["gpt-4o", "gpt-3.5-turbo", "azure-gpt-3.5", "my-free-tier"])).toEqual({
        "gpt-4o": 200,
        "gpt-3.5-turbo": 200,
        "azure-gpt-3.5": 401,
        "my-free-tier": 401,
      });
    });

    test("a team key without models and a team without models may call everything", async () => {
      const { key } = await teamKey(h(), {});

      expect(Object.values(await statuses(h(), key, ALL_GROUPS))).toEqual(ALL_GROUPS.map(() => 200));
    });
  },
  () => ({ config: catalogConfig() }),
);

describeStores(
  "model access: aliases",
  (h) => {
    test("team model_aliases: the alias is callable and routed to its target, the target itself is not", async () => {
      const { key } = await teamKey(h(), { models: ["gpt-4o"], model_aliases: { cheap: "gpt-3.5-turbo" } });
      const before = main.requests.length;

      const viaAlias = await chat(h(), key, "cheap");
      const direct = await chat(h(), key, "gpt-3.5-turbo");

      expectOk(viaAlias);
      expect(viaAlias.headers.get("x-litellm-model-group")).toBe("gpt-3.5-turbo");
      expect(receivedSince(main, before).map((r) => r.body.model)).toEqual(["gpt-3.5-turbo"]);
      expectError(direct, { status: 401, type: "team_model_access_denied" });
    });

    test("litellm_settings.model_alias_map: gpt-35 is served by gpt-3.5-turbo, for a key listing either name", async () => {
      const byTarget = await newKey(h(), { models: ["gpt-3.5-turbo"] });
      const byAlias = await newKey(h(), { models: ["gpt-35"] });

      const res = await chat(h(), MASTER_KEY, "gpt-35");

      expectOk(res);
      expect(res.headers.get("x-litellm-model-group")).toBe("gpt-3.5-turbo");
      expectOk(await chat(h(), byTarget, "gpt-35"));
      expectOk(await chat(h(), byAlias, "gpt-35"));
    });

    test("router_settings.model_group_alias: gpt-4-latest is served by gpt-4, for a key allowed gpt-4", async () => {
      const key = await newKey(h(), { models: ["gpt-4"] });
      const before = main.requests.length;

      const res = await chat(h(), key, "gpt-4-latest");

      expectOk(res);
      expect(res.headers.get("x-litellm-model-group")).toBe("gpt-4");
      expect(receivedSince(main, before).map((r) => r.body.model)).toEqual(["gpt-4"]);
    });

    test("a hidden model_group_alias is callable but not listed", async () => {
      expectOk(await chat(h(), MASTER_KEY, "secret-alias"));
      expect(modelIds(await h().get("/v1/models"))).not.toContain("secret-alias");
    });

    test("a key's own alias chain grants access through any of its names: listing the requested name suffices", async () => {
      const key = await newKey(h(), { models: ["gpt-3.5-turbo"], aliases: { "gpt-3.5-turbo": "gpt-4" } });

      // The chain is [gpt-3.5-turbo, gpt-4]: LiteLLM checks the name sent, Part 1 the target; tollgate accepts either.
      const res = await chat(h(), key, "gpt-3.5-turbo");

      expectOk(res);
      expect(res.headers.get("x-litellm-model-group")).toBe("gpt-4");
    });
  },
  () => ({ config: catalogConfig() }),
);

describeStores(
  "model access: unknown models and model-in-path routes",
  (h) => {
    test("an unknown model is 400 pointing at /v1/models", async () => {
      const res = await chat(h(), MASTER_KEY, "no-such-model");

      expectError(res, { status: 400, type: "bad_request_error", message: "/chat/completions: Invalid model name passed in model=no-such-model. Call `/v1/models` to view available models for your key." });
    });

    test("an unknown model for a key without restrictions is 400 too, and reaches no upstream", async () => {
      const key = await newKey(h());
      const before = main.requests.length;

      expectError(await chat(h(), key, "no-such-model"), { status: 400, type: "bad_request_error", message: "Invalid model name passed in model=no-such-model" });
      expect(receivedSince(main, before)).toEqual([]);
    });

    test("a missing model is 400 naming the param", async () => {
      expectError(await chat(h(), MASTER_KEY, undefined), { status: 400, type: "bad_request_error", param: "model" });
    });

    test("/openai/deployments/{model}/chat/completions takes the model from the path", async () => {
      const key = await newKey(h(), { models: ["gpt-4"] });
      const before = main.requests.length;

      const res = await h().request("POST", "/openai/deployments/gpt-4/chat/completions?api-version=2024-06-01", { body: { messages: [{ role: "user", content: "hi" }] }, headers: { "api-key": key } });

      expectOk(res);
      expect(res.headers.get("x-litellm-model-group")).toBe("gpt-4");
      expect(receivedSince(main, before).map((r) => [r.path, r.body.model])).toEqual([["/v1/chat/completions", "gpt-4"]]);
    });

    test("the path's model wins over the body's, for access too", async () => {
      const key = await newKey(h(), { models: ["gpt-3.5-turbo"] });

      const res = await chat(h(), key, "gpt-3.5-turbo", { path: "/openai/deployments/gpt-4/chat/completions" });

      expectError(res, { status: 401, type: "key_model_access_denied", message: "Tried to access gpt-4" });
    });

    test("/engines/{model}/chat/completions takes the model from the path", async () => {
      const before = main.requests.length;

      const res = await h().request("POST", "/engines/gpt-4o/chat/completions", { key: MASTER_KEY, body: { messages: [{ role: "user", content: "hi" }] } });

      expectOk(res);
      expect(res.headers.get("x-litellm-model-group")).toBe("gpt-4o");
      expect(receivedSince(main, before).map((r) => r.body.model)).toEqual(["gpt-4o"]);
    });

    test("an unknown model in the path is 400", async () => {
      const res = await h().request("POST", "/engines/no-such-model/chat/completions", { key: MASTER_KEY, body: { messages: [{ role: "user", content: "hi" }] } });

      expectError(res, { status: 400, type: "bad_request_error", message: "Invalid model name passed in model=no-such-model" });
    });
  },
  () => ({ config: catalogConfig() }),
);

describeStores(
  "model listings: each key sees exactly what it may call",
  (h) => {
    test("/v1/models for several keys", async () => {
      const { key: teamOnly } = await teamKey(h(), { models: ["azure-gpt-3.5", "gpt-4o"] });
      const keys: [string, string][] = [
        ["master", MASTER_KEY],
        ["unrestricted", await newKey(h())],
        ["two models", await newKey(h(), { models: ["gpt-3.5-turbo", "gpt-4"] })],
        ["access group", await newKey(h(), { models: ["beta-models"] })],
        ["free tier", await newKey(h(), { models: ["my-free-tier"], aliases: { "gpt-3.5-turbo": "my-free-tier" } })],
        ["team", teamOnly],
      ];

      const listed: Record<string, string[]> = {};
      for (const [name, key] of keys) listed[name] = modelIds(await h().get("/v1/models", key));

      expect(listed).toEqual({
        master: [...ALL_GROUPS, "gpt-4-latest"],
        unrestricted: [...ALL_GROUPS, "gpt-4-latest"],
        "two models": ["gpt-3.5-turbo", "gpt-4", "gpt-4-latest"],
        "access group": ["gpt-4", "fireworks-llama-v3-70b-instruct", "gpt-4-latest"],
        // gpt-3.5-turbo is a group this key may call (its alias sends it to my-free-tier), so it is listed.
        "free tier": ["gpt-3.5-turbo", "my-free-tier"],
        team: ["gpt-4o", "azure-gpt-3.5"],
      });
    });

    test("every listed model answers and every other group is refused", async () => {
      const key = await newKey(h(), { models: ["beta-models", "gpt-3.5-turbo"] });

      const listed = modelIds(await h().get("/v1/models", key));
      const result = await statuses(h(), key, ALL_GROUPS);

      for (const group of ALL_GROUPS) expect({ group, status: result[group] }).toEqual({ group, status: listed.includes(group) ? 200 : 401 });
    });

    test("/v1/models entries have LiteLLM's shape, and /models answers the same", async () => {
      const key = await newKey(h(), { models: ["gpt-4o"] });

      const v1 = await h().get("/v1/models", key);
      const bare = await h().get("/models", key);

      expect(v1.body).toEqual({ object: "list", data: [{ id: "gpt-4o", object: "model", created: 1677610602, owned_by: "openai" }] });
      expect(bare.body).toEqual(v1.body);
    });

    test("/v1/models/{id}: 200 for a model the key may call, 404 otherwise", async () => {
      const key = await newKey(h(), { models: ["gpt-4"] });

      const found = await h().get("/v1/models/gpt-4", key);
      const forbidden = await h().get("/v1/models/gpt-4o", key);
      const unknown = await h().get("/v1/models/no-such-model", key);

      expect(found.status).toBe(200);
      expect(found.body).toEqual({ id: "gpt-4", object: "model", created: 1677610602, owned_by: "openai" });
      expectError(forbidden, { status: 404, type: "not_found_error" });
      expectError(unknown, { status: 404, type: "not_found_error" });
    });

    test("/model/info lists only the key's deployments, without provider secrets", async () => {
      const key = await newKey(h(), { models: ["my-free-tier", "gpt-4"] });

      const res = await h().get("/model/info", key);

      expect(res.status).toBe(200);
      expect(res.body.data.map((d: { model_name: string }) => d.model_name)).toEqual(["gpt-4", "my-free-tier", "my-free-tier"]);
      for (const d of res.body.data) {
        expect(Object.keys(d.litellm_params)).not.toContain("api_key");
        expect(d.model_info.id).toBeTruthy();
      }
      expect(JSON.stringify(res.body)).not.toContain(UPSTREAM_KEY);
    });

    test("/model/info for the master key lists every deployment, still without secrets", async () => {
      const res = await h().get("/model/info");
      const v1 = await h().get("/v1/model/info");

      expect(res.body.data.length).toBe(8);
      expect(v1.body).toEqual(res.body);
      expect(JSON.stringify(res.body)).not.toContain(UPSTREAM_KEY);
      expect(JSON.stringify(res.body)).not.toContain("api_key");
    });

    test("/model/info and /model_group/info show the price calls are charged at: the built-in map's, or the deployment's own", async () => {
      const info = (await h().get("/model/info")).body.data as { model_name: string; model_info: Record<string, unknown> }[];
      const gpt4 = info.find((d) => d.model_name === "gpt-4")!.model_info;
      expect(gpt4).toMatchObject({ key: "gpt-4", input_cost_per_token: 3e-5, output_cost_per_token: 6e-5, max_input_tokens: 8192, max_output_tokens: 4096, litellm_provider: "openai" });
      // A model the map does not know has no price, said as null rather than left out.
      const unpriced = info.find((d) => d.model_name === "my-free-tier")!.model_info;
      expect(unpriced).toMatchObject({ key: null, input_cost_per_token: null, output_cost_per_token: null });

      const groups = (await h().get("/model_group/info?model_group=gpt-4")).body.data;
      expect(groups).toEqual([expect.objectContaining({ model_group: "gpt-4", input_cost_per_token: 3e-5, output_cost_per_token: 6e-5, max_input_tokens: 8192 })]);
    });

    test("/model_group/info is filtered like /v1/models and carries no secrets", async () => {
      const key = await newKey(h(), { models: ["beta-models"] });

      const mine = await h().get("/model_group/info", key);
      const all = await h().get("/model_group/info");
      const one = await h().get("/model_group/info?model_group=my-free-tier");

      expect(mine.body.data.map((g: { model_group: string }) => g.model_group)).toEqual(["gpt-4", "fireworks-llama-v3-70b-instruct", "gpt-4-latest"]);
      expect(mine.body.data[0].access_groups).toEqual(["beta-models"]);
      // A model_group_alias is described by its target's deployments.
      expect(mine.body.data[2]).toMatchObject({ model_group: "gpt-4-latest", deployments: 1, providers: ["openai"] });
      expect(all.body.data.map((g: { model_group: string }) => g.model_group)).toEqual(expect.arrayContaining(ALL_GROUPS));
      expect(one.body.data).toEqual([expect.objectContaining({ model_group: "my-free-tier", deployments: 2, providers: ["openai"] })]);
      for (const res of [mine, all, one]) expect(JSON.stringify(res.body)).not.toContain(UPSTREAM_KEY);
    });

    test("a key with no models left sees empty listings", async () => {
      const { key } = await teamKey(h(), { models: ["gpt-4"] }, { models: ["gpt-4o"] });

      expect(modelIds(await h().get("/v1/models", key))).toEqual([]);
      expect((await h().get("/model/info", key)).body.data).toEqual([]);
      expect((await h().get("/model_group/info", key)).body.data).toEqual([]);
    });
  },
  () => ({ config: catalogConfig() }),
);

describeStores(
  "model access: a wildcard deployment (model_name openai/*)",
  (h) => {
    test("openai/gpt-4o-mini is passed through: the upstream is asked for gpt-4o-mini", async () => {
      const before = main.requests.length;

      const res = await chat(h(), MASTER_KEY, "openai/gpt-4o-mini");

      expectOk(res);
      expect(res.headers.get("x-litellm-model-group")).toBe("openai/*");
      expect(receivedSince(main, before).map((r) => r.body.model)).toEqual(["gpt-4o-mini"]);
    });

    test("a bare gpt-* name is served by openai/* through provider inference", async () => {
      const before = main.requests.length;

      expectOk(await chat(h(), MASTER_KEY, "gpt-4.1-nano"));
      expect(receivedSince(main, before).map((r) => r.body.model)).toEqual(["gpt-4.1-nano"]);
    });

    test("an exact group wins over the wildcard", async () => {
      const res = await chat(h(), MASTER_KEY, "gpt-4o");

      expect(res.headers.get("x-litellm-model-group")).toBe("gpt-4o");
    });

    test("a name the wildcard does not match is 400", async () => {
      expectError(await chat(h(), MASTER_KEY, "claude-3-5-sonnet"), { status: 400, type: "bad_request_error", message: "Invalid model name passed in model=claude-3-5-sonnet" });
    });

    test("a key listing one concrete model may call it through the wildcard, and sees just that name", async () => {
      const key = await newKey(h(), { models: ["gpt-4o-mini"] });

      expectOk(await chat(h(), key, "gpt-4o-mini"));
      expectError(await chat(h(), key, "gpt-4.1"), { status: 401, type: "key_model_access_denied" });
      expect(modelIds(await h().get("/v1/models", key))).toEqual(["gpt-4o-mini"]);
    });

    test("/v1/models lists the wildcard as written for an unrestricted key", async () => {
      expect(modelIds(await h().get("/v1/models"))).toEqual(["openai/*", "gpt-4o"]);
    });

    test("/health skips wildcard groups (there is no concrete model to probe)", async () => {
      const res = await h().get("/health");

      expect(res.body.healthy_endpoints.map((e: { model_name: string }) => e.model_name)).toEqual(["gpt-4o"]);
    });
  },
  () => ({ config: { model_list: [deployment("openai/*", main, { model: "openai/*" }), deployment("gpt-4o", main)] } }),
);

describe("/health", () => {
  describeStores(
    "health of each deployment",
    (h) => {
      test("reports the deployments that answer and the one that cannot, never the provider key", async () => {
        const res = await h().get("/health");

        expect(res.status).toBe(200);
        expect(res.body.healthy_count).toBe(2);
        expect(res.body.unhealthy_count).toBe(1);
        expect(res.body.healthy_endpoints.map((e: { model_name: string }) => e.model_name).sort()).toEqual(["gpt-4o", "text-embedding-3-small"]);
        const [broken] = res.body.unhealthy_endpoints;
        expect(broken).toMatchObject({ model_name: "broken", api_base: `http://127.0.0.1:${closedPort}/v1` });
        expect(typeof broken.error).toBe("string");
        expect(JSON.stringify(res.body)).not.toContain(UPSTREAM_KEY);
        expect(JSON.stringify(res.body)).not.toContain("api_key");
      });

      test("the embedding deployment is probed with an embeddings request", async () => {
        const before = main.requests.length;

        await h().get("/health?model=text-embedding-3-small");

        expect(receivedSince(main, before).map((r) => r.path)).toEqual(["/v1/embeddings"]);
      });

      test("?model= limits the probe to one group", async () => {
        const res = await h().get("/health?model=broken");

        expect({ healthy: res.body.healthy_count, unhealthy: res.body.unhealthy_count }).toEqual({ healthy: 0, unhealthy: 1 });
      });

      test("a key sees the health of its own models only", async () => {
        const key = await newKey(h(), { models: ["gpt-4o"] });

        const res = await h().get("/health", key);

        expect(res.body.healthy_endpoints.map((e: { model_name: string }) => e.model_name)).toEqual(["gpt-4o"]);
        expect(res.body.unhealthy_endpoints).toEqual([]);
      });

      test("/health needs a key", async () => {
        expectError(await h().get("/health", null), { status: 401, type: "auth_error" });
      });
    },
    () => ({
      config: {
        model_list: [
          deployment("gpt-4o", main),
          deployment("broken", null, { model: "openai/gpt-4o", apiBase: `http://127.0.0.1:${closedPort}/v1` }),
          deployment("text-embedding-3-small", main, { mode: "embedding" }),
        ],
      },
    }),
  );
});

describeStores(
  "model access: the owner's models bind personal keys",
  (h) => {
    test("a user's models limit its personal keys, not its team keys; no-default-models allows nothing personal", async () => {
      const user = await createUser(h(), { models: ["gpt-4"], auto_create_key: false });
      const personal = await newKey(h(), { user_id: user.user_id });
      expect(await statuses(h(), personal, ["gpt-4", "gpt-4o"])).toEqual({ "gpt-4": 200, "gpt-4o": 401 });
      const denied = await chat(h(), personal, "gpt-4o");
      expectError(denied, { status: 401, type: "user_model_access_denied" });
      expect(denied.body.error.message).toBe(`User not allowed to access model. User=${user.user_id}, Model=gpt-4o. Allowed user models = ['gpt-4']`);
      expect(modelIds(await h().get("/v1/models", personal))).toEqual(["gpt-4", "gpt-4-latest"]);

      const { key: teamOwned } = await teamKey(h(), {}, { user_id: user.user_id });
      expect((await chat(h(), teamOwned, "gpt-4o")).status).toBe(200);

      const locked = await createUser(h(), { models: ["no-default-models"], auto_create_key: false });
      const lockedKey = await newKey(h(), { user_id: locked.user_id });
      expect((await chat(h(), lockedKey, "gpt-4")).status).toBe(401);
    });

    test("changing the user's models applies to its cached keys at once", async () => {
      const user = await createUser(h(), { models: ["gpt-4"], auto_create_key: false });
      const key = await newKey(h(), { user_id: user.user_id });
      expect((await chat(h(), key, "gpt-4o")).status).toBe(401);
      await h().post("/user/update", { user_id: user.user_id, models: [] });
      expect((await chat(h(), key, "gpt-4o")).status).toBe(200);
    });
  },
  () => ({ config: catalogConfig() }),
);
