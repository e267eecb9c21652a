/**
 * Admission of a model call (API.md §3.2 steps 15–22): budgets of the key, its owner
 * (personal keys), its team and the owner's membership, each with this call's
 * estimated cost reserved; then rpm / tpm / parallel limits. Whatever is taken here is
 * given back exactly once by `release`, on every exit path.
 */
import type { Principal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";
import type { LimitCheck, RateLimiter } from "../limits/index.ts";
import type { BudgetGuard, BudgetLimit, Reservation } from "../spend/budgets.ts";
import type { CostCalculator } from "../spend/prices/index.ts";
import type { Deployment, Usage } from "./types.ts";

export interface Admitted {
  headers: Record<string, string>;
  /** Gives back the reservation and the parallel slot; tokens count against tpm. Idempotent. */
  release(usage: Usage | null): void;
}

export interface AdmissionDeps {
  budgets: BudgetGuard;
  limiter: RateLimiter;
  calculator: CostCalculator;
  /** True for model groups priced at exactly 0, which skip budget checks (API.md §6). */
  isFree: (group: string) => boolean;
}

export function budgetLimitsFor(principal: Principal): BudgetLimit[] {
  const limits: BudgetLimit[] = [];
  const { key, team, user, budgets } = principal;
  if (!key) return limits;
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
      id: `${team.team_id}\u0000${user.user_id}`,
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

export function rateLimitChecksFor(principal: Principal, group: string): LimitCheck[] {
  const { key, team } = principal;
  if (!key) return [];
  const checks: LimitCheck[] = [{ descriptor: "api_key", value: key.token, rpm: key.rpm_limit, tpm: key.tpm_limit, maxParallel: key.max_parallel_requests }];
  if (team) checks.push({ descriptor: "team", value: team.team_id, rpm: team.rpm_limit, tpm: team.tpm_limit, maxParallel: team.max_parallel_requests });
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

export async function admitCall(deps: AdmissionDeps, principal: Principal | null, group: string, deployment: Deployment | undefined, body: Record<string, unknown>): Promise<Admitted> {
  if (!principal) return { headers: {}, release: () => {} };
  let reservation: Reservation = { release: () => {} };
  if (!deps.isFree(group)) {
    const estimate = deployment
      ? deps.calculator.estimate({ deploymentId: deployment.id, model: deployment.model, provider: deployment.provider, modelGroup: group, body }).cost
      : 0;
    reservation = await deps.budgets.admit(budgetLimitsFor(principal), estimate);
  }
  const admission = await deps.limiter.admit(rateLimitChecksFor(principal, group));
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
  };
}
