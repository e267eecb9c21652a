import { describe, expect, test } from "bun:test";
import {
  buildModelCatalog,
  checkModelAccess,
  inferProvider,
  listAllowedModels,
  pyList,
  resolveModel,
  type KeyModelScope,
  type ModelCatalog,
  type TeamModelScope,
} from "../../src/auth/model-access.ts";
import { loadText } from "../config/temp-config.ts";

const catalogOf = (yaml: string, env: Record<string, string> = {}): ModelCatalog => buildModelCatalog(loadText(yaml, env).config);

const key = (models: string[], aliases: Record<string, string> = {}): KeyModelScope => ({ models, aliases });
const team = (models: string[], extra: Partial<TeamModelScope> = {}): TeamModelScope => ({
  team_id: "my-unique-id",
  team_alias: "litellm-dev",
  models,
  model_aliases: {},
  ...extra,
});

/** The outcome as a user sees it: the routed group, or the error's status and type. */
function outcome(result: ReturnType<typeof checkModelAccess>): string {
  return result.ok ? `ok ${result.group}` : `${result.error.status} ${result.error.type}`;
}

interface Case {
  name: string;
  key?: KeyModelScope | null;
  team?: TeamModelScope | null;
  model: string;
  expected: string;
}

function runCases(catalog: ModelCatalog, cases: Case[]) {
  for (const c of cases) {
    test(c.name, () => {
      const result = checkModelAccess(c.model, { key: c.key ?? null, team: c.team ?? null, catalog });
      expect(outcome(result)).toBe(c.expected);
    });
  }
}

// The seed page's configs, plus the models its examples call.
const SEED = catalogOf(
  `
model_list:
  - model_name: gpt-3.5-turbo
    litellm_params:
      model: openai/gpt-3.5-turbo
  - model_name: gpt-4
    litellm_params:
      model: openai/fake
      api_key: fake-key
      api_base: https://exampleopenaiendpoint-production.up.railway.app/
    model_info:
      access_groups: ["beta-models"] # 👈 Model Access Group
  - model_name: fireworks-llama-v3-70b-instruct
    litellm_params:
      model: fireworks_ai/accounts/fireworks/models/llama-v3-70b-instruct
      api_key: "os.environ/FIREWORKS"
    model_info:
      access_groups: ["beta-models"] # 👈 Model Access Group
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
  - model_name: azure-gpt-3.5
    litellm_params:
      model: azure/chatgpt-v-2
  - model_name: BEDROCK_GROUP
    litellm_params:
      model: bedrock/anthropic.claude-3-sonnet
  - model_name: my-free-tier
    litellm_params:
      model: huggingface/HuggingFaceH4/zephyr-7b-beta
      api_base: http://0.0.0.0:8001
  - model_name: my-free-tier
    litellm_params:
      model: huggingface/HuggingFaceH4/zephyr-7b-beta
      api_base: http://0.0.0.0:8002
  - model_name: my-free-tier
    litellm_params:
      model: huggingface/HuggingFaceH4/zephyr-7b-beta
      api_base: http://0.0.0.0:8003
  - model_name: my-paid-tier
    litellm_params:
      model: gpt-4
      api_key: my-api-key
  - model_name: claude-3-5-sonnet
    litellm_params:
      model: anthropic/claude-3-5-sonnet
    model_info:
      access_groups: []
`,
  { FIREWORKS: "fw-key" },
);

const WILD = catalogOf(`
model_list:
  - model_name: "*"
    litellm_params: {model: "*"}
  - model_name: "openai/*"
    litellm_params: {model: "openai/*"}
  - model_name: "openai/gpt-4*"
    litellm_params: {model: "openai/gpt-4*"}
  - model_name: "bedrock/us.*"
    litellm_params: {model: "bedrock/us.*"}
  - model_name: claude-3-haiku
    litellm_params: {model: anthropic/claude-3-haiku}
`);

const OPENAI_ONLY = catalogOf(`
model_list:
  - model_name: "openai/*"
    litellm_params: {model: "openai/*"}
  - model_name: claude-3-haiku
    litellm_params: {model: anthropic/claude-3-haiku}
`);

