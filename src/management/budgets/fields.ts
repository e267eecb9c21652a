/**
 * Maps budget request fields onto budget columns. /budget/*, the customer budget
 * fields and a team's member budget all go through `budgetColumns`.
 */
import type { JsonObject } from "../../db/json.ts";
import type { NewBudgetRow } from "../../db/rows.ts";
import { badRequest } from "../../errors.ts";
import { nextBudgetResetAt } from "../../spend/budget-reset.ts";
import { assertNonNegative, durationField } from "../keys/fields.ts";
import type { BudgetFieldValues } from "./model.ts";

/**
 * A budget row to insert: `columns`, a fresh id (unless `columns` names one), and who
 * made it when. Every route that creates a budget row builds it here.
 */
export function newBudgetRow(columns: Partial<NewBudgetRow>, at: Date, by: string | null): NewBudgetRow {
  return { ...columns, budget_id: columns.budget_id ?? crypto.randomUUID(), created_at: at, updated_at: at, created_by: by, updated_by: by };
}

/** Budget fields that, when present, make a customer or team member budget row worth creating. */
export const BUDGET_FIELDS = [
  "max_budget",
  "soft_budget",
  "max_parallel_requests",
  "tpm_limit",
  "rpm_limit",
  "budget_duration",
  "model_max_budget",
  "budget_reset_at",
] as const satisfies readonly (keyof BudgetFieldValues)[];

export function hasBudgetFields(req: BudgetFieldValues): boolean {
  return BUDGET_FIELDS.some((f) => req[f] !== undefined && req[f] !== null);
}

/**
 * Columns for the budget fields present in `req`: absent fields are left out, `null`
 * clears. Amounts must be non-negative (400). Without an explicit `budget_reset_at`, a
 * `budget_duration` arms the next aligned reset.
 */
export function budgetColumns(req: BudgetFieldValues, ctx: { now: Date; timeZone: string }): Partial<NewBudgetRow> {
  assertNonNegative(req, ["max_budget", "soft_budget"]);
  const out: Partial<NewBudgetRow> = {};
  if (req.max_budget !== undefined) out.max_budget = req.max_budget;
  if (req.soft_budget !== undefined) out.soft_budget = req.soft_budget;
  if (req.max_parallel_requests !== undefined) out.max_parallel_requests = req.max_parallel_requests;
  if (req.tpm_limit !== undefined) out.tpm_limit = req.tpm_limit;
  if (req.rpm_limit !== undefined) out.rpm_limit = req.rpm_limit;
  if (req.model_max_budget !== undefined) {
    for (const [model, limits] of Object.entries(req.model_max_budget ?? {})) {
      assertNonNegative({ [`model_max_budget.${model}.max_budget`]: limits.max_budget }, [`model_max_budget.${model}.max_budget`]);
      durationField(`model_max_budget.${model}.budget_duration`, limits.budget_duration);
    }
    out.model_max_budget = (req.model_max_budget ?? null) as JsonObject | null;
  }
  if (req.budget_duration !== undefined) {
    const duration = durationField("budget_duration", req.budget_duration);
    out.budget_duration = duration ? req.budget_duration!.trim() : null;
    out.budget_reset_at = duration ? nextBudgetResetAt(duration, ctx.now, ctx.timeZone) : null;
  }
  if (typeof req.budget_reset_at === "string") out.budget_reset_at = dateField("budget_reset_at", req.budget_reset_at);
  else if (req.budget_reset_at === null && req.budget_duration === undefined) out.budget_reset_at = null;
  return out;
}

function dateField(field: string, text: string): Date {
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw badRequest(`${field} is not an ISO 8601 date-time: ${text}`, field);
  return at;
}
