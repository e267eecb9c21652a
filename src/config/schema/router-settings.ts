/** `router_settings`: how a request picks a deployment, retries, falls back and cools down. */
import { Type } from "@sinclair/typebox";
import { anyMap, bool, count, fallbackList, open, seconds, section, str, strList } from "./fields.ts";

/** The strategies LiteLLM's Router accepts; it refuses any other name at start-up too. */
export const ROUTING_STRATEGIES = [
  "simple-shuffle",
  "least-busy",
  "usage-based-routing",
  "usage-based-routing-v2",
  "latency-based-routing",
  "cost-based-routing",
  "provider-budget-routing",
] as const;

export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

const RoutingStrategySchema = Type.Union(ROUTING_STRATEGIES.map((name) => Type.Literal(name)));

/** Retries per error class, e.g. `{RateLimitErrorRetries: 3, AuthenticationErrorRetries: 0}`. */
const PerErrorCount = Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 })));

/** An alias target: a model group name, or `{model, hidden}` to keep the alias out of /v1/models. */
const ModelGroupAliasTarget = Type.Union([Type.String(), open({ model: Type.String(), hidden: Type.Optional(Type.Boolean()) })]);

export const RouterSettingsSchema = section({
  routing_strategy: Type.Optional(RoutingStrategySchema),
  routing_strategy_args: anyMap,
  num_retries: count,
  timeout: seconds,
  stream_timeout: seconds,
  max_fallbacks: count,
  fallbacks: fallbackList,
  context_window_fallbacks: fallbackList,
  content_policy_fallbacks: fallbackList,
  default_fallbacks: strList,
  /** Failures per minute before a deployment is cooled down. */
  allowed_fails: count,
  /** Seconds a failing deployment is skipped. */
  cooldown_time: seconds,
  disable_cooldowns: bool,
  retry_after: seconds,
  retry_policy: PerErrorCount,
  allowed_fails_policy: PerErrorCount,
  model_group_retry_policy: anyMap,
  model_group_alias: Type.Optional(Type.Record(Type.String(), ModelGroupAliasTarget)),
  enable_pre_call_checks: bool,
  optional_pre_call_checks: strList,
  enable_tag_filtering: bool,
  tag_filtering_match_any: bool,
  redis_host: str,
  redis_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  redis_password: str,
  redis_url: str,
  cache_responses: bool,
  /** Params merged into every deployment's `litellm_params`. */
  default_litellm_params: anyMap,
  default_max_parallel_requests: count,
  provider_budget_config: anyMap,
  polling_interval: seconds,
  client_ttl: seconds,
  set_verbose: bool,
  debug_level: str,
});