const ALIASED = catalogOf(`
model_list:
  - model_name: gpt-4o
    litellm_params: {model: openai/gpt-4o}
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini}
  - model_name: claude-3-5-sonnet
    litellm_params: {model: anthropic/claude-3-5-sonnet}
litellm_settings:
  model_alias_map: {"gpt-4-legacy": "gpt-4o"}
router_settings:
  model_group_alias:
    smart: gpt-4o
    secret-fast: {model: gpt-4o-mini, hidden: true}
    shown-fast: {model: gpt-4o-mini, hidden: false}
    dangling: no-such-group
`);

describe("buildModelCatalog", () => {
  test("groups are distinct model names in config order; repeated deployments are one group", () => {
    expect(SEED.groups).toEqual([
      "gpt-3.5-turbo",
      "gpt-4",
      "fireworks-llama-v3-70b-instruct",
      "gpt-4o",
      "azure-gpt-3.5",
      "BEDROCK_GROUP",
      "my-free-tier",
      "my-paid-tier",
      "claude-3-5-sonnet",
    ]);
  });

  test("access groups collect their member groups; an empty access_groups list creates none", () => {
    expect([...SEED.accessGroups]).toEqual([["beta-models", ["gpt-4", "fireworks-llama-v3-70b-instruct"]]]);
  });

  test("wildcard groups are ordered most specific first", () => {
    expect(WILD.wildcardGroups.map((w) => w.name)).toEqual(["openai/gpt-4*", "bedrock/us.*", "openai/*", "*"]);
  });

  test("model_alias_map and model_group_alias (string or {model, hidden}) are read", () => {
    expect([...ALIASED.aliasMap]).toEqual([["gpt-4-legacy", "gpt-4o"]]);
    expect([...ALIASED.groupAliases]).toEqual([
      ["smart", { target: "gpt-4o", hidden: false }],
      ["secret-fast", { target: "gpt-4o-mini", hidden: true }],
      ["shown-fast", { target: "gpt-4o-mini", hidden: false }],
      ["dangling", { target: "no-such-group", hidden: false }],
    ]);
  });

  test("an empty config has no models", () => {
    const empty = catalogOf("");
    expect(empty.groups).toEqual([]);
    expect(resolveModel("gpt-4o", { keyAliases: {}, teamAliases: {}, catalog: empty }).group).toBeNull();
  });
});

describe("inferProvider", () => {
  const cases: Array<[string, string | null]> = [
    ["gpt-4o", "openai"],
    ["gpt-3.5-turbo-instruct", "openai"],
    ["chatgpt-4o-latest", "openai"],
    ["o1", "openai"],
    ["o3-mini", "openai"],
    ["o4-mini", "openai"],
    ["text-embedding-3-small", "openai"],
    ["davinci-002", "openai"],
    ["babbage-002", "openai"],
    ["dall-e-3", "openai"],
    ["whisper-1", "openai"],
    ["tts-1-hd", "openai"],
    ["claude-3-5-sonnet-20241022", "anthropic"],
    ["mistral-large-latest", "mistral"],
    ["mixtral-8x7b", "mistral"],
    ["codestral-latest", "mistral"],
    ["command-r-plus", "cohere"],
    ["gemini-1.5-pro", "gemini"],
    ["llama-3-70b", null],
    ["my-free-tier", null],
    ["o1x", null],
    ["openai/gpt-4o", null],
  ];
  for (const [name, provider] of cases) test(`${name} → ${provider}`, () => expect(inferProvider(name)).toBe(provider));
});

