/** `litellm_settings`: SDK behaviour, caching, and the defaults for keys, users and budgets. */
import { Type } from "@sinclair/typebox";
import { anyMap, bool, callbackList, count, fallbackList, open, seconds, section, str, strList, strMap, usd } from "./fields.ts";

/** `cache_params`: open, since each cache backend (redis, s3, qdrant, disk…) has its own options. */
const CacheParams = open({
  /** local | redis | redis-semantic | s3 | qdrant-semantic | disk */
  type: str,
  host: str,
  port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  password: str,
  url: str,
  namespace: str,
  ttl: seconds,
  default_in_memory_ttl: seconds,
  default_in_redis_ttl: seconds,
  /** default_on | default_off */
  mode: str,
  supported_call_types: strList,
});

/** The `/key/generate` fields a config may default (`default_…`) or cap (`upperbound_…`). */
const KeyGenerateParams = open({
  max_budget: usd,
  soft_budget: usd,
  budget_duration: str,
  duration: str,
  max_parallel_requests: count,
  tpm_limit: count,
  rpm_limit: count,
  user_id: str,
  team_id: str,
  models: strList,
  metadata: anyMap,
});

const KeyGenerationRule = (roleField: "allowed_team_member_roles" | "allowed_user_roles") =>
  Type.Optional(open({ [roleField]: strList, required_params: strList }));

const KeyGenerationSettings = open({
  team_key_generation: KeyGenerationRule("allowed_team_member_roles"),
  personal_key_generation: KeyGenerationRule("allowed_user_roles"),
});

/** A team in `default_internal_user_params.teams`: an id, or an id with the user's team budget and role. */
const DefaultTeam = Type.Union([
  Type.String(),
  open({ team_id: Type.String(), max_budget_in_team: usd, user_role: str }),
]);

const DefaultInternalUserParams = open({
  user_role: str,
  max_budget: usd,
  budget_duration: str,
  models: strList,
  teams: Type.Optional(Type.Array(DefaultTeam)),
  available_teams: strList,
});

/** Per-team SDK defaults (provider keys, callbacks), selected by the request's team id. */
const DefaultTeamSettings = open({ team_id: Type.String() });

export const LitellmSettingsSchema = section({
  drop_params: bool,
  modify_params: bool,
  num_retries: count,
  /** Seconds; LiteLLM's default is 6000. */
  request_timeout: seconds,
  callbacks: callbackList,
  success_callback: callbackList,
  failure_callback: callbackList,
  service_callback: callbackList,
  callback_settings: anyMap,
  cache: bool,
  cache_params: Type.Optional(CacheParams),
  default_key_generate_params: Type.Optional(KeyGenerateParams),
  upperbound_key_generate_params: Type.Optional(KeyGenerateParams),
  key_generation_settings: Type.Optional(KeyGenerationSettings),
  default_internal_user_params: Type.Optional(DefaultInternalUserParams),
  max_internal_user_budget: usd,
  internal_user_budget_duration: str,
  default_team_settings: Type.Optional(Type.Array(DefaultTeamSettings)),
  /** Global proxy budget (USD) and its reset window, e.g. `30d`. */
  max_budget: usd,
  budget_duration: str,
  /** Older default end-user budget in USD; `max_end_user_budget_id` names a budget row instead. */
  max_end_user_budget: usd,
  max_end_user_budget_id: str,
  /** IANA zone used to align budget resets; UTC when unset. */
  timezone: str,
  model_alias_map: strMap,
  /** tollgate: a LiteLLM-format model_prices_and_context_window.json overriding the built-in prices (env LITELLM_MODEL_COST_MAP_PATH wins). */
  model_cost_map_path: str,
  fallbacks: fallbackList,
  context_window_fallbacks: fallbackList,
  content_policy_fallbacks: fallbackList,
  default_fallbacks: strList,
  store_audit_logs: bool,
  enable_key_alias_format_validation: bool,
  disable_end_user_cost_tracking: bool,
  disable_end_user_cost_tracking_prometheus_only: bool,
  public_model_groups: strList,
  turn_off_message_logging: bool,
  redact_user_api_key_info: bool,
  return_response_headers: bool,
  enable_preview_features: bool,
  ssl_verify: Type.Optional(Type.Union([Type.Boolean(), Type.String()])),
  force_ipv4: bool,
  telemetry: bool,
  set_verbose: bool,
  json_logs: bool,
  log_raw_request_response: bool,
});
