/**
 * Customers, a.k.a. end users (API.md §2.3): the logic behind /customer/* and
 * /end_user/*, free of HTTP. Admin-only, like LiteLLM's route policy for them.
 */
import type { AuthInvalidator } from "../../auth/invalidation.ts";
import type { Principal } from "../../auth/principal.ts";
import { canReadAll } from "../../auth/roles.ts";
import { isUniqueViolation } from "../../db/database.ts";
import type { BudgetRow, CustomerRow, NewBudgetRow, NewCustomerRow } from "../../db/rows.ts";
import type { Store } from "../../db/store/index.ts";
import { ApiError, badRequest, notFound } from "../../errors.ts";
import { requireAdmin, requireReadAll } from "../access.ts";
import { BUDGET_FIELDS, budgetColumns, hasBudgetFields, newBudgetRow } from "../budgets/fields.ts";
import { assertNonNegative } from "../keys/fields.ts";
import { type LiveSpend, NO_LIVE_SPEND } from "../live-spend.ts";
import type { CustomerRequest } from "./model.ts";

export interface CustomerServiceOptions {
  store: Store;
  invalidate: AuthInvalidator;
  /** IANA zone that budget resets align to (`litellm_settings.timezone`). */
  timeZone: string;
  /** The configured model group names: a `default_model` must be one of them. */
  modelGroups: readonly string[];
  liveSpend?: LiveSpend;
  now?: () => Date;
}

export type CustomerObject = CustomerRow & { litellm_budget_table: BudgetRow | null };

export type CustomerService = ReturnType<typeof createCustomerService>;

