/**
 * SQLite schema. Kept column-for-column identical to `schema.pg.ts`
 * (test/db/schema-parity.test.ts holds them together): same table names, same
 * column names, same TypeScript row types. Property names are the API's snake_case
 * field names, so rows map onto responses without a translation layer.
 *
 * Money is double precision USD, like LiteLLM's. Keys are stored only as
 * sha256(plaintext) in lowercase hex.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Json, JsonObject } from "./json.ts";

// Timestamps as epoch milliseconds and JSON as text: drizzle maps both to the same
// TypeScript types (Date, parsed JSON) as the Postgres columns.
const ts = (name: string) => integer(name, { mode: "timestamp_ms" });
const json = <T extends Json>(name: string) => text(name, { mode: "json" }).$type<T>();
const boolean = (name: string) => integer(name, { mode: "boolean" });

export const budgets = sqliteTable("budgets", {
  budget_id: text("budget_id").primaryKey(),
  max_budget: real("max_budget"),
  soft_budget: real("soft_budget"),
  max_parallel_requests: integer("max_parallel_requests"),
  tpm_limit: integer("tpm_limit"),
  rpm_limit: integer("rpm_limit"),
  model_max_budget: json<JsonObject>("model_max_budget"),
  budget_duration: text("budget_duration"),
  budget_reset_at: ts("budget_reset_at"),
  created_at: ts("created_at").notNull(),
  created_by: text("created_by"),
  updated_at: ts("updated_at").notNull(),
  updated_by: text("updated_by"),
});

export const users = sqliteTable("users", {
  user_id: text("user_id").primaryKey(),
  user_email: text("user_email").unique(),
  user_alias: text("user_alias"),
  user_role: text("user_role").notNull(),
  organization_id: text("organization_id"),
  sso_user_id: text("sso_user_id"),
  password_hash: text("password_hash"),
  max_budget: real("max_budget"),
  soft_budget: real("soft_budget"),
  spend: real("spend").notNull().default(0),
  budget_duration: text("budget_duration"),
  budget_reset_at: ts("budget_reset_at"),
  models: json<string[]>("models").notNull(),
  max_parallel_requests: integer("max_parallel_requests"),
  tpm_limit: integer("tpm_limit"),
  rpm_limit: integer("rpm_limit"),
  model_max_budget: json<JsonObject>("model_max_budget").notNull(),
  model_spend: json<Record<string, number>>("model_spend").notNull(),
  metadata: json<JsonObject>("metadata").notNull(),
  created_at: ts("created_at").notNull(),
  updated_at: ts("updated_at").notNull(),
});

export const teams = sqliteTable("teams", {
  team_id: text("team_id").primaryKey(),
  team_alias: text("team_alias"),
  organization_id: text("organization_id"),
  metadata: json<JsonObject>("metadata").notNull(),
  max_budget: real("max_budget"),
  soft_budget: real("soft_budget"),
  spend: real("spend").notNull().default(0),
  models: json<string[]>("models").notNull(),
  max_parallel_requests: integer("max_parallel_requests"),
  tpm_limit: integer("tpm_limit"),
  rpm_limit: integer("rpm_limit"),
  budget_duration: text("budget_duration"),
  budget_reset_at: ts("budget_reset_at"),
  blocked: boolean("blocked").notNull().default(false),
  model_aliases: json<Record<string, string>>("model_aliases").notNull(),
  model_max_budget: json<JsonObject>("model_max_budget").notNull(),
  model_spend: json<Record<string, number>>("model_spend").notNull(),
  team_member_budget_id: text("team_member_budget_id"),
  created_at: ts("created_at").notNull(),
  updated_at: ts("updated_at").notNull(),
});

export const teamMembers = sqliteTable(
  "team_members",
  {
    team_id: text("team_id").notNull(),
    user_id: text("user_id").notNull(),
    role: text("role").notNull(),
    spend: real("spend").notNull().default(0),
    budget_id: text("budget_id"),
    created_at: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.team_id, t.user_id] }), index("team_members_user_idx").on(t.user_id)],
);

export const customers = sqliteTable("customers", {
  user_id: text("user_id").primaryKey(),
  alias: text("alias"),
  spend: real("spend").notNull().default(0),
  allowed_model_region: text("allowed_model_region"),
  default_model: text("default_model"),
  budget_id: text("budget_id"),
  blocked: boolean("blocked").notNull().default(false),
  created_at: ts("created_at").notNull(),
  updated_at: ts("updated_at").notNull(),
});

/** Virtual keys. `token` is sha256(plaintext key) as 64 lowercase hex characters. */
export const keys = sqliteTable(
  "keys",
  {
    token: text("token").primaryKey(),
    key_name: text("key_name"),
    key_alias: text("key_alias").unique(),
    spend: real("spend").notNull().default(0),
    max_budget: real("max_budget"),
    budget_duration: text("budget_duration"),
    budget_reset_at: ts("budget_reset_at"),
    expires: ts("expires"),
    models: json<string[]>("models").notNull(),
    aliases: json<Record<string, string>>("aliases").notNull(),
    config: json<JsonObject>("config").notNull(),
    user_id: text("user_id"),
    team_id: text("team_id"),
    organization_id: text("organization_id"),
    budget_id: text("budget_id"),
    permissions: json<JsonObject>("permissions").notNull(),
    metadata: json<JsonObject>("metadata").notNull(),
    max_parallel_requests: integer("max_parallel_requests"),
    tpm_limit: integer("tpm_limit"),
    rpm_limit: integer("rpm_limit"),
    model_max_budget: json<JsonObject>("model_max_budget").notNull(),
    model_spend: json<Record<string, number>>("model_spend").notNull(),
    blocked: boolean("blocked"),
    allowed_routes: json<string[]>("allowed_routes").notNull(),
    allowed_cache_controls: json<string[]>("allowed_cache_controls").notNull(),
    key_type: text("key_type"),
    /** Newer LiteLLM request fields with no behaviour here yet, persisted and echoed verbatim. */
    extra: json<JsonObject>("extra").notNull(),
    rotation_count: integer("rotation_count").notNull().default(0),
    last_rotation_at: ts("last_rotation_at"),
    created_at: ts("created_at").notNull(),
    created_by: text("created_by"),
    updated_at: ts("updated_at").notNull(),
    updated_by: text("updated_by"),
  },
  (t) => [index("keys_user_idx").on(t.user_id), index("keys_team_idx").on(t.team_id)],
);

