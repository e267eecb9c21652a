/**
 * Choosing one deployment of a model group, by `router_settings.routing_strategy`.
 *
 * First the usable deployments are kept: not cooling down, under their `rpm` / `tpm` for
 * the current minute and under `max_parallel_requests`. Then, when `params.order` is set
 * on any of them, only the lowest order remains (LiteLLM drops unordered ones too). The
 * strategy picks among what is left. Randomness is injected; the clock is the tracker's.
 */
import type { RoutingStrategy } from "../../config/index.ts";
import type { Deployment } from "../types.ts";
import type { HealthTracker } from "./health.ts";

export interface SelectOptions {
  health: HealthTracker;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Default `simple-shuffle`. */
  strategy?: RoutingStrategy;
  /** `router_settings.routing_strategy_args`, e.g. `{lowest_latency_buffer: 0.1}`. */
  strategyArgs?: Readonly<Record<string, unknown>>;
  /** Ids already tried by this request: picked again only when nothing else is usable. */
  avoid?: ReadonlySet<string>;
  /** `router_settings.default_max_parallel_requests`, for deployments without their own. */
  defaultMaxParallelRequests?: number;
  /** Told when a strategy is not implemented and simple-shuffle is used instead. */
  warn?: (message: string) => void;
}

export type Selection =
  | { readonly deployment: Deployment }
  | {
      readonly deployment: null;
      /** Time until the first cooling-down deployment is back; null when none is cooling down. */
      readonly cooldownRemainingMs: number | null;
      readonly cooldownList: readonly string[];
    };

/** A deployment that is not cooling down and under all of its limits. */
const isUsable = (deployment: Deployment, options: SelectOptions): boolean => {
  const state = options.health.get(deployment.id);
  if (state.cooldownRemainingMs > 0) return false;
  const { rpm, tpm } = deployment.params;
  if (rpm !== undefined && state.requests >= rpm) return false;
  if (tpm !== undefined && state.tokens >= tpm) return false;
  const parallel = deployment.params.max_parallel_requests ?? options.defaultMaxParallelRequests;
  return parallel === undefined || state.inFlight < parallel;
};

const lowestOrder = (deployments: readonly Deployment[]): readonly Deployment[] => {
  const orders = deployments.map((d) => d.params.order).filter((o): o is number => o !== undefined);
  if (orders.length === 0) return deployments;
  const min = Math.min(...orders);
  return deployments.filter((d) => d.params.order === min);
};

const pickUniform = <T>(items: readonly T[], random: () => number): T => {
  const index = Math.min(items.length - 1, Math.floor(random() * items.length));
  return items[index] as T;
};

/** Weighted by `weight`, else `rpm`, else `tpm`, else uniform; a missing value weighs 0. */
export const simpleShuffle = (deployments: readonly Deployment[], random: () => number): Deployment => {
  const key = (["weight", "rpm", "tpm"] as const).find((k) => deployments.some((d) => d.params[k] !== undefined));
  if (key === undefined) return pickUniform(deployments, random);
  const weights = deployments.map((d) => Math.max(0, d.params[key] ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return pickUniform(deployments, random);
  let point = random() * total;
  for (const [i, d] of deployments.entries()) {
    point -= weights[i] ?? 0;
    if (point < 0) return d;
  }
  return deployments.findLast((_, i) => (weights[i] ?? 0) > 0) ?? pickUniform(deployments, random);
};

/** The deployments with the smallest `score`, one picked at random. */
const pickLowest = (deployments: readonly Deployment[], score: (d: Deployment) => number, random: () => number): Deployment => {
  const scores = deployments.map(score);
  const min = Math.min(...scores);
  return pickUniform(deployments.filter((_, i) => scores[i] === min), random);
};

const latencyBased = (deployments: readonly Deployment[], options: SelectOptions): Deployment => {
  const latency = new Map(deployments.map((d) => [d, options.health.get(d.id).latencyMs]));
  const untried = deployments.filter((d) => latency.get(d) === null);
  if (untried.length > 0) return pickUniform(untried, options.random);
  const rawBuffer = options.strategyArgs?.["lowest_latency_buffer"];
  const buffer = typeof rawBuffer === "number" && rawBuffer > 0 ? rawBuffer : 0;
  const best = Math.min(...deployments.map((d) => latency.get(d) ?? Infinity));
  const eligible = deployments.filter((d) => (latency.get(d) ?? Infinity) <= best * (1 + buffer));
  return pickUniform(eligible, options.random);
};

const pickByStrategy = (deployments: readonly Deployment[], options: SelectOptions): Deployment => {
  const strategy = options.strategy ?? "simple-shuffle";
  switch (strategy) {
    case "simple-shuffle":
      return simpleShuffle(deployments, options.random);
    case "least-busy":
      return pickLowest(deployments, (d) => options.health.get(d.id).inFlight, options.random);
    case "latency-based-routing":
      return latencyBased(deployments, options);
    case "usage-based-routing":
    case "usage-based-routing-v2":
      return pickLowest(deployments, (d) => options.health.get(d.id).tokens, options.random);
    case "cost-based-routing":
    case "provider-budget-routing":
      options.warn?.(`routing_strategy "${strategy}" is not implemented yet; using simple-shuffle`);
      return simpleShuffle(deployments, options.random);
  }
};

/** One deployment of the group to call now, or why there is none. */
export const selectDeployment = (deployments: readonly Deployment[], options: SelectOptions): Selection => {
  const usable = deployments.filter((d) => isUsable(d, options));
  if (usable.length === 0) {
    const cooling = deployments
      .map((d) => ({ id: d.id, remaining: options.health.cooldownRemainingMs(d.id) }))
      .filter((c) => c.remaining > 0);
    return {
      deployment: null,
      cooldownRemainingMs: cooling.length === 0 ? null : Math.min(...cooling.map((c) => c.remaining)),
      cooldownList: cooling.map((c) => c.id),
    };
  }
  const fresh = options.avoid === undefined ? usable : usable.filter((d) => !options.avoid?.has(d.id));
  const candidates = lowestOrder(fresh.length > 0 ? fresh : usable);
  return { deployment: pickByStrategy(candidates, options) };
};
