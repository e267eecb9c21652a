/**
 * Maps team request fields onto team columns; /team/new and /team/update both go
 * through `teamColumns`, so a field means the same in both.
 */
import type { JsonObject } from "../../db/json.ts";
import type { NewBudgetRow, NewTeamRow } from "../../db/rows.ts";
import { nextBudgetResetAt } from "../../spend/budget-reset.ts";
import { budgetColumns } from "../budgets/fields.ts";
import { assertNonNegative, durationField, mergeFields } from "../keys/fields.ts";
import { TEAM_METADATA_FIELDS } from "./metadata-fields.ts";
import type { TeamFieldValues } from "./model.ts";

/** Fields that describe the default budget of each member (a budget row the team links to). */
export const MEMBER_BUDGET_FIELDS = ["team_member_budget", "team_member_budget_duration", "team_member_rpm_limit", "team_member_tpm_limit"] as const;

export interface TeamColumnContext {
  now: Date;
  timeZone: string;
  /** Stored metadata, on update: reserved fields not re-sent survive a metadata replacement. */
  currentMetadata?: JsonObject;
}

/** Columns for the fields present in `req`: absent fields are left out, `null` clears. */
export function teamColumns(req: TeamFieldValues, ctx: TeamColumnContext): Partial<NewTeamRow> {
  assertNonNegative(req, ["max_budget", "soft_budget", "team_member_budget"]);
  durationField("team_member_key_duration", req.team_member_key_duration);
  durationField("team_member_budget_duration", req.team_member_budget_duration);
  const out: Partial<NewTeamRow> = {};
  if (req.team_alias !== undefined) out.team_alias = req.team_alias;
  if (req.organization_id !== undefined) out.organization_id = req.organization_id;
  if (req.max_budget !== undefined) out.max_budget = req.max_budget;
  if (req.soft_budget !== undefined) out.soft_budget = req.soft_budget;
  if (req.tpm_limit !== undefined) out.tpm_limit = req.tpm_limit;
  if (req.rpm_limit !== undefined) out.rpm_limit = req.rpm_limit;
  if (req.max_parallel_requests !== undefined) out.max_parallel_requests = req.max_parallel_requests;
  if (req.models !== undefined) out.models = req.models ?? [];
  if (req.blocked !== undefined) out.blocked = req.blocked ?? false;
  if (req.model_aliases !== undefined) out.model_aliases = req.model_aliases ?? {};
  if (req.model_max_budget !== undefined) out.model_max_budget = req.model_max_budget ?? {};
  if (req.budget_duration !== undefined) {
    const duration = durationField("budget_duration", req.budget_duration);
    out.budget_duration = duration ? req.budget_duration!.trim() : null;
    out.budget_reset_at = duration ? nextBudgetResetAt(duration, ctx.now, ctx.timeZone) : null;
  }
  const fields: Record<string, unknown> = req;
  const touched = req.metadata !== undefined || TEAM_METADATA_FIELDS.some((f) => fields[f] !== undefined);
  if (touched) {
    const base = req.metadata != null ? { ...req.metadata } : req.metadata === null ? {} : { ...(ctx.currentMetadata ?? {}) };
    out.metadata = mergeFields(fields, base, TEAM_METADATA_FIELDS, ctx.currentMetadata);
  }
  return out;
}

/** True when the request mentions any field of the members' default budget (null included: it clears). */
export const setsMemberBudget = (req: TeamFieldValues) => MEMBER_BUDGET_FIELDS.some((f) => req[f] !== undefined);
/** True when the request gives the members' default budget a value, so a budget row is worth creating. */
export const hasMemberBudget = (req: TeamFieldValues) => MEMBER_BUDGET_FIELDS.some((f) => req[f] != null);

/** Budget columns of the members' default budget, from the team_member_* fields present. */
export function memberBudgetColumns(req: TeamFieldValues, ctx: { now: Date; timeZone: string }): Partial<NewBudgetRow> {
  return budgetColumns(
    {
      max_budget: req.team_member_budget,
      budget_duration: req.team_member_budget_duration,
      rpm_limit: req.team_member_rpm_limit,
      tpm_limit: req.team_member_tpm_limit,
    },
    ctx,
  );
}
