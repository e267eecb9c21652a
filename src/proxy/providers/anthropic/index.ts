/**
 * Anthropic's Messages API behind OpenAI's chat completions. Chat only: Anthropic
 * has no legacy completions or embeddings endpoint.
 */
import type { ProviderAdapter } from "../../types.ts";
import { parseAnthropicError } from "./errors.ts";
import { buildAnthropicRequest } from "./request.ts";
import { toChatCompletion } from "./response.ts";
import { anthropicStreamTransformer } from "./stream.ts";

export const anthropicAdapter: ProviderAdapter = {
  name: "anthropic",
  supports: (endpoint) => endpoint === "chat",
  buildRequest: (_endpoint, body, deployment, options) => buildAnthropicRequest(body, deployment, options),
  parseResponse: (_endpoint, upstreamBody) => toChatCompletion(upstreamBody, Date.now()),
  streamTransformer: (_endpoint, deployment, observer, includeUsage) => anthropicStreamTransformer({ observer, includeUsage, model: deployment.model }),
  parseError: parseAnthropicError,
};
