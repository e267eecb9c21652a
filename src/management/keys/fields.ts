/**
 * Maps key request fields onto key columns. Generate, update, regenerate and
 * /user/new all go through `keyColumns`, so a field means the same everywhere.
 */
import { routesForKeyType } from "../../auth/routes.ts";
import type { Json, JsonObject } from "../../db/json.ts";
import type { NewKeyRow } from "../../db/rows.ts";
import { badRequest } from "../../errors.ts";
import { nextBudgetResetAt } from "../../spend/budget-reset.ts";
import { addDuration, DurationError, parseDuration } from "../../util/duration.ts";
import type { keyFields } from "./model.ts";

type KeyFieldValues = { [K in keyof typeof keyFields]?: unknown };

/** Request fields LiteLLM keeps inside `metadata` (and echoes at the top level). */
export const METADATA_FIELDS = [
  "tags",
  "model_rpm_limit",
  "model_tpm_limit",
  "tpm_limit_type",
  "rpm_limit_type",
  "guardrails",
  "policies",
  "prompts",
  "enforced_params",
  "temp_budget_increase",
  "temp_budget_expiry",
] as const;

/** Newer request fields with no behaviour yet: persisted in the `extra` column and echoed. */
export const EXTRA_FIELDS = [
  "project_id",
  "agent_id",
  "object_permission",
  "router_settings",
  "access_group_ids",
  "allowed_passthrough_routes",
  "allowed_vector_store_indexes",
  "auto_rotate",
  "rotation_interval",
] as const;

const MONEY_FIELDS = ["spend", "max_budget", "soft_budget", "temp_budget_increase"] as const;

export interface ColumnContext {
  now: Date;
  timeZone: string;
  /** Stored values, on update: metadata keys not re-sent survive, as in LiteLLM. */
  current?: { metadata: JsonObject; extra: JsonObject };
}

/** Parses a duration field, turning a bad value into a 400 that names the field. */
export function durationField(field: string, text: string | null | undefined) {
  if (text === undefined || text === null) return null;
  try {
    return parseDuration(text);
  } catch (err) {
    if (err instanceof DurationError) throw badRequest(`${field}: ${err.message}`, field);
    throw err;
  }
}

export function assertNonNegative(values: Record<string, unknown>, fields: readonly string[] = MONEY_FIELDS): void {
  for (const field of fields) {
    const value = values[field];
    if (typeof value === "number" && (value < 0 || !Number.isFinite(value))) {
      throw badRequest(`${field} must be a non-negative number of USD, got ${value}`, field);
    }
  }
}

/**
 * Columns for the fields present in `req`. Absent fields are left out (update keeps
 * them); `null` clears a field. `key`, `soft_budget` and `send_invite_email` are the
 * caller's business, not columns.
 */
export function keyColumns(req: KeyFieldValues, ctx: ColumnContext): Partial<NewKeyRow> {
  assertNonNegative(req);
  const out: Partial<NewKeyRow> = {};
  const fields: Record<string, unknown> = req;
  const has = (field: keyof KeyFieldValues) => req[field] !== undefined;
  const list = (value: unknown) => (value ?? []) as string[];
  const map = <T>(value: unknown) => (value ?? {}) as T;

  if (has("key_alias")) out.key_alias = req.key_alias as string | null;
  if (has("models")) out.models = list(req.models);
  if (has("aliases")) out.aliases = map<Record<string, string>>(req.aliases);
  if (has("config")) out.config = map<JsonObject>(req.config);
  if (has("spend")) out.spend = (req.spend as number | null) ?? 0;
  if (has("max_budget")) out.max_budget = req.max_budget as number | null;
  if (has("budget_id")) out.budget_id = req.budget_id as string | null;
  if (has("max_parallel_requests")) out.max_parallel_requests = req.max_parallel_requests as number | null;
  if (has("tpm_limit")) out.tpm_limit = req.tpm_limit as number | null;
  if (has("rpm_limit")) out.rpm_limit = req.rpm_limit as number | null;
  if (has("model_max_budget")) out.model_max_budget = map<JsonObject>(req.model_max_budget);
  if (has("user_id")) out.user_id = req.user_id as string | null;
  if (has("team_id")) out.team_id = req.team_id as string | null;
  if (has("organization_id")) out.organization_id = req.organization_id as string | null;
  if (has("permissions")) out.permissions = map<JsonObject>(req.permissions);
  if (has("blocked")) out.blocked = req.blocked as boolean | null;
  if (has("allowed_cache_controls")) out.allowed_cache_controls = list(req.allowed_cache_controls);
  if (has("key_type")) {
    out.key_type = req.key_type as string | null;
    if (req.key_type && !has("allowed_routes")) out.allowed_routes = routesForKeyType(req.key_type as "default");
  }
  if (has("allowed_routes")) out.allowed_routes = list(req.allowed_routes);

  if (has("duration")) {
    // "-1" clears the expiry on update, like LiteLLM.
    const duration = req.duration === "-1" ? null : durationField("duration", req.duration as string | null);
    out.expires = duration ? addDuration(ctx.now, duration) : null;
  }
  if (has("budget_duration")) {
    const duration = durationField("budget_duration", req.budget_duration as string | null);
    out.budget_duration = duration ? (req.budget_duration as string).trim() : null;
    out.budget_reset_at = duration ? nextBudgetResetAt(duration, ctx.now, ctx.timeZone) : null;
  }

  const metadata = mergeFields(req, has("metadata") ? map<JsonObject>(req.metadata) : { ...(ctx.current?.metadata ?? {}) }, METADATA_FIELDS, ctx.current?.metadata);
  if (has("metadata") || METADATA_FIELDS.some((f) => fields[f] !== undefined)) out.metadata = metadata;
  if (EXTRA_FIELDS.some((f) => has(f))) out.extra = mergeFields(req, { ...(ctx.current?.extra ?? {}) }, EXTRA_FIELDS);
  return out;
}

/**
 * Writes the given top-level `fields` of `req` into `target`; fields the request does
 * not mention keep their `previous` value (reserved metadata survives a metadata
 * replacement). A `null` removes the field.
 */
export function mergeFields(req: Record<string, unknown>, target: JsonObject, fields: readonly string[], previous?: JsonObject): JsonObject {
  for (const field of fields) {
    const value = req[field];
    if (value === null) delete target[field];
    else if (value !== undefined) target[field] = value as Json;
    else if (previous && previous[field] !== undefined && target[field] === undefined) target[field] = previous[field];
  }
  return target;
}
