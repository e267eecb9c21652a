/**
 * Shapes shared by the proxy: deployments, the provider adapter contract, token usage.
 * Bodies on the client side are OpenAI's wire format; adapters translate to and from
 * each provider's.
 */
import type { LitellmParams, ModelInfo } from "../config/index.ts";

/** The OpenAI endpoints tollgate proxies. */
export type Endpoint = "chat" | "completion" | "embedding";

/** A parsed OpenAI request body (chat, legacy completion or embeddings). */
export type OpenAIBody = Record<string, unknown> & { model?: unknown; stream?: unknown };

/** One `model_list` entry, resolved once at start-up. */
export interface Deployment {
  /** `model_info.id`, or a stable hash of the entry when absent. */
  readonly id: string;
  /** Public model name = the model group this deployment serves. */
  readonly modelName: string;
  /** Provider prefix: `openai`, `azure`, `anthropic`, `groq`, … */
  readonly provider: string;
  /** Model id sent to the provider (`litellm_params.model` without the prefix); `*` for a wildcard. */
  readonly model: string;
  /** Base URL of the provider API, without a trailing slash. */
  readonly apiBase: string;
  /** Secret: never logged, never returned to a client. */
  readonly apiKey: string | null;
  readonly apiVersion: string | null;
  readonly params: Readonly<LitellmParams>;
  readonly modelInfo: Readonly<ModelInfo>;
}

/** Token counts of one call, in OpenAI's terms. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Prompt tokens read from the provider's prompt cache (billed at the cache-read price). */
  cached_tokens: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic). */
  cache_creation_tokens: number;
  reasoning_tokens: number;
}

/** An HTTP request to send upstream. */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A client-facing error derived from an upstream failure. */
export interface UpstreamError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** What a streaming translation reports back while the bytes flow. */
export interface StreamObserver {
  /** Called once, with the usage the upstream reported (if it did). */
  usage(usage: Usage): void;
  /** Generated text, for counting tokens when the upstream reports no usage. */
  text(fragment: string): void;
  /** The upstream reported an error inside the stream. */
  error(error: UpstreamError): void;
}

export interface BuildOptions {
  stream: boolean;
  /** Drop request params the provider does not accept (`drop_params`). */
  dropParams: boolean;
}

/**
 * One provider family. Each function is small and pure so it can be tested against
 * recorded wire fixtures in both directions.
 */
export interface ProviderAdapter {
  readonly name: string;
  supports(endpoint: Endpoint): boolean;
  /** The upstream request for an OpenAI-shaped client body. */
  buildRequest(endpoint: Endpoint, body: OpenAIBody, deployment: Deployment, options: BuildOptions): UpstreamRequest;
  /** A successful upstream body turned into the OpenAI body the client receives, and its usage. */
  parseResponse(endpoint: Endpoint, upstreamBody: string, deployment: Deployment): { body: string; usage: Usage | null };
  /**
   * Upstream SSE bytes → OpenAI SSE bytes (`data: {...}\n\n` … `data: [DONE]\n\n`).
   * `includeUsage` says whether the client asked for the usage chunk.
   */
  streamTransformer(endpoint: Endpoint, deployment: Deployment, observer: StreamObserver, includeUsage: boolean): TransformStream<Uint8Array, Uint8Array>;
  /** An upstream error response as an OpenAI-style error. */
  parseError(status: number, upstreamBody: string): UpstreamError;
}

export const emptyUsage = (): Usage => ({
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  cached_tokens: 0,
  cache_creation_tokens: 0,
  reasoning_tokens: 0,
});
