/**
 * Free models (API.md §6, last line): a model whose configured input and output prices
 * are both explicitly 0 skips budget checks — the operator has said calls to it cost
 * nothing, so no budget can be spent by it.
 */
import type { Deployment } from "../../proxy/types.ts";

type Priced = Pick<Deployment, "params" | "modelInfo">;

/** A configured price: `litellm_params` first, then `model_info` (as /model/info reports it). */
function configured(deployment: Priced, field: "input_cost_per_token" | "output_cost_per_token"): number | undefined {
  return deployment.params[field] ?? deployment.modelInfo[field];
}

/**
 * True when the deployment's `input_cost_per_token` and `output_cost_per_token` are both
 * set to 0 and it has no positive per-second price. An unpriced deployment (prices left
 * to the map) is never free: its cost is unknown, not zero.
 */
export function isFreeDeployment(deployment: Priced): boolean {
  if (configured(deployment, "input_cost_per_token") !== 0 || configured(deployment, "output_cost_per_token") !== 0) return false;
  return !((deployment.params.input_cost_per_second ?? 0) > 0 || (deployment.params.output_cost_per_second ?? 0) > 0);
}

/** True when a model group has deployments and every one of them is free. */
export function isFreeModel(deployments: readonly Priced[]): boolean {
  return deployments.length > 0 && deployments.every(isFreeDeployment);
}
