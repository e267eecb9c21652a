/**
 * Azure OpenAI: OpenAI's wire format, routed by deployment name in the URL
 * (`{api_base}/openai/deployments/{deployment}/chat/completions?api-version=…`) and
 * authenticated with an `api-key` header.
 */
import type { Deployment, Endpoint } from "../types.ts";
import { createOpenAICompatible, upstreamModel } from "./openai-compatible.ts";

/** Used when neither the deployment nor AZURE_API_VERSION names one. */
export const DEFAULT_AZURE_API_VERSION = "2024-10-21";

const PATHS: Record<Endpoint, string> = { chat: "chat/completions", completion: "completions", embedding: "embeddings" };

export const azureAdapter = createOpenAICompatible({
  name: "azure",
  url: (endpoint: Endpoint, d: Deployment) =>
    `${d.apiBase}/openai/deployments/${encodeURIComponent(d.model)}/${PATHS[endpoint]}?api-version=${encodeURIComponent(d.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`,
  authHeaders: (d): Record<string, string> => (d.apiKey ? { "api-key": d.apiKey } : {}),
  bodyModel: upstreamModel,
});