describe("resolveModel", () => {
  const none = { keyAliases: {}, teamAliases: {} };
  const cases: Array<[string, ModelCatalog, string, string | null, string[]]> = [
    ["an exact group", SEED, "gpt-4", "gpt-4", ["gpt-4"]],
    ["an unknown name", SEED, "gpt-5", null, ["gpt-5"]],
    ["a bare name served by a provider wildcard", OPENAI_ONLY, "gpt-4o", "openai/*", ["gpt-4o"]],
    ["a prefixed name served by a provider wildcard", OPENAI_ONLY, "openai/gpt-4o", "openai/*", ["openai/gpt-4o"]],
    ["a name no wildcard covers", OPENAI_ONLY, "mistral-large", null, ["mistral-large"]],
    ["the most specific wildcard wins", WILD, "gpt-4o", "openai/gpt-4*", ["gpt-4o"]],
    ["a provider wildcard beats *", WILD, "gpt-3.5-turbo", "openai/*", ["gpt-3.5-turbo"]],
    ["* catches the rest", WILD, "mistral-large", "*", ["mistral-large"]],
    ["the dot in bedrock/us.* is literal", WILD, "bedrock/us.anthropic.claude", "bedrock/us.*", ["bedrock/us.anthropic.claude"]],
    ["bedrock/usX… falls to *", WILD, "bedrock/usXanthropic", "*", ["bedrock/usXanthropic"]],
    ["an exact group beats wildcards", WILD, "claude-3-haiku", "claude-3-haiku", ["claude-3-haiku"]],
    ["model_alias_map", ALIASED, "gpt-4-legacy", "gpt-4o", ["gpt-4-legacy", "gpt-4o"]],
    ["a visible model_group_alias", ALIASED, "smart", "gpt-4o", ["smart", "gpt-4o"]],
    ["a hidden model_group_alias is callable", ALIASED, "secret-fast", "gpt-4o-mini", ["secret-fast", "gpt-4o-mini"]],
    ["an alias to a missing group is unknown", ALIASED, "dangling", null, ["dangling", "no-such-group"]],
  ];
  for (const [name, catalog, requested, group, candidates] of cases) {
    test(name, () => expect(resolveModel(requested, { ...none, catalog })).toEqual({ group, candidates }));
  }

  test("the seed page's key alias: gpt-3.5-turbo resolves to my-free-tier", () => {
    const r = resolveModel("gpt-3.5-turbo", { keyAliases: { "gpt-3.5-turbo": "my-free-tier" }, teamAliases: {}, catalog: SEED });
    expect(r).toEqual({ group: "my-free-tier", candidates: ["gpt-3.5-turbo", "my-free-tier"] });
  });

  test("key aliases, then team aliases, then model_alias_map, then model_group_alias", () => {
    const r = resolveModel("mine", { keyAliases: { mine: "ours" }, teamAliases: { ours: "gpt-4-legacy" }, catalog: ALIASED });
    expect(r).toEqual({ group: "gpt-4o", candidates: ["mine", "ours", "gpt-4-legacy", "gpt-4o"] });
  });

  test("the key's alias wins over the team's for the same name", () => {
    const r = resolveModel("fast", { keyAliases: { fast: "gpt-4o-mini" }, teamAliases: { fast: "claude-3-5-sonnet" }, catalog: ALIASED });
    expect(r.group).toBe("gpt-4o-mini");
  });

  test("object-prototype names are not aliases", () => {
    expect(resolveModel("constructor", { ...none, catalog: ALIASED })).toEqual({ group: null, candidates: ["constructor"] });
  });

  test("alias cycles end after one pass", () => {
    const r = resolveModel("a", { keyAliases: { a: "b" }, teamAliases: { b: "a" }, catalog: ALIASED });
    expect(r).toEqual({ group: null, candidates: ["a", "b"] });
  });
});