/** Old hashes of regenerated keys that keep working until `revoke_at` (grace period). */
export const deprecatedKeys = sqliteTable("deprecated_keys", {
  token: text("token").primaryKey(),
  active_token: text("active_token").notNull(),
  revoke_at: ts("revoke_at").notNull(),
  created_at: ts("created_at").notNull(),
});

/** Deleted keys, kept for audit (LiteLLM's LiteLLM_DeletedVerificationToken). */
export const deletedKeys = sqliteTable(
  "deleted_keys",
  {
    token: text("token").notNull(),
    key_alias: text("key_alias"),
    user_id: text("user_id"),
    team_id: text("team_id"),
    spend: real("spend").notNull(),
    row: json<JsonObject>("row").notNull(),
    deleted_at: ts("deleted_at").notNull(),
    deleted_by: text("deleted_by"),
  },
  (t) => [index("deleted_keys_token_idx").on(t.token)],
);

export const spendLogs = sqliteTable(
  "spend_logs",
  {
    request_id: text("request_id").primaryKey(),
    call_type: text("call_type").notNull(),
    api_key: text("api_key").notNull(),
    spend: real("spend").notNull(),
    total_tokens: integer("total_tokens").notNull(),
    prompt_tokens: integer("prompt_tokens").notNull(),
    completion_tokens: integer("completion_tokens").notNull(),
    cached_tokens: integer("cached_tokens").notNull().default(0),
    start_time: ts("start_time").notNull(),
    end_time: ts("end_time").notNull(),
    completion_start_time: ts("completion_start_time"),
    model: text("model").notNull(),
    model_id: text("model_id"),
    model_group: text("model_group"),
    custom_llm_provider: text("custom_llm_provider"),
    api_base: text("api_base"),
    user: text("user"),
    end_user: text("end_user"),
    team_id: text("team_id"),
    organization_id: text("organization_id"),
    status: text("status").notNull(),
    metadata: json<JsonObject>("metadata").notNull(),
    request_tags: json<string[]>("request_tags").notNull(),
    cache_hit: text("cache_hit"),
    requester_ip_address: text("requester_ip_address"),
    messages: json<Json>("messages"),
    response: json<Json>("response"),
  },
  // Every index is paid for by every call (the flush writes each row into each one), so
  // only lookups without a time range get one: a key's or a user's logs and a key's
  // spend on a model (model_max_budget). Team and end-user reports always carry a date
  // range, which the start_time index serves.
  (t) => [index("spend_logs_start_idx").on(t.start_time), index("spend_logs_key_idx").on(t.api_key), index("spend_logs_user_idx").on(t.user)],
);

/**
 * How far each instance's spend journal has been applied: the flush that applies
 * entries up to `seq` moves this row in the same transaction, so a replay after a
 * crash skips exactly what the database already has.
 */
export const ledgerCheckpoints = sqliteTable("ledger_checkpoints", {
  instance_id: text("instance_id").primaryKey(),
  seq: integer("seq").notNull(),
  updated_at: ts("updated_at").notNull(),
});
