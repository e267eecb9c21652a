/**
 * Request schemas of the /key/* routes (API.md §1.1). Every field LiteLLM accepts is
 * here; `null` is accepted wherever LiteLLM's pydantic models say Optional, and means
 * "unset" (or, on update, "clear").
 */
import { type Static, t } from "elysia";
import { KEY_TYPES } from "../../auth/routes.ts";
import { Count, Id, JsonMap, LongText, Money, nullable, OneOf, StringList } from "../schema-parts.ts";

const KeyType = OneOf(KEY_TYPES, { description: "Shortcut for allowed_routes: llm_api, management, read_only or default." });
const LimitType = OneOf(["best_effort_throughput", "guaranteed_throughput", "dynamic"]);

/** Fields shared by generate, update, regenerate and /user/new. */
export const keyFields = {
  key_alias: nullable(t.String({ minLength: 1, maxLength: 255, pattern: Id.pattern, description: "Unique human-readable name." })),
  duration: nullable(t.String({ maxLength: 32, description: "Lifetime, e.g. 30s, 30m, 30h, 30d, 2w, 1mo. Unset = never expires." })),
  models: nullable(StringList({ description: "Model names, access groups or wildcards this key may call. Empty = no key-level restriction." })),
  aliases: nullable(t.Record(t.String({ maxLength: 255 }), t.String({ maxLength: 255 }), { description: "Per-key model rename map." })),
  config: nullable(JsonMap),
  spend: nullable(Money({ description: "Initial spend in USD." })),
  max_budget: nullable(Money({ description: "USD budget; requests are refused once spend reaches it." })),
  budget_duration: nullable(t.String({ maxLength: 32, description: "Budget window, e.g. 1d, 7d, 1mo; spend resets at aligned boundaries." })),
  soft_budget: nullable(Money({ description: "Alert threshold in USD (does not block)." })),
  budget_id: nullable(Id),
  max_parallel_requests: nullable(Count),
  tpm_limit: nullable(Count),
  rpm_limit: nullable(Count),
  tpm_limit_type: nullable(LimitType),
  rpm_limit_type: nullable(LimitType),
  model_max_budget: nullable(JsonMap),
  model_rpm_limit: nullable(t.Record(t.String({ maxLength: 255 }), Count)),
  model_tpm_limit: nullable(t.Record(t.String({ maxLength: 255 }), Count)),
  metadata: nullable(JsonMap),
  user_id: nullable(Id),
  team_id: nullable(Id),
  organization_id: nullable(Id),
  project_id: nullable(Id),
  agent_id: nullable(Id),
  permissions: nullable(JsonMap),
  blocked: nullable(t.Boolean()),
  tags: nullable(StringList()),
  allowed_routes: nullable(StringList()),
  key_type: nullable(KeyType),
  allowed_cache_controls: nullable(StringList()),
  guardrails: nullable(StringList()),
  policies: nullable(StringList()),
  prompts: nullable(StringList()),
  enforced_params: nullable(StringList()),
  object_permission: nullable(JsonMap),
  router_settings: nullable(JsonMap),
  access_group_ids: nullable(StringList()),
  allowed_passthrough_routes: nullable(StringList()),
  allowed_vector_store_indexes: nullable(t.Array(JsonMap, { maxItems: 1000 })),
  auto_rotate: nullable(t.Boolean()),
  rotation_interval: nullable(t.String({ maxLength: 32 })),
  send_invite_email: nullable(t.Boolean()),
};

export const GenerateKeyBody = t.Object(
  {
    ...keyFields,
    key: nullable(t.String({ minLength: 1, maxLength: 255, description: "Custom key; must start with sk-." })),
  },
  { description: "GenerateKeyRequest" },
);
export type GenerateKeyRequest = Static<typeof GenerateKeyBody>;

export const UpdateKeyBody = t.Object({
  ...keyFields,
  key: t.String({ minLength: 1, maxLength: 255, description: "The key to update: plaintext sk-… or its hash." }),
  temp_budget_increase: nullable(Money()),
  temp_budget_expiry: nullable(t.String({ maxLength: 64 })),
});
export type UpdateKeyRequest = Static<typeof UpdateKeyBody>;

export const RegenerateKeyBody = t.Object({
  ...keyFields,
  key: nullable(t.String({ minLength: 1, maxLength: 255 })),
  new_key: nullable(t.String({ minLength: 1, maxLength: 255, description: "Custom new key; must start with sk-." })),
  new_master_key: nullable(t.String({ maxLength: 255 })),
  grace_period: nullable(t.String({ maxLength: 32, description: "How long the old key keeps working, e.g. 24h." })),
});
export type RegenerateKeyRequest = Static<typeof RegenerateKeyBody>;

export const KeyRefBody = t.Object({ key: t.String({ minLength: 1, maxLength: 255 }) });

export const DeleteKeysBody = t.Object({
  keys: nullable(t.Array(t.String({ minLength: 1, maxLength: 255 }), { maxItems: 1000 })),
  key_aliases: nullable(t.Array(t.String({ minLength: 1, maxLength: 255 }), { maxItems: 1000 })),
});

export const KeysListBody = t.Object({ keys: t.Array(t.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 1000 }) });

export const ResetSpendBody = t.Object({ reset_to: Money() });

const SortBy = OneOf(["spend", "max_budget", "created_at", "updated_at", "token", "key_alias"] as const);

export const KeyListQuery = t.Object({
  page: t.Optional(t.Numeric({ description: "Page number, from 1." })),
  size: t.Optional(t.Numeric({ description: "Keys per page, 1 to 100 (default 10)." })),
  user_id: t.Optional(Id),
  team_id: t.Optional(Id),
  organization_id: t.Optional(Id),
  key_hash: t.Optional(LongText),
  key_alias: t.Optional(LongText),
  search: t.Optional(t.String({ maxLength: 255, description: "tollgate: keys whose key_alias contains this text, case-insensitively." })),
  return_full_object: t.Optional(t.BooleanString()),
  include_team_keys: t.Optional(t.BooleanString()),
  sort_by: t.Optional(SortBy),
  sort_order: t.Optional(OneOf(["asc", "desc"] as const)),
  status: t.Optional(t.Literal("deleted")),
});
export type KeyListParams = Static<typeof KeyListQuery>;

export const KeyAliasesQuery = t.Object({
  page: t.Optional(t.Numeric({ description: "Page number, from 1." })),
  size: t.Optional(t.Numeric({ description: "Aliases per page, 1 to 100 (default 50)." })),
  search: t.Optional(LongText),
});
