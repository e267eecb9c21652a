/** `general_settings`: the proxy server itself (auth, database, spend writes, alerts). */
import { Type } from "@sinclair/typebox";
import { anyMap, bool, count, num, open, seconds, section, str, strList } from "./fields.ts";

/** Maps a request header to an end-user id, e.g. Open WebUI's `X-OpenWebUI-User-Id`. */
const UserHeaderMapping = open({
  header_name: Type.String(),
  litellm_user_role: str,
});

export const GeneralSettingsSchema = section({
  /** Admin key; must start with `sk-`. Falls back to env `LITELLM_MASTER_KEY`. */
  master_key: str,
  /** Postgres URL; env `DATABASE_URL` wins. Without either, tollgate uses SQLite. */
  database_url: str,
  database_connection_pool_limit: count,
  database_connection_timeout: seconds,
  /** Extra header carrying the virtual key; overrides the standard ones. */
  litellm_key_header_name: str,
  /** `module.function` of a custom auth hook, resolved relative to the config file. */
  custom_auth: str,
  custom_auth_run_common_checks: bool,
  /** `module.function` returning `{decision, message}` that gates `/key/generate`. */
  custom_key_generate: str,
  allow_requests_on_db_unavailable: bool,
  /** Seconds between spend flushes to the database. */
  proxy_batch_write_at: seconds,
  proxy_budget_rescheduler_min_time: seconds,
  proxy_budget_rescheduler_max_time: seconds,
  disable_spend_logs: bool,
  disable_spend_updates: bool,
  disable_reset_budget: bool,
  disable_master_key_return: bool,
  disable_adding_master_key_hash_to_db: bool,
  use_redis_transaction_buffer: bool,
  /** Seconds a looked-up key stays in the in-process cache. */
  user_api_key_cache_ttl: seconds,
  max_parallel_requests: count,
  global_max_parallel_requests: count,
  enforce_user_param: bool,
  reject_clientside_metadata_tags: bool,
  user_header_name: str,
  user_header_mappings: Type.Optional(Type.Array(UserHeaderMapping)),
  store_prompts_in_spend_logs: bool,
  /** e.g. `30d`; older spend-log rows are deleted. */
  maximum_spend_logs_retention_period: str,
  maximum_spend_logs_retention_interval: str,
  alerting: strList,
  alert_types: strList,
  alerting_threshold: seconds,
  alerting_args: anyMap,
  alert_to_webhook_url: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  ),
  spend_report_frequency: str,
  background_health_checks: bool,
  /** Seconds between background health checks (LiteLLM default 300). */
  health_check_interval: seconds,
  health_check_details: bool,
  store_model_in_db: bool,
  token_rate_limit_type: Type.Optional(
    Type.Union([Type.Literal("input"), Type.Literal("output"), Type.Literal("total")]),
  ),
  disable_budget_reservation: bool,
  fail_closed_budget_enforcement: bool,
  skip_user_budget_on_team_key: bool,
  litellm_proxy_admin_name: str,
  infer_model_from_keys: bool,
  enforced_params: strList,
  allowed_routes: strList,
  admin_only_routes: strList,
  public_routes: strList,
  allowed_ips: strList,
  use_x_forwarded_for: bool,
  forward_client_headers_to_llm_api: bool,
  enable_jwt_auth: bool,
  ui_access_mode: str,
  key_management_system: str,
  key_management_settings: anyMap,
  service_account_settings: anyMap,
  pass_through_endpoints: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
  disable_prisma_schema_update: bool,
  completion_model: str,
  embedding_model: str,
  request_timeout: num,
});
