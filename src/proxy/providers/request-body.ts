/** The request body an OpenAI-compatible upstream receives, derived from the client's. */
import type { Deployment, OpenAIBody } from "../types.ts";

/**
 * Fields that steer the gateway rather than the model. They are never forwarded: some
 * would leak (metadata, tags), and api_key/api_base from a client must never redirect
 * the provider credentials.
 */
const GATEWAY_FIELDS = new Set([
  "metadata",
  "litellm_metadata",
  "fallbacks",
  "context_window_fallbacks",
  "num_retries",
  "timeout",
  "stream_timeout",
  "tags",
  "guardrails",
  "caching",
  "cache",
  "mock_response",
  "mock_testing_fallbacks",
  "api_key",
  "api_base",
  "api_version",
  "base_url",
  "extra_headers",
  "user_api_key",
  "proxy_server_request",
  "drop_params",
]);

/** litellm_params keys the gateway consumes; any other key is a provider param default. */
const DEPLOYMENT_SETTINGS = new Set([
  "model",
  "custom_llm_provider",
  "api_key",
  "api_base",
  "api_version",
  "organization",
  "region_name",
  "rpm",
  "tpm",
  "max_parallel_requests",
  "timeout",
  "stream_timeout",
  "max_retries",
  "input_cost_per_token",
  "output_cost_per_token",
  "input_cost_per_second",
  "output_cost_per_second",
  "cache_creation_input_token_cost",
  "cache_read_input_token_cost",
  "extra_headers",
  "drop_params",
  "additional_drop_params",
  "weight",
  "order",
  "tags",
  "max_budget",
  "budget_duration",
  "litellm_credential_name",
  "use_in_pass_through",
  "merge_reasoning_content_in_choices",
  "mock_response",
]);

/** Provider params set on a deployment (temperature, max_tokens, …), computed once per deployment. */
const defaultsByDeployment = new WeakMap<Deployment, Record<string, unknown>>();

function providerDefaults(deployment: Deployment): Record<string, unknown> {
  let defaults = defaultsByDeployment.get(deployment);
  if (!defaults) {
    defaults = Object.fromEntries(Object.entries(deployment.params).filter(([key, value]) => !DEPLOYMENT_SETTINGS.has(key) && value !== undefined));
    defaultsByDeployment.set(deployment, defaults);
  }
  return defaults;
}

export function requestBodyFor(body: OpenAIBody, deployment: Deployment, options: { dropParams: boolean; unsupported: readonly string[] }): Record<string, unknown> {
  // The deployment's provider params are defaults the client may override.
  const out: Record<string, unknown> = { ...providerDefaults(deployment) };
  for (const [key, value] of Object.entries(body)) {
    if (!GATEWAY_FIELDS.has(key) && value !== undefined) out[key] = value;
  }
  for (const key of deployment.params.additional_drop_params ?? []) delete out[key];
  if (options.dropParams) for (const key of options.unsupported) delete out[key];
  return out;
}
