/**
 * `/spend/calculate` (LiteLLM's `calculate_spend`): what a call costs, priced exactly
 * as the ledger would price it (same calculator, same deployment prices).
 *
 * - `{model, messages}`: the prompt alone, as LiteLLM's `completion_cost(model,
 *   messages)` — prompt tokens counted with the o200k tokenizer and OpenAI's message
 *   framing, no completion tokens. `model` is a model group of this proxy (priced as
 *   its first deployment) or else a model of the price map.
 * - `{completion_response}`: an OpenAI-shaped response; its `usage` priced for its `model`.
 *
 * A model with no price is a 400 (LiteLLM raises too), never a silent 0.
 */
import type { Principal } from "../../auth/principal.ts";
import { badRequest } from "../../errors.ts";
import { countPromptTokens } from "../../proxy/tokenizer.ts";
import type { Deployment, Usage } from "../../proxy/types.ts";
import { emptyUsage } from "../../proxy/types.ts";
import { usageFromOpenAI } from "../../proxy/usage.ts";
import type { CostCalculator, PriceTarget } from "../../spend/prices/index.ts";
import { type CallType, type SettledCall, settledCall } from "../../spend/settlement.ts";
import type { CalculateRequest } from "./model.ts";

export interface SpendCalculationOptions {
  calculator: Pick<CostCalculator, "cost" | "priceFor">;
  /** The config's model groups: `model_name` → its deployments. */
  deployments: ReadonlyMap<string, readonly Deployment[]>;
  /** Prompt tokens of a chat body; default: the o200k tokenizer with OpenAI's framing. */
  countPromptTokens?: (body: Record<string, unknown>) => Promise<number>;
}

const CALL_TYPES: Record<string, CallType> = { list: "aembedding", text_completion: "atext_completion" };

export function createSpendCalculation(options: SpendCalculationOptions) {
  const { calculator } = options;
  const count = options.countPromptTokens ?? countPromptTokens;

  function targetOf(model: string): PriceTarget {
    const deployment = options.deployments.get(model)?.[0];
    return deployment ? { deploymentId: deployment.id, model: deployment.model, provider: deployment.provider, modelGroup: model } : { model, modelGroup: model };
  }

  function price(model: string, usage: Usage, callType: CallType, param: string): number {
    const target = targetOf(model);
    if (calculator.priceFor(target) === null) {
      throw badRequest(
        `Cost tracking failed for model=${model}: this model isn't mapped yet. Set litellm_params.input_cost_per_token/output_cost_per_token on its deployment, or add it to a price file (LITELLM_MODEL_COST_MAP_PATH).`,
        param,
      );
    }
    return calculator.cost(callFor(target, usage, callType)).cost;
  }

  return {
    async calculate(_principal: Principal, req: CalculateRequest): Promise<{ cost: number }> {
      if (req.model != null) {
        if (req.messages == null) throw badRequest("Bad Request - messages must be provided if 'model' is provided", "messages");
        const promptTokens = await count({ messages: req.messages });
        return { cost: price(req.model, { ...emptyUsage(), prompt_tokens: promptTokens, total_tokens: promptTokens }, "acompletion", "model") };
      }
      if (req.completion_response != null) {
        const response = req.completion_response;
        const model = typeof response.model === "string" && response.model !== "" ? response.model : null;
        if (model === null) throw badRequest("completion_response.model is required: it names the model to price.", "completion_response.model");
        const usage = usageFromOpenAI(response.usage);
        if (usage === null) throw badRequest("completion_response.usage is required: the token counts to price.", "completion_response.usage");
        const callType = (typeof response.object === "string" && CALL_TYPES[response.object]) || "acompletion";
        return { cost: price(model, usage, callType, "completion_response.model") };
      }
      throw badRequest("Bad Request - Either 'model' or 'completion_response' must be provided", "model");
    },
  };
}

/** The settled call the calculator prices: these token counts on that target, taking no time. */
function callFor(target: PriceTarget, usage: Usage, callType: CallType): SettledCall {
  return settledCall({
    call_id: "spend-calculate",
    call_type: callType,
    model_group: target.modelGroup ?? target.model ?? "",
    model: target.model,
    model_id: target.deploymentId ?? null,
    provider: target.provider ?? null,
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    cached_tokens: usage.cached_tokens,
    cache_creation_tokens: usage.cache_creation_tokens,
    reasoning_tokens: usage.reasoning_tokens,
  });
}
