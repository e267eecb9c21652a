/**
 * The shared base for every provider that speaks OpenAI's wire format. A provider is
 * configuration on this base (see registry.ts): its default api_base, the env var
 * holding its key, the params it rejects, how it authenticates.
 *
 * Responses and streams pass through untouched except where the gateway must act:
 * usage is read (requested from the upstream even when the client did not ask, and
 * the extra usage chunk removed again), and a stream always ends with `[DONE]`.
 */
import { SSE_DONE, SseParser, sseData, sseError, TRUNCATED_STREAM } from "../sse.ts";
import type { BuildOptions, Deployment, Endpoint, OpenAIBody, ProviderAdapter, StreamObserver, UpstreamError, UpstreamRequest } from "../types.ts";
import { usageFromBody, usageFromOpenAI } from "../usage.ts";
import { requestBodyFor } from "./request-body.ts";

export interface OpenAICompatibleSpec {
  name: string;
  /** Default base URL when the deployment sets no api_base. */
  defaultApiBase?: string;
  /** Request params this provider rejects; dropped when drop_params is on. */
  unsupportedParams?: readonly string[];
  /** Endpoints the provider serves (default: all three). */
  endpoints?: readonly Endpoint[];
  /** URL of an endpoint (default: `${apiBase}/chat/completions` etc.). */
  url?: (endpoint: Endpoint, deployment: Deployment) => string;
  /** Auth headers (default: `Authorization: Bearer <api_key>`). */
  authHeaders?: (deployment: Deployment) => Record<string, string>;
  /** The model id in the body (default: the deployment's model). Azure routes by URL instead. */
  bodyModel?: (deployment: Deployment, requested: string) => string | undefined;
}

const PATHS: Record<Endpoint, string> = { chat: "/chat/completions", completion: "/completions", embedding: "/embeddings" };

export const bearerAuth = (deployment: Deployment): Record<string, string> =>
  deployment.apiKey ? { authorization: `Bearer ${deployment.apiKey}` } : {};

/** The model to ask the upstream for: a wildcard deployment passes the requested one through. */
export function upstreamModel(deployment: Deployment, requested: string): string {
  if (deployment.model !== "*" && !deployment.model.endsWith("/*")) return deployment.model;
  const prefix = `${deployment.provider}/`;
  return requested.startsWith(prefix) ? requested.slice(prefix.length) : requested;
}

export function createOpenAICompatible(spec: OpenAICompatibleSpec): ProviderAdapter {
  const endpoints = new Set(spec.endpoints ?? ["chat", "completion", "embedding"]);
  const url = spec.url ?? ((endpoint: Endpoint, d: Deployment) => d.apiBase + PATHS[endpoint]);
  const authHeaders = spec.authHeaders ?? bearerAuth;
  const bodyModel = spec.bodyModel ?? upstreamModel;

  return {
    name: spec.name,
    supports: (endpoint) => endpoints.has(endpoint),

    buildRequest(endpoint: Endpoint, body: OpenAIBody, deployment: Deployment, options: BuildOptions): UpstreamRequest {
      const out = requestBodyFor(body, deployment, { dropParams: options.dropParams, unsupported: spec.unsupportedParams ?? [] });
      const model = bodyModel(deployment, String(body.model ?? ""));
      if (model === undefined) delete out.model;
      else out.model = model;
      if (options.stream && endpoint !== "embedding") {
        out.stream = true;
        // Ask for usage so spend is exact; the chunk is removed again unless the client asked.
        out.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
      }
      return {
        url: url(endpoint, deployment),
        headers: { "content-type": "application/json", ...authHeaders(deployment), ...extraHeaders(deployment) },
        body: JSON.stringify(out),
      };
    },

    parseResponse(_endpoint, upstreamBody) {
      return { body: upstreamBody, usage: usageFromBody(upstreamBody) };
    },

    streamTransformer(_endpoint, _deployment, observer, includeUsage) {
      return openAIStreamRelay(observer, includeUsage);
    },

    parseError: parseOpenAIError,
  };
}

function extraHeaders(deployment: Deployment): Record<string, string> {
  const headers = deployment.params.extra_headers;
  return headers ? { ...headers } : {};
}

/** OpenAI's `{"error": {message, type, param, code}}`, or whatever text the upstream sent. */
export function parseOpenAIError(status: number, upstreamBody: string): UpstreamError {
  try {
    const parsed = JSON.parse(upstreamBody) as Record<string, unknown>;
    const err = (typeof parsed.error === "object" && parsed.error !== null ? parsed.error : parsed) as Record<string, unknown>;
    const message = typeof err.message === "string" ? err.message : typeof parsed.error === "string" ? parsed.error : upstreamBody;
    return {
      message,
      type: typeof err.type === "string" ? err.type : statusType(status),
      param: typeof err.param === "string" ? err.param : null,
      code: err.code === undefined || err.code === null ? null : String(err.code),
    };
  } catch {
    return { message: upstreamBody.slice(0, 2000) || `upstream answered ${status}`, type: statusType(status), param: null, code: null };
  }
}

export function statusType(status: number): string {
  if (status === 429) return "rate_limit_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

/**
 * Relays OpenAI SSE event by event. Only events that carry a usage object or an
 * error are parsed; the rest pass as they came. Content is read only at the end,
 * and only when the upstream never reported usage (to count tokens locally).
 */
export function openAIStreamRelay(observer: StreamObserver, includeUsage: boolean): TransformStream<Uint8Array, Uint8Array> {
  const parser = new SseParser();
  const seen: string[] = [];
  let sawUsage = false;
  let sawDone = false;

  const handle = (data: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    if (data === SSE_DONE) {
      sawDone = true; // emitted once, in flush
      return;
    }
    if (data.includes('"usage":{') || data.includes('"error"')) {
      let chunk: Record<string, unknown> | null = null;
      try {
        chunk = JSON.parse(data) as Record<string, unknown>;
      } catch {}
      if (chunk?.error) observer.error(parseOpenAIError(500, data));
      const usage = chunk ? usageFromOpenAI(chunk.usage) : null;
      if (usage) {
        sawUsage = true;
        observer.usage(usage);
        const choices = chunk?.choices;
        if (!includeUsage && Array.isArray(choices) && choices.length === 0) return; // the usage-only chunk we asked for
      }
    } else if (!sawUsage) {
      seen.push(data);
    }
    controller.enqueue(sseData(data));
  };

  return new TransformStream({
    transform(chunk, controller) {
      for (const event of parser.push(chunk)) handle(event.data, controller);
    },
    flush(controller) {
      for (const event of parser.end()) handle(event.data, controller);
      if (!sawUsage) for (const data of seen) observer.text(contentOf(data));
      if (!sawDone) {
        // A stream that stops without [DONE] was cut short: say so rather than truncate silently.
        observer.error(TRUNCATED_STREAM);
        controller.enqueue(sseError(TRUNCATED_STREAM));
      }
      controller.enqueue(sseData(SSE_DONE));
    },
  });
}

function contentOf(data: string): string {
  try {
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: unknown }; text?: unknown }[] };
    return (chunk.choices ?? []).map((c) => (typeof c.delta?.content === "string" ? c.delta.content : typeof c.text === "string" ? c.text : "")).join("");
  } catch {
    return "";
  }
}
