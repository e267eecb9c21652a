/**
 * The one place a settled call becomes money. Built once at start-up from the price map
 * and the deployments; `cost()` is synchronous and allocation-light, fit for the hot path.
 *
 * Price resolution for a call, first hit wins:
 * 1. the deployment's own prices (`litellm_params` price fields, `model_info`
 *    input/output prices), registered under its id (`SettledCall.model_id`);
 * 2. the price map (lookup.ts): an entry keyed by the deployment id, then
 *    `model_info.base_model`, then the model the deployment called.
 * A deployment that sets any price gets exactly the prices it sets (missing cache prices
 * fall back to its input price, a missing output price is 0, no tiers) — it does not mix
 * its prices with the map's public ones.
 */
import type { Deployment } from "../../proxy/types.ts";
import type { SettledCall } from "../settlement.ts";
import { computeCost } from "./cost.ts";
import { estimateCost, type EstimateRequest } from "./estimate.ts";
import { lookupPrice } from "./lookup.ts";
import { numberField, PRICE_FIELDS, type PriceEntry, type PriceMap, type PriceMatch } from "./types.ts";

export interface CostCalculatorOptions {
  priceMap: PriceMap;
  deployments: readonly Deployment[];
  /** Told once per model that has no price (its calls are recorded at cost 0). */
  warn: (message: string) => void;
}

export interface CostResult {
  /** USD. 0 when unpriced. */
  cost: number;
  /** False when no price applied to the model. */
  priced: boolean;
}

/** What a price is looked up for: a deployment (by id) or a bare provider model. */
export interface PriceTarget {
  deploymentId?: string | null;
  /** The provider model id; a wildcard (`*`, `openai/*`) is replaced by `modelGroup`. */
  model: string | null;
  provider?: string | null;
  /** The model group the client asked for; names the model when the deployment is a wildcard. */
  modelGroup?: string | null;
}

export interface CostCalculator {
  /** The cost of a finished call, success or failure. Warns once per unpriced model. */
  cost(call: SettledCall): CostResult;
  /** The price that applies to a deployment or model, or null. */
  priceFor(target: PriceTarget): PriceMatch | null;
  /** The worst-case cost of a request about to be sent (estimate.ts); 0 and unpriced when no price applies. */
  estimate(target: PriceTarget & EstimateRequest): CostResult;
}

interface Registered {
  deployment: Deployment;
  /** The deployment's own prices, or null when it leaves pricing to the map. */
  own: PriceMatch | null;
}

const PRICE_MEMO_ENTRIES = 10_000;

export function createCostCalculator(options: CostCalculatorOptions): CostCalculator {
  const { priceMap, warn } = options;
  const byId = new Map<string, Registered>();
  for (const deployment of options.deployments) byId.set(deployment.id, { deployment, own: ownPrices(deployment) });
  const warned = new Set<string>();

  const mapPrice = (target: PriceTarget, registered: Registered | undefined): PriceMatch | null => {
    const model = effectiveModel(target);
    if (model === null) return null;
    return lookupPrice(priceMap, {
      model,
      provider: target.provider ?? registered?.deployment.provider ?? null,
      deploymentId: target.deploymentId ?? null,
      baseModel: registered?.deployment.modelInfo.base_model ?? null,
    });
  };

  // Prices never change after start-up, so a lookup (name candidates tried against the
  // map) is done once per target; every call on the request path asks again. Wildcard
  // deployments let clients name any model, so the memo is bounded.
  const memo = new Map<string, PriceMatch | null>();
  const priceFor = (target: PriceTarget): PriceMatch | null => {
    const key = `${target.deploymentId ?? ""}\u0000${target.model ?? ""}\u0000${target.provider ?? ""}\u0000${target.modelGroup ?? ""}`;
    let match = memo.get(key);
    if (match === undefined) {
      const registered = target.deploymentId ? byId.get(target.deploymentId) : undefined;
      match = registered?.own ?? mapPrice(target, registered);
      if (memo.size >= PRICE_MEMO_ENTRIES) memo.clear();
      memo.set(key, match);
    }
    return match;
  };

  return {
    priceFor,

    cost(call) {
      const target: PriceTarget = { deploymentId: call.model_id, model: call.model, provider: call.provider, modelGroup: call.model_group };
      const model = effectiveModel(target);
      if (model === null) return { cost: 0, priced: false };
      const match = priceFor(target);
      if (match === null) {
        const label = call.provider ? `${call.provider}/${model}` : model;
        if (!warned.has(label.toLowerCase())) {
          warned.add(label.toLowerCase());
          warn(
            `Cost tracking failed for model=${label}: this model isn't mapped yet, so its calls are recorded at cost 0. ` +
              "Set litellm_params.input_cost_per_token/output_cost_per_token or model_info.base_model, or add it to a price file (LITELLM_MODEL_COST_MAP_PATH).",
          );
        }
        return { cost: 0, priced: false };
      }
      const durationSeconds = Math.max(0, (call.end_time.getTime() - call.start_time.getTime()) / 1000);
      return { cost: computeCost(match.price, call, { durationSeconds, embedding: call.call_type === "aembedding" }), priced: true };
    },

    estimate(target) {
      const match = priceFor(target);
      if (match === null) return { cost: 0, priced: false };
      const registered = target.deploymentId ? byId.get(target.deploymentId) : undefined;
      const modelMaxOutputTokens =
        registered?.deployment.modelInfo.max_output_tokens ??
        numberField(match.price, "max_output_tokens") ??
        (registered?.own ? numberField(mapPrice(target, registered)?.price ?? {}, "max_output_tokens") : undefined);
      return { cost: estimateCost(match.price, { ...target, modelMaxOutputTokens }), priced: true };
    },
  };
}

/** The model to price: the called model, or the requested group when the deployment is a wildcard. */
function effectiveModel(target: PriceTarget): string | null {
  const model = target.model;
  if (model === null || model === "") return null;
  if (model === "*" || model.endsWith("/*")) return target.modelGroup || null;
  return model;
}

/** The deployment's configured prices as a price entry keyed by its id, or null when it sets none. */
export function ownPrices(deployment: Deployment): PriceMatch | null {
  const params = deployment.params as Readonly<Record<string, unknown>>;
  const info = deployment.modelInfo as Readonly<Record<string, unknown>>;
  const prices: Record<string, number> = {};
  for (const field of PRICE_FIELDS) {
    const value = numberOf(params[field]) ?? (field === "input_cost_per_token" || field === "output_cost_per_token" ? numberOf(info[field]) : undefined);
    if (value !== undefined) prices[field] = value;
  }
  if (Object.keys(prices).length === 0) return null;
  const price: PriceEntry = {
    litellm_provider: deployment.provider,
    ...(deployment.modelInfo.mode === undefined ? {} : { mode: deployment.modelInfo.mode }),
    ...(deployment.modelInfo.max_input_tokens === undefined ? {} : { max_input_tokens: deployment.modelInfo.max_input_tokens }),
    ...(deployment.modelInfo.max_output_tokens === undefined ? {} : { max_output_tokens: deployment.modelInfo.max_output_tokens }),
    ...prices,
  };
  return { key: deployment.id, price };
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}