describe("checkModelAccess: the seed page's examples", () => {
  test('key models ["gpt-3.5-turbo", "gpt-4"]: gpt-4 is allowed', () => {
    expect(checkModelAccess("gpt-4", { key: key(["gpt-3.5-turbo", "gpt-4"]), team: null, catalog: SEED })).toEqual({ ok: true, group: "gpt-4" });
  });

  test('key models ["gpt-3.5-turbo", "gpt-4"]: gpt-4o is refused with LiteLLM\'s message', () => {
    const result = checkModelAccess("gpt-4o", { key: key(["gpt-3.5-turbo", "gpt-4"]), team: null, catalog: SEED });
    if (result.ok) throw new Error("expected a denial");
    expect(result.error.status).toBe(401);
    expect(result.error.toBody()).toEqual({
      error: {
        message: "key not allowed to access model. This key can only access models=['gpt-3.5-turbo', 'gpt-4']. Tried to access gpt-4o",
        type: "key_model_access_denied",
        param: "model",
        code: "401",
      },
    });
  });

  test('team models ["azure-gpt-3.5"], key without models: BEDROCK_GROUP is refused by the team', () => {
    const result = checkModelAccess("BEDROCK_GROUP", { key: key([]), team: team(["azure-gpt-3.5"]), catalog: SEED });
    if (result.ok) throw new Error("expected a denial");
    expect(result.error.toBody()).toEqual({
      error: {
        message: "Team not allowed to access model. Team=my-unique-id (litellm-dev), Model=BEDROCK_GROUP. Allowed team models = ['azure-gpt-3.5']",
        type: "team_model_access_denied",
        param: "model",
        code: "401",
      },
    });
  });

  test("a team without an alias is named by its id alone", () => {
    const result = checkModelAccess("gpt-4", { key: null, team: team(["azure-gpt-3.5"], { team_alias: null }), catalog: SEED });
    expect(result.ok ? "" : result.error.message).toBe(
      "Team not allowed to access model. Team=my-unique-id, Model=gpt-4. Allowed team models = ['azure-gpt-3.5']",
    );
  });

  test('the my-free-tier alias: key models ["my-free-tier"] may call gpt-3.5-turbo, routed to my-free-tier', () => {
    const k = key(["my-free-tier"], { "gpt-3.5-turbo": "my-free-tier" });
    expect(checkModelAccess("gpt-3.5-turbo", { key: k, team: null, catalog: SEED })).toEqual({ ok: true, group: "my-free-tier" });
    expect(outcome(checkModelAccess("my-paid-tier", { key: k, team: null, catalog: SEED }))).toBe("401 key_model_access_denied");
  });
});

describe("checkModelAccess: access groups", () => {
  runCases(SEED, [
    { name: "key beta-models → gpt-4", key: key(["beta-models"]), model: "gpt-4", expected: "ok gpt-4" },
    {
      name: "key beta-models → fireworks-llama-v3-70b-instruct",
      key: key(["beta-models"]),
      model: "fireworks-llama-v3-70b-instruct",
      expected: "ok fireworks-llama-v3-70b-instruct",
    },
    { name: "key beta-models → gpt-4o refused", key: key(["beta-models"]), model: "gpt-4o", expected: "401 key_model_access_denied" },
    { name: "team beta-models → gpt-4", key: key([]), team: team(["beta-models"]), model: "gpt-4", expected: "ok gpt-4" },
    { name: "team beta-models → gpt-4o refused", key: key([]), team: team(["beta-models"]), model: "gpt-4o", expected: "401 team_model_access_denied" },
    { name: "an access group name is not itself a model", key: key(["beta-models"]), model: "beta-models", expected: "401 key_model_access_denied" },
  ]);

  const withEmpty: ModelCatalog = { ...WILD, accessGroups: new Map([["empty-group", []]]) };
  runCases(withEmpty, [
    { name: "an empty access group grants nothing (even with a * deployment)", key: key(["empty-group"]), model: "gpt-4o", expected: "401 key_model_access_denied" },
    { name: "nor its own name", key: key(["empty-group"]), model: "empty-group", expected: "401 key_model_access_denied" },
    { name: "the team's empty access group grants nothing", team: team(["empty-group"]), model: "claude-3-haiku", expected: "401 team_model_access_denied" },
  ]);
});

