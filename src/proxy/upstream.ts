/**
 * One attempt against one deployment: build the provider request, send it with a
 * deadline and the client's abort signal, and turn any failure into the router's
 * `UpstreamFailure` (status, whether a retry may help, which fallback list applies).
 */
import { providerInfo } from "./providers/registry.ts";
import { parseRetryAfter, UpstreamFailure } from "./router/errors.ts";
import type { Deployment, Endpoint, OpenAIBody, ProviderAdapter, UpstreamError } from "./types.ts";

export interface AttemptRequest {
  endpoint: Endpoint;
  body: OpenAIBody;
  stream: boolean;
  dropParams: boolean;
  timeoutMs: number;
  /** The client's request signal: a disconnect aborts the upstream call. */
  signal: AbortSignal;
}

export interface UpstreamResponse {
  response: Response;
  adapter: ProviderAdapter;
  deployment: Deployment;
  /** Aborts the upstream request (used when the client leaves mid-stream). */
  abort: () => void;
}

const CONTEXT_WINDOW = /context length|context window|maximum context|too many tokens|prompt is too long|reduce the length/i;
const CONTENT_POLICY = /content_policy|content_filter|content management policy/i;

export function adapterFor(deployment: Deployment): ProviderAdapter {
  const info = providerInfo(deployment.provider);
  if (!info) throw new UpstreamFailure({ status: 500, message: `No adapter for provider ${deployment.provider}`, retryable: false });
  return info.adapter;
}

export async function callUpstream(deployment: Deployment, req: AttemptRequest): Promise<UpstreamResponse> {
  const adapter = adapterFor(deployment);
  if (!adapter.supports(req.endpoint)) {
    throw new UpstreamFailure({ status: 400, message: `Provider ${deployment.provider} does not support /${req.endpoint === "chat" ? "chat/completions" : req.endpoint === "completion" ? "completions" : "embeddings"}`, retryable: false });
  }
  const upstream = adapter.buildRequest(req.endpoint, req.body, deployment, { stream: req.stream, dropParams: req.dropParams });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("upstream timed out", "TimeoutError")), req.timeoutMs);
  const onClientAbort = () => controller.abort(req.signal.reason);
  req.signal.addEventListener("abort", onClientAbort, { once: true });

  let response: Response;
  try {
    response = await fetch(upstream.url, { method: "POST", headers: upstream.headers, body: upstream.body, signal: controller.signal, redirect: "manual" });
  } catch (err) {
    clearTimeout(timer);
    req.signal.removeEventListener("abort", onClientAbort);
    if (req.signal.aborted) throw err;
    const timedOut = controller.signal.aborted;
    throw new UpstreamFailure({
      status: null,
      kind: timedOut ? "timeout" : "connect",
      message: timedOut ? `Request to ${deployment.provider} timed out after ${req.timeoutMs} ms` : `Could not reach ${deployment.provider} at ${withoutCredentials(deployment.apiBase)}`,
    });
  }
  // The deadline covers the wait for the answer's headers; a stream may then run as long as it flows.
  clearTimeout(timer);

  if (!response.ok) {
    req.signal.removeEventListener("abort", onClientAbort);
    const text = await response.text().catch(() => "");
    throw failureFrom(response, adapter.parseError(response.status, text));
  }
  return {
    response,
    adapter,
    deployment,
    abort: () => {
      req.signal.removeEventListener("abort", onClientAbort);
      controller.abort();
    },
  };
}

function failureFrom(response: Response, error: UpstreamError): UpstreamFailure {
  const haystack = `${error.message} ${error.code ?? ""} ${error.type}`;
  const kind = response.status === 400 && CONTEXT_WINDOW.test(haystack) ? "context_window" : CONTENT_POLICY.test(haystack) ? "content_policy" : "http";
  return new UpstreamFailure({ status: response.status, kind, message: error.message, body: error, retryAfterSeconds: parseRetryAfter(response.headers.get("retry-after")) });
}

/** A base URL fit for an error message: any user:password in it is removed. */
function withoutCredentials(apiBase: string): string {
  try {
    const url = new URL(apiBase);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "(invalid api_base)";
  }
}