export function createCustomerService(options: CustomerServiceOptions) {
  const { store, timeZone } = options;
  const live = options.liveSpend ?? NO_LIVE_SPEND;
  const now = options.now ?? (() => new Date());
  const groups = new Set(options.modelGroups);

  const present = (row: CustomerRow, budget: BudgetRow | null): CustomerObject => ({
    ...row,
    spend: row.spend + live.customer(row.user_id),
    litellm_budget_table: budget,
  });

  async function presentAll(rows: CustomerRow[]): Promise<CustomerObject[]> {
    const budgets = new Map((await store.getBudgets(rows.flatMap((r) => (r.budget_id ? [r.budget_id] : [])))).map((b) => [b.budget_id, b]));
    return rows.map((r) => present(r, (r.budget_id && budgets.get(r.budget_id)) || null));
  }

  const missing = (id: string, param: string) => notFound(`End User Id=${id} does not exist in db`, param);

  /** The request's own checks: budget source, amounts, default model, linked budget. */
  async function check(req: CustomerRequest): Promise<void> {
    if (req.budget_id != null && hasBudgetFields(req)) {
      const field = BUDGET_FIELDS.find((f) => req[f] != null) ?? "max_budget";
      throw badRequest(`Pass ${field} (which gives the customer a budget of its own) or budget_id (which links an existing one), not both.`, field);
    }
    assertNonNegative(req, ["spend"]);
    if (req.default_model != null && !groups.has(req.default_model)) {
      throw new ApiError(
        "validation",
        `Default Model not on proxy. Configure via config.yaml. Default_model=${req.default_model}, proxy_model_names=${JSON.stringify([...groups])}`,
        { param: "default_model" },
      );
    }
    if (req.budget_id != null && !(await store.getBudget(req.budget_id))) throw badRequest(`Budget not found: budget_id=${req.budget_id}`, "budget_id");
  }

  function newBudget(req: CustomerRequest, at: Date, by: string | null): NewBudgetRow {
    return newBudgetRow(budgetColumns(req, { now: at, timeZone }), at, by);
  }

  const alreadyExists = (id: string) => badRequest(`Customer already exists, passed user_id=${id}. Please pass a new user_id.`, "user_id");

  return {
    async create(principal: Principal, req: CustomerRequest) {
      requireAdmin(principal, "/customer/new");
      await check(req);
      if (await store.getCustomer(req.user_id)) throw alreadyExists(req.user_id);
      const at = now();
      const budget = hasBudgetFields(req) ? newBudget(req, at, principal.userId) : undefined;
      const row: NewCustomerRow = {
        user_id: req.user_id,
        alias: req.alias ?? null,
        spend: req.spend ?? 0,
        allowed_model_region: req.allowed_model_region ?? null,
        default_model: req.default_model ?? null,
        budget_id: budget?.budget_id ?? req.budget_id ?? null,
        blocked: req.blocked ?? false,
        created_at: at,
        updated_at: at,
      };
      try {
        const stored = await store.insertCustomer(row, budget);
        options.invalidate.customers([stored.user_id]);
        return present(stored, stored.budget_id ? await store.getBudget(stored.budget_id) : null);
      } catch (err) {
        if (isUniqueViolation(err)) throw alreadyExists(req.user_id);
        throw err;
      }
    },

    async info(principal: Principal, customerId: string) {
      requireReadAll(principal, "/customer/info");
      const row = await store.getCustomer(customerId);
      if (!row) throw missing(customerId, "end_user_id");
      return present(row, row.budget_id ? await store.getBudget(row.budget_id) : null);
    },

    /** Only the fields present change; budget fields change the linked budget row, or create one. */
    async update(principal: Principal, req: CustomerRequest) {
      requireAdmin(principal, "/customer/update");
      const current = await store.getCustomer(req.user_id);
      if (!current) throw missing(req.user_id, "user_id");
      await check(req);
      const at = now();
      const patch: Partial<NewCustomerRow> = { updated_at: at };
      if (req.alias !== undefined) patch.alias = req.alias;
      if (req.blocked !== undefined) patch.blocked = req.blocked ?? false;
      if (req.allowed_model_region !== undefined) patch.allowed_model_region = req.allowed_model_region;
      if (req.default_model !== undefined) patch.default_model = req.default_model;
      if (req.spend !== undefined) patch.spend = req.spend ?? 0;
      if (req.budget_id !== undefined) patch.budget_id = req.budget_id;
      let budget: NewBudgetRow | undefined;
      // `budget_id: null` unlinks the current budget, so budget fields sent with it start a new one.
      const linked = req.budget_id === undefined ? current.budget_id : null;
      if (BUDGET_FIELDS.some((f) => req[f] !== undefined)) {
        if (linked) await store.updateBudget(linked, { ...budgetColumns(req, { now: at, timeZone }), updated_at: at, updated_by: principal.userId });
        else if (hasBudgetFields(req)) {
          budget = newBudget(req, at, principal.userId);
          patch.budget_id = budget.budget_id;
        }
      }
      const row = await store.updateCustomer(current.user_id, patch, budget);
      if (!row) throw missing(req.user_id, "user_id");
      options.invalidate.customers([row.user_id]);
      return present(row, row.budget_id ? await store.getBudget(row.budget_id) : null);
    },

    async delete(principal: Principal, customerIds: string[]) {
      requireAdmin(principal, "/customer/delete");
      const ids = [...new Set(customerIds)];
      const found = new Set((await store.getCustomers(ids)).map((c) => c.user_id));
      const absent = ids.filter((id) => !found.has(id));
      if (absent.length > 0) throw notFound(`End User Id(s)=${absent.join(", ")} do not exist in db. Nothing was deleted.`, "user_ids");
      const deleted = await store.deleteCustomers(ids);
      options.invalidate.customers(ids);
      return { deleted_customers: deleted, message: `Successfully deleted customers with ids: ${JSON.stringify(ids)}` };
    },

    async list(principal: Principal) {
      // LiteLLM answers 401 here (API.md §2.3).
      if (!canReadAll(principal.role)) throw new ApiError("auth", `Admin-only endpoint. Your user role=${principal.role}`);
      return presentAll(await store.listCustomers());
    },

    /** Upserts: unknown ids become customers with only `blocked` set. */
    async setBlocked(principal: Principal, customerIds: string[], blocked: boolean) {
      requireAdmin(principal, blocked ? "/customer/block" : "/customer/unblock");
      const rows = await store.setCustomersBlocked(customerIds, blocked, now());
      options.invalidate.customers(customerIds);
      return { blocked_users: await presentAll(rows) };
    },
  };
}