describe("checkModelAccess: special names and intersection", () => {
  runCases(SEED, [
    { name: "master key (no key, no team) may call anything served", model: "gpt-4o", expected: "ok gpt-4o" },
    { name: "key [] → everything", key: key([]), model: "BEDROCK_GROUP", expected: "ok BEDROCK_GROUP" },
    { name: "key all-proxy-models → everything", key: key(["all-proxy-models"]), model: "gpt-4o", expected: "ok gpt-4o" },
    { name: "key * → everything", key: key(["*"]), model: "my-paid-tier", expected: "ok my-paid-tier" },
    { name: "key all-team-models → the team's list applies (allowed)", key: key(["all-team-models"]), team: team(["gpt-4"]), model: "gpt-4", expected: "ok gpt-4" },
    {
      name: "key all-team-models → the team's list applies (refused)",
      key: key(["all-team-models"]),
      team: team(["gpt-4"]),
      model: "gpt-4o",
      expected: "401 team_model_access_denied",
    },
    { name: "key all-team-models without a team → no restriction", key: key(["all-team-models"]), model: "gpt-4o", expected: "ok gpt-4o" },
    { name: "team all-proxy-models → everything", key: key([]), team: team(["all-proxy-models"]), model: "gpt-4o", expected: "ok gpt-4o" },
    { name: "key [] + team [a] ⇒ a", key: key([]), team: team(["gpt-4"]), model: "gpt-4", expected: "ok gpt-4" },
    { name: "key [] + team [a] ⇒ not b", key: key([]), team: team(["gpt-4"]), model: "gpt-4o", expected: "401 team_model_access_denied" },
    { name: "key [b] + team [a] ⇒ not a (key refuses)", key: key(["gpt-4o"]), team: team(["gpt-4"]), model: "gpt-4", expected: "401 key_model_access_denied" },
    { name: "key [b] + team [a] ⇒ not b (team refuses)", key: key(["gpt-4o"]), team: team(["gpt-4"]), model: "gpt-4o", expected: "401 team_model_access_denied" },
    { name: "key [a, b] + team [a] ⇒ a", key: key(["gpt-4", "gpt-4o"]), team: team(["gpt-4"]), model: "gpt-4", expected: "ok gpt-4" },
    { name: "key [a] + team [] ⇒ a", key: key(["gpt-4"]), team: team([]), model: "gpt-4", expected: "ok gpt-4" },
  ]);
});

describe("checkModelAccess: wildcards", () => {
  runCases(OPENAI_ONLY, [
    { name: "openai/* allows a bare openai model", key: key(["openai/*"]), model: "gpt-4o", expected: "ok openai/*" },
    { name: "openai/* allows a prefixed openai model", key: key(["openai/*"]), model: "openai/gpt-4o", expected: "ok openai/*" },
    { name: "openai/* refuses an anthropic model", key: key(["openai/*"]), model: "claude-3-haiku", expected: "401 key_model_access_denied" },
    { name: "openai/gpt-4* allows gpt-4o-mini", key: key(["openai/gpt-4*"]), model: "gpt-4o-mini", expected: "ok openai/*" },
    { name: "openai/gpt-4* refuses gpt-3.5-turbo", key: key(["openai/gpt-4*"]), model: "gpt-3.5-turbo", expected: "401 key_model_access_denied" },
    { name: "the team's openai/* applies too", key: key([]), team: team(["openai/*"]), model: "o3-mini", expected: "ok openai/*" },
    { name: "an exact entry served by a wildcard group", key: key(["gpt-4o"]), model: "gpt-4o", expected: "ok openai/*" },
  ]);
  runCases(WILD, [
    { name: "bedrock/us.* matches bedrock/us.anthropic.claude", key: key(["bedrock/us.*"]), model: "bedrock/us.anthropic.claude", expected: "ok bedrock/us.*" },
    { name: "bedrock/us.* treats the dot literally", key: key(["bedrock/us.*"]), model: "bedrock/usXclaude", expected: "401 key_model_access_denied" },
    { name: "key * with a * deployment passes anything", key: key(["*"]), model: "some-local-model", expected: "ok *" },
  ]);
});

