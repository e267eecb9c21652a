/**
 * Admission of a model call (API.md §3.2 steps 15–22): budgets of the key, its owner
 * (personal keys), its team and the owner's membership, each with this call's
 * estimated cost reserved; then rpm / tpm / parallel limits. Whatever is taken here is
 * given back exactly once by `release`, on every exit path.
 */
import type { Principal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";
import type { LimitCheck, RateLimiter } from "../limits/index.ts";
import type { BudgetWindows } from "../spend/budget-windows.ts";
import { modelBudgetFor, type ModelBudgets } from "../spend/model-budgets.ts";
import type { BudgetGuard, BudgetLimit, Reservation, SoftBudget } from "../spend/budgets.ts";
import type { CostCalculator } from "../spend/prices/index.ts";
import type { CustomerPolicies, CustomerPolicy } from "./customers.ts";
import type { Deployment, Usage } from "./types.ts";
import { memberKey } from "../db/store/spend.ts";

interface EndUser {
  id: string;
  policy: CustomerPolicy;
}

export interface Admitted {
  headers: Record<string, string>;
  /** Gives back the reservation and the parallel slot; tokens count against tpm. Idempotent. */
  release(usage: Usage | null): void;
  /** After the call's cost is recorded: notes soft budgets it has reached. */
  settled(): void;
}

export interface AdmissionDeps {
  budgets: BudgetGuard;
  limiter: RateLimiter;
  calculator: CostCalculator;
  /** True for model groups priced at exactly 0, which skip budget checks (API.md §6). */
  isFree: (group: string) => boolean;
  customers: CustomerPolicies;
  windows: BudgetWindows;
  modelBudgets: ModelBudgets;
}

/** A budget window of this key, its team, its owner or the end user has ended: reset it before judging the call. */
function windowEnded(principal: Principal | null, endUser: EndUser | null, now: Date): boolean {
  const ended = (at: Date | null | undefined) => at != null && at <= now;
  return (
    ended(principal?.key?.budget_reset_at) ||
    ended(principal?.team?.budget_reset_at) ||
    ended(principal?.user?.budget_reset_at) ||
    ended(endUser?.policy.budgetResetAt)
  );
}

export function budgetLimitsFor(principal: Principal | null, endUser: EndUser | null): BudgetLimit[] {
  const limits: BudgetLimit[] = [];
  if (endUser?.policy.maxBudget != null) {
    const { id } = endUser;
    const max = endUser.policy.maxBudget;
    limits.push({ entity: "customers", id, maxBudget: max, message: (s) => `ExceededBudget: End User=${id} over budget. Spend=${s}, Budget=${max}` });
  }
  if (!principal?.key) return limits;
  const { key, team, user, budgets } = principal;
  const keyMax = key.max_budget ?? budgets.keyBudgetRow;
  if (keyMax !== null) {
    limits.push({ entity: "keys", id: key.token, maxBudget: keyMax, message: (s) => `Budget has been exceeded! Current cost: ${s}, Max budget: ${keyMax}` });
  }
  if (team?.max_budget != null) {
    const max = team.max_budget;
    limits.push({ entity: "teams", id: team.team_id, maxBudget: max, message: (s) => `Budget has been exceeded! Team=${team.team_id} Current cost: ${s}, Max budget: ${max}` });
  }
  if (team && user && budgets.member !== null) {
    const max = budgets.member;
    limits.push({
      entity: "members",
      id: memberKey(team.team_id, user.user_id),
      maxBudget: max,
      message: (s) => `Budget has been exceeded! User=${user.user_id} in Team=${team.team_id} Current cost: ${s}, Max budget: ${max}`,
    });
  }
  // The owner's personal budget binds only keys without a team (LiteLLM's rule).
  if (!key.team_id && user?.max_budget != null) {
    const max = user.max_budget;
    limits.push({ entity: "users", id: user.user_id, maxBudget: max, message: (s) => `ExceededBudget: User=${user.user_id} over budget. Spend=${s}, Budget=${max}` });
  }
  return limits;
}

/** The key's `model_max_budget` for this model group: refused once its window's spend reaches the limit. */
async function checkModelBudget(modelBudgets: ModelBudgets, principal: Principal | null, group: string): Promise<void> {
  const key = principal?.key;
  if (!key) return;
  const budget = modelBudgetFor(key, [group], new Date());
  if (!budget) return;
  const spend = await modelBudgets.spendOf(key.token, group, budget.windowStart);
  if (spend >= budget.limit) {
    throw new ApiError("budget_exceeded", `LiteLLM Virtual Key: ${key.token}, key_alias: ${key.key_alias}, exceeded budget for model=${budget.model}`);
  }
}

/** Soft budgets of the key (its budget row), its team and its owner (personal keys). */
export function softBudgetsFor(principal: Principal | null): SoftBudget[] {
  const out: SoftBudget[] = [];
  if (!principal?.key) return out;
  const { key, team, user, budgets } = principal;
  if (budgets.keySoftBudget !== null) out.push({ entity: "keys", id: key.token, softBudget: budgets.keySoftBudget });
  if (team?.soft_budget != null) out.push({ entity: "teams", id: team.team_id, softBudget: team.soft_budget });
  if (!key.team_id && user?.soft_budget != null) out.push({ entity: "users", id: user.user_id, softBudget: user.soft_budget });
  return out;
}

export function rateLimitChecksFor(principal: Principal | null, endUser: EndUser | null, group: string): LimitCheck[] {
  const checks: LimitCheck[] = [];
  if (endUser) checks.push({ descriptor: "end_user", value: endUser.id, rpm: endUser.policy.rpm, tpm: endUser.policy.tpm, maxParallel: endUser.policy.maxParallel });
  if (!principal?.key) return checks;
  const { key, team } = principal;
  checks.push({ descriptor: "api_key", value: key.token, rpm: key.rpm_limit, tpm: key.tpm_limit, maxParallel: key.max_parallel_requests });
  if (team) checks.push({ descriptor: "team", value: team.team_id, rpm: team.rpm_limit, tpm: team.tpm_limit, maxParallel: team.max_parallel_requests });
  const { user, budgets } = principal;
  if (user) checks.push({ descriptor: "user", value: user.user_id, rpm: user.rpm_limit, tpm: user.tpm_limit });
  if (team && user) checks.push({ descriptor: "team_member", value: `${team.team_id}:${user.user_id}`, rpm: budgets.memberRpm, tpm: budgets.memberTpm });
  const perModel = (field: "model_rpm_limit" | "model_tpm_limit") => {
    const map = key.metadata[field];
    const value = map && typeof map === "object" && !Array.isArray(map) ? (map as Record<string, unknown>)[group] : undefined;
    return typeof value === "number" ? value : null;
  };
  const modelRpm = perModel("model_rpm_limit");
  const modelTpm = perModel("model_tpm_limit");
  if (modelRpm !== null || modelTpm !== null) checks.push({ descriptor: "model_per_key", value: `${key.token}:${group}`, rpm: modelRpm, tpm: modelTpm });
  return checks;
}

export async function admitCall(
  deps: AdmissionDeps,
  call: { principal: Principal | null; endUserId: string | null; group: string; deployment: Deployment | undefined; body: Record<string, unknown> },
): Promise<Admitted> {
  const { principal, group, deployment, body } = call;
  const endUser = call.endUserId ? { id: call.endUserId, policy: await deps.customers.policy(call.endUserId) } : null;
  if (endUser?.policy.blocked) throw new ApiError("bad_request", `User blocked from making LLM API Calls. User=${endUser.id}`, { param: "user" });
  if (!principal && !endUser) return { headers: {}, release: () => {}, settled: () => {} };
  if (windowEnded(principal, endUser, new Date())) await deps.windows.sweep();
  let reservation: Reservation = { release: () => {} };
  if (!deps.isFree(group)) {
    await checkModelBudget(deps.modelBudgets, principal, group);
    const estimate = () =>
      deployment ? deps.calculator.estimate({ deploymentId: deployment.id, model: deployment.model, provider: deployment.provider, modelGroup: group, body }).cost : 0;
    reservation = await deps.budgets.admit(budgetLimitsFor(principal, endUser), estimate);
  }
  const admission = await deps.limiter.admit(rateLimitChecksFor(principal, endUser, group));
  if (!admission.allowed) {
    reservation.release();
    throw new ApiError("rate_limit", deps.limiter.deniedMessage(admission), { headers: deps.limiter.headers(admission) });
  }
  return {
    headers: deps.limiter.headers(admission),
    release(usage) {
      reservation.release();
      void admission.lease.release(usage);
    },
    settled: () => {
      const soft = softBudgetsFor(principal);
      if (soft.length > 0) void deps.budgets.noteSoftBudgets(soft).catch(() => {});
    },
  };
}
