/** One `model_list` entry: a deployment of a model group. */
import { Type } from "@sinclair/typebox";
import { bool, count, open, seconds, section, str, strList, strMap, usd } from "./fields.ts";

/**
 * `litellm_params`: how to call the provider. Open, because LiteLLM forwards any extra
 * key to the provider call (top_p, seed, aws_*, vertex_*, …); the keys the gateway itself
 * reads are typed here.
 */
export const LitellmParamsSchema = open({
  /** `<provider>/<provider model id>`, e.g. `openai/gpt-4o`; `openai/*` is a wildcard. */
  model: Type.String({ minLength: 1 }),
  custom_llm_provider: str,
  api_key: str,
  api_base: str,
  api_version: str,
  organization: str,
  region_name: str,
  /** Deployment limits used by the router (requests / tokens per minute). */
  rpm: count,
  tpm: count,
  max_parallel_requests: count,
  timeout: seconds,
  stream_timeout: seconds,
  max_retries: count,
  /** Price overrides in USD; they win over the price map. */
  input_cost_per_token: usd,
  output_cost_per_token: usd,
  input_cost_per_second: usd,
  output_cost_per_second: usd,
  cache_creation_input_token_cost: usd,
  cache_read_input_token_cost: usd,
  extra_headers: strMap,
  drop_params: bool,
  additional_drop_params: strList,
  /** Relative share of traffic within the model group under simple-shuffle. */
  weight: Type.Optional(Type.Number({ minimum: 0 })),
  /** Lower is tried first when deployments of a group have different `order`. */
  order: Type.Optional(Type.Integer({ minimum: 1 })),
  tags: strList,
  max_budget: usd,
  budget_duration: str,
  litellm_credential_name: str,
  use_in_pass_through: bool,
  merge_reasoning_content_in_choices: bool,
  mock_response: Type.Optional(Type.Unknown()),
});

/** `model_info`: metadata about the deployment. Open, as LiteLLM stores whatever is given. */
export const ModelInfoSchema = open({
  /** Stable deployment id; generated when absent. */
  id: str,
  /** Groups usable as entries in a key's or team's `models`. */
  access_groups: strList,
  /** Price-map key for deployments whose model name is not in the price map. */
  base_model: str,
  /** chat | completion | embedding | image_generation | audio_transcription | rerank | … */
  mode: str,
  max_tokens: count,
  max_input_tokens: count,
  max_output_tokens: count,
  input_cost_per_token: usd,
  output_cost_per_token: usd,
  supports_function_calling: bool,
  supports_vision: bool,
  team_id: str,
  db_model: bool,
});

export const ModelDeploymentSchema = section({
  /** Public name = model group; several entries with one name are load-balanced. */
  model_name: Type.String({ minLength: 1 }),
  litellm_params: LitellmParamsSchema,
  model_info: Type.Optional(ModelInfoSchema),
});
