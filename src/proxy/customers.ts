/**
 * What the request path needs to know about an end user (customer): blocked or not,
 * and the budget row that binds it — its own, else the `max_end_user_budget_id`
 * default, else the older `max_end_user_budget` amount. Cached in process; customer
 * writes invalidate entries before they answer (see AuthInvalidator.customers).
 *
 * End-user ids come from clients (the body's `user`), so the cache is bounded: a client
 * inventing a new id per call costs a lookup each, never unbounded memory.
 */
import { KeyCache } from "../auth/key-cache.ts";
import type { BudgetRow } from "../db/rows.ts";
import type { Store } from "../db/store/index.ts";

export interface CustomerPolicy {
  blocked: boolean;
  maxBudget: number | null;
  /** When the binding budget row's window ends (its spend then restarts from 0). */
  budgetResetAt: Date | null;
  rpm: number | null;
  tpm: number | null;
  maxParallel: number | null;
}

export interface CustomerDefaults {
  /** `litellm_settings.max_end_user_budget_id`. */
  budgetId: string | null;
  /** `litellm_settings.max_end_user_budget` (older float form). */
  maxBudget: number | null;
}

const TTL_MS = 60_000;
const MAX_CACHED = 100_000;

export function createCustomerPolicies(store: Pick<Store, "getCustomer" | "getBudget">, defaults: CustomerDefaults, maxCached = MAX_CACHED) {
  const cache = new KeyCache<CustomerPolicy>({ ttlMs: TTL_MS, negativeTtlMs: TTL_MS, maxEntries: maxCached });

  const fromBudget = (blocked: boolean, budget: BudgetRow | null, fallbackMax: number | null): CustomerPolicy => ({
    blocked,
    maxBudget: budget?.max_budget ?? fallbackMax,
    budgetResetAt: budget?.budget_reset_at ?? null,
    rpm: budget?.rpm_limit ?? null,
    tpm: budget?.tpm_limit ?? null,
    maxParallel: budget?.max_parallel_requests ?? null,
  });

  async function load(id: string): Promise<CustomerPolicy> {
    const customer = await store.getCustomer(id);
    const budgetId = customer?.budget_id ?? defaults.budgetId;
    const budget = budgetId ? await store.getBudget(budgetId) : null;
    return fromBudget(customer?.blocked ?? false, budget, defaults.maxBudget);
  }

  return {
    async policy(id: string): Promise<CustomerPolicy> {
      const hit = cache.get(id);
      if (hit) return hit;
      const epoch = cache.epoch;
      const policy = await load(id);
      // A customer write that landed while we read would be undone by caching the read.
      if (cache.epoch === epoch) cache.set(id, policy);
      return policy;
    },
    invalidate(ids: readonly string[] | "all"): void {
      if (ids === "all") cache.clear();
      else cache.invalidate(...ids);
    },
  };
}

export type CustomerPolicies = ReturnType<typeof createCustomerPolicies>;
