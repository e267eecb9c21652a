/**
 * Budget rows (API.md §2.4): the logic behind /budget/*, free of HTTP. A budget row
 * is shared by whatever links to it (keys, customers, team memberships, a team's
 * member budget), so changing it changes all of them.
 */
import type { AuthInvalidator } from "../../auth/invalidation.ts";
import type { Principal } from "../../auth/principal.ts";
import { canReadAll } from "../../auth/roles.ts";
import { isUniqueViolation } from "../../db/database.ts";
import type { Store } from "../../db/store/index.ts";
import { badRequest, notFound } from "../../errors.ts";
import { requireAdmin, requireReadAll } from "../access.ts";
import { budgetColumns, newBudgetRow } from "./fields.ts";
import type { BudgetRequest } from "./model.ts";

export interface BudgetServiceOptions {
  store: Store;
  invalidate: AuthInvalidator;
  /** IANA zone that budget resets align to (`litellm_settings.timezone`). */
  timeZone: string;
  now?: () => Date;
}

export type BudgetService = ReturnType<typeof createBudgetService>;

const BUDGET_SETTINGS = [
  ["max_budget", "float", "Spend in USD at which calls are refused"],
  ["soft_budget", "float", "Spend in USD at which a crossing is recorded (never refused)"],
  ["max_parallel_requests", "int", "Calls in flight at once"],
  ["tpm_limit", "int", "Tokens per minute"],
  ["rpm_limit", "int", "Requests per minute"],
  ["budget_duration", "str", "Window after which spend restarts from 0 (e.g. 1d, 7d, 1mo)"],
  ["budget_reset_at", "datetime", "When the current window ends"],
] as const;

export function createBudgetService(options: BudgetServiceOptions) {
  const { store, timeZone } = options;
  const now = options.now ?? (() => new Date());
  const exists = (id: string) => badRequest(`Budget with id '${id}' already exists.`, "budget_id");

  return {
    async create(principal: Principal, req: BudgetRequest) {
      requireAdmin(principal, "/budget/new");
      const at = now();
      const row = newBudgetRow({ ...budgetColumns(req, { now: at, timeZone }), budget_id: req.budget_id ?? undefined }, at, principal.userId);
      if (await store.getBudget(row.budget_id)) throw exists(row.budget_id);
      try {
        return await store.insertBudget(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw exists(row.budget_id);
        throw err;
      }
    },

    async update(principal: Principal, req: BudgetRequest) {
      requireAdmin(principal, "/budget/update");
      if (!req.budget_id) throw badRequest("budget_id is required", "budget_id");
      if (!(await store.getBudget(req.budget_id))) throw notFound(`Budget not found: budget_id=${req.budget_id}`, "budget_id");
      const at = now();
      const row = await store.updateBudget(req.budget_id, { ...budgetColumns(req, { now: at, timeZone }), updated_at: at, updated_by: principal.userId });
      if (!row) throw notFound(`Budget not found: budget_id=${req.budget_id}`, "budget_id");
      // Keys and memberships cache the limits of the budget rows they link to.
      options.invalidate.everything();
      return row;
    },

    async info(principal: Principal, budgetIds: string[]) {
      requireReadAll(principal, "/budget/info");
      if (budgetIds.length === 0) throw badRequest("Specify list of budget id's to query. Passed in=[]", "budgets");
      return store.getBudgets([...new Set(budgetIds)]);
    },

    /**
     * The budget's fields described for a settings screen (LiteLLM's /budget/settings):
     * name, type, description, the stored value and the default.
     */
    async settings(principal: Principal, budgetId: string) {
      requireReadAll(principal, "/budget/settings");
      const row = await store.getBudget(budgetId);
      if (!row) throw notFound(`Budget not found: budget_id=${budgetId}`, "budget_id");
      return BUDGET_SETTINGS.map(([field_name, field_type, field_description]) => ({
        field_name,
        field_type,
        field_description,
        field_value: row[field_name],
        stored_in_db: true,
        field_default_value: null,
      }));
    },

    async list(principal: Principal) {
      // LiteLLM answers 400 here, not 403 (API.md §2.4).
      if (!canReadAll(principal.role)) throw badRequest(`Admin-only endpoint. Not allowed to access this. Your role=${principal.role}`);
      return store.listBudgets();
    },

    async delete(principal: Principal, budgetId: string) {
      requireAdmin(principal, "/budget/delete");
      if (!(await store.getBudget(budgetId))) throw notFound(`Budget not found: budget_id=${budgetId}`, "id");
      const links = await store.countBudgetLinks(budgetId);
      if (links > 0) {
        throw badRequest(`Budget ${budgetId} is still linked to ${links} key(s), customer(s) or team member(s); unlink them first.`, "id");
      }
      const row = await store.deleteBudget(budgetId);
      if (!row) throw notFound(`Budget not found: budget_id=${budgetId}`, "id");
      return row;
    },
  };
}