describe("checkModelAccess: aliases", () => {
  runCases(ALIASED, [
    { name: "model_alias_map: the target is checked", key: key(["gpt-4o"]), model: "gpt-4-legacy", expected: "ok gpt-4o" },
    { name: "model_alias_map: so is the alias itself", key: key(["gpt-4-legacy"]), model: "gpt-4-legacy", expected: "ok gpt-4o" },
    { name: "model_alias_map: neither listed", key: key(["claude-3-5-sonnet"]), model: "gpt-4-legacy", expected: "401 key_model_access_denied" },
    { name: "visible model_group_alias: the target is checked", key: key(["gpt-4o"]), model: "smart", expected: "ok gpt-4o" },
    { name: "hidden model_group_alias is callable", key: key(["gpt-4o-mini"]), model: "secret-fast", expected: "ok gpt-4o-mini" },
    { name: "hidden model_group_alias is still access-checked", key: key(["gpt-4o"]), model: "secret-fast", expected: "401 key_model_access_denied" },
    {
      name: "a team model_aliases key is allowed by the team",
      team: team(["claude-3-5-sonnet"], { model_aliases: { "team-fast": "gpt-4o-mini" } }),
      model: "team-fast",
      expected: "ok gpt-4o-mini",
    },
    {
      name: "a team alias does not bypass the key's list",
      key: key(["claude-3-5-sonnet"]),
      team: team([], { model_aliases: { "team-fast": "gpt-4o-mini" } }),
      model: "team-fast",
      expected: "401 key_model_access_denied",
    },
    {
      name: "a key alias's target is what the team checks",
      key: key([], { mine: "claude-3-5-sonnet" }),
      team: team(["claude-3-5-sonnet"]),
      model: "mine",
      expected: "ok claude-3-5-sonnet",
    },
  ]);
});

describe("checkModelAccess: unknown models", () => {
  test("an allowed but unknown model is a 400 naming /v1/models, with the route as prefix", () => {
    const result = checkModelAccess("gpt-5", { key: key([]), team: null, catalog: SEED, route: "/chat/completions" });
    if (result.ok) throw new Error("expected an error");
    expect(result.error.toBody()).toEqual({
      error: {
        message: "/chat/completions: Invalid model name passed in model=gpt-5. Call `/v1/models` to view available models for your key.",
        type: "bad_request_error",
        param: "model",
        code: "400",
      },
    });
  });

  test("without a route the message has no prefix", () => {
    const result = checkModelAccess("gpt-5", { key: null, team: null, catalog: SEED });
    expect(result.ok ? "" : result.error.message).toBe(
      "Invalid model name passed in model=gpt-5. Call `/v1/models` to view available models for your key.",
    );
  });

  runCases(SEED, [
    { name: "all-proxy-models + unknown → 400", key: key(["all-proxy-models"]), model: "gpt-5", expected: "400 bad_request_error" },
    { name: "a listed but unserved name → 400", key: key(["gpt-5"]), model: "gpt-5", expected: "400 bad_request_error" },
    { name: "the key's denial comes before unknown", key: key(["gpt-4"]), model: "gpt-5", expected: "401 key_model_access_denied" },
    { name: "the team's denial comes before unknown", team: team(["gpt-4"]), model: "gpt-5", expected: "401 team_model_access_denied" },
  ]);
  runCases(ALIASED, [{ name: "an alias to a missing group → 400", model: "dangling", expected: "400 bad_request_error" }]);
});

