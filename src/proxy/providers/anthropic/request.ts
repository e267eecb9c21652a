/**
 * An OpenAI chat body → `POST {apiBase}/v1/messages`.
 *
 * Anthropic rejects fields it does not know, so OpenAI-only params are always dropped
 * (whatever `drop_params` says). Params with no OpenAI meaning (`top_k`, `thinking`, …)
 * pass through; with `drop_params`, unknown params are dropped too.
 */
import type { BuildOptions, Deployment, OpenAIBody, UpstreamRequest } from "../../types.ts";
import { upstreamModel } from "../openai-compatible.ts";
import { requestBodyFor } from "../request-body.ts";
import { translateMessages } from "./messages.ts";
import { translateToolChoice, translateTools } from "./tools.ts";
import type { JsonObject } from "./wire.ts";

export const ANTHROPIC_VERSION = "2023-06-01";
export const DEFAULT_API_BASE = "https://api.anthropic.com";
/** Anthropic requires `max_tokens`; LiteLLM's default when the client sends none. */
export const DEFAULT_MAX_TOKENS = 4096;

/** OpenAI params with no Anthropic counterpart. */
const OPENAI_ONLY = new Set([
  "n",
  "logprobs",
  "top_logprobs",
  "presence_penalty",
  "frequency_penalty",
  "seed",
  "logit_bias",
  "stream_options",
  "response_format",
  "reasoning_effort",
  "modalities",
  "audio",
  "prediction",
  "store",
  "web_search_options",
  "verbosity",
  "functions",
  "function_call",
  "prompt_cache_key",
  "safety_identifier",
]);

/** OpenAI params translated below rather than copied. */
const TRANSLATED = new Set(["model", "messages", "stream", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "tools", "tool_choice", "parallel_tool_calls", "user", "service_tier"]);

/** Anthropic's own params: kept even under drop_params. */
const ANTHROPIC_NATIVE = new Set(["top_k", "thinking", "container", "mcp_servers", "context_management"]);

export function messagesUrl(apiBase: string): string {
  const base = (apiBase || DEFAULT_API_BASE).replace(/\/+$/, "").replace(/\/v1$/, "");
  return `${base}/v1/messages`;
}

export function buildAnthropicRequest(body: OpenAIBody, deployment: Deployment, options: BuildOptions): UpstreamRequest {
  return {
    url: messagesUrl(deployment.apiBase),
    headers: {
      "content-type": "application/json",
      "anthropic-version": ANTHROPIC_VERSION,
      ...(deployment.apiKey ? { "x-api-key": deployment.apiKey } : {}),
      ...(deployment.params.extra_headers ?? {}),
    },
    body: JSON.stringify(anthropicBody(body, deployment, options)),
  };
}

/** The Messages API body. Deployment params are defaults the client's body overrides. */
export function anthropicBody(body: OpenAIBody, deployment: Deployment, options: BuildOptions): JsonObject {
  const merged = requestBodyFor(body, deployment, { dropParams: false, unsupported: [] });
  const { system, messages } = translateMessages(merged.messages);
  const out: JsonObject = { model: upstreamModel(deployment, String(body.model ?? "")) };
  if (system !== undefined) out.system = system;
  out.messages = messages;
  // The client's own limit wins over a deployment default, whichever name either used.
  out.max_tokens = firstNumber(body.max_tokens, body.max_completion_tokens, merged.max_tokens, merged.max_completion_tokens) ?? DEFAULT_MAX_TOKENS;
  if (typeof merged.temperature === "number") out.temperature = merged.temperature;
  if (typeof merged.top_p === "number") out.top_p = merged.top_p;
  const stop = stopSequences(merged.stop);
  if (stop) out.stop_sequences = stop;
  const tools = translateTools(merged.tools);
  if (tools) {
    out.tools = tools;
    const choice = translateToolChoice(merged.tool_choice, merged.parallel_tool_calls);
    if (choice) out.tool_choice = choice;
  }
  if (typeof merged.user === "string" && merged.user !== "") out.metadata = { user_id: merged.user };
  if (merged.service_tier === "auto" || merged.service_tier === "standard_only") out.service_tier = merged.service_tier;
  for (const [key, value] of Object.entries(merged)) {
    if (TRANSLATED.has(key) || OPENAI_ONLY.has(key) || key in out) continue;
    if (options.dropParams && !ANTHROPIC_NATIVE.has(key)) continue;
    out[key] = value;
  }
  if (options.stream) out.stream = true;
  return out;
}

function firstNumber(...values: unknown[]): number | undefined {
  return values.find((value): value is number => typeof value === "number");
}

function stopSequences(stop: unknown): string[] | undefined {
  const list = typeof stop === "string" ? [stop] : Array.isArray(stop) ? stop.filter((s): s is string => typeof s === "string") : [];
  const nonEmpty = list.filter((s) => s !== "");
  return nonEmpty.length > 0 ? nonEmpty : undefined;
}