describe("listAllowedModels", () => {
  const cases: Array<{ name: string; catalog: ModelCatalog; key?: KeyModelScope; team?: TeamModelScope; expected: string[] }> = [
    { name: "key [] + no team ⇒ all groups", catalog: SEED, key: key([]), expected: SEED.groups.slice() },
    { name: "master key ⇒ all groups", catalog: SEED, expected: SEED.groups.slice() },
    { name: "key [] + team [] ⇒ all groups", catalog: SEED, key: key([]), team: team([]), expected: SEED.groups.slice() },
    { name: "key all-proxy-models ⇒ all groups", catalog: SEED, key: key(["all-proxy-models"]), expected: SEED.groups.slice() },
    { name: "key list, in config order", catalog: SEED, key: key(["gpt-4", "gpt-3.5-turbo"]), expected: ["gpt-3.5-turbo", "gpt-4"] },
    { name: "access group expanded", catalog: SEED, key: key(["beta-models"]), expected: ["gpt-4", "fireworks-llama-v3-70b-instruct"] },
    { name: "key [] + team list ⇒ team list", catalog: SEED, key: key([]), team: team(["azure-gpt-3.5"]), expected: ["azure-gpt-3.5"] },
    { name: "all-team-models ⇒ team list", catalog: SEED, key: key(["all-team-models"]), team: team(["beta-models"]), expected: ["gpt-4", "fireworks-llama-v3-70b-instruct"] },
    { name: "intersection", catalog: SEED, key: key(["gpt-4", "gpt-4o"]), team: team(["beta-models"]), expected: ["gpt-4"] },
    { name: "disjoint lists ⇒ nothing", catalog: SEED, key: key(["gpt-4o"]), team: team(["gpt-4"]), expected: [] },
    { name: "unserved names are not listed", catalog: SEED, key: key(["gpt-4", "gpt-5"]), expected: ["gpt-4"] },
    { name: "wildcard groups listed as-is when unrestricted", catalog: WILD, key: key([]), expected: ["*", "openai/*", "openai/gpt-4*", "bedrock/us.*", "claude-3-haiku"] },
    { name: "key openai/* lists the openai wildcards it covers", catalog: WILD, key: key(["openai/*"]), expected: ["openai/*", "openai/gpt-4*"] },
    { name: "names a wildcard group serves are listed when the key names them", catalog: OPENAI_ONLY, key: key(["gpt-4o", "o3-mini"]), expected: ["gpt-4o", "o3-mini"] },
    { name: "key wildcard entries a group serves are listed as-is", catalog: OPENAI_ONLY, key: key(["openai/gpt-4*"]), expected: ["openai/gpt-4*"] },
    { name: "visible group aliases listed, hidden ones not", catalog: ALIASED, key: key([]), expected: ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "smart", "shown-fast"] },
    { name: "aliases listed only when their target is allowed", catalog: ALIASED, key: key(["gpt-4o-mini"]), expected: ["gpt-4o-mini", "shown-fast"] },
    { name: "empty access group lists nothing", catalog: { ...SEED, accessGroups: new Map([["empty-group", []]]) }, key: key(["empty-group"]), expected: [] },
  ];
  for (const c of cases) {
    test(c.name, () => expect(listAllowedModels({ key: c.key ?? null, team: c.team ?? null, catalog: c.catalog })).toEqual(c.expected));
  }

  test("the my-free-tier key lists my-free-tier (and, through its alias, gpt-3.5-turbo's group name)", () => {
    const k = key(["my-free-tier"], { "gpt-3.5-turbo": "my-free-tier" });
    expect(listAllowedModels({ key: k, team: null, catalog: SEED })).toEqual(["gpt-3.5-turbo", "my-free-tier"]);
  });

  test("includeAccessGroups appends the access groups wholly callable", () => {
    expect(listAllowedModels({ key: key(["beta-models"]), team: null, catalog: SEED, includeAccessGroups: true })).toEqual([
      "gpt-4",
      "fireworks-llama-v3-70b-instruct",
      "beta-models",
    ]);
    expect(listAllowedModels({ key: key(["gpt-4"]), team: null, catalog: SEED, includeAccessGroups: true })).toEqual(["gpt-4"]);
  });
});

describe("pyList", () => {
  const cases: Array<[string[], string]> = [
    [[], "[]"],
    [["gpt-3.5-turbo", "gpt-4"], "['gpt-3.5-turbo', 'gpt-4']"],
    [["it's"], `["it's"]`],
    [[`a"b'c`], `['a"b\\'c']`],
    [["a\\b\n"], "['a\\\\b\\n']"],
  ];
  for (const [items, expected] of cases) test(expected, () => expect(pyList(items)).toBe(expected));
});
