/**
 * What a client sees when routing fails: LiteLLM's exception names in the message
 * (`litellm.RateLimitError: …`) and the upstream's status, so OpenAI SDKs raise the
 * matching error class (429 → RateLimitError, and retry it; 401 → AuthenticationError).
 */
import { ApiError } from "../errors.ts";
import { NoDeploymentAvailable, UpstreamFailure } from "./router/errors.ts";
import type { UpstreamError } from "./types.ts";

const CLASS_BY_STATUS: Record<number, string> = {
  400: "BadRequestError",
  401: "AuthenticationError",
  403: "PermissionDeniedError",
  404: "NotFoundError",
  408: "Timeout",
  422: "UnprocessableEntityError",
  429: "RateLimitError",
  500: "InternalServerError",
  502: "BadGatewayError",
  503: "ServiceUnavailableError",
};

export function toClientError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof NoDeploymentAvailable) return new ApiError("rate_limit", err.message, { headers: retryAfter(err.cooldownRemainingMs) });
  if (err instanceof UpstreamFailure) {
    if (err.kind === "timeout") return new ApiError("upstream", `litellm.Timeout: ${err.message}`, { status: 408, type: "timeout" });
    if (err.kind === "connect" || err.status === null) return new ApiError("upstream", `litellm.APIConnectionError: ${err.message}`, { status: 500, type: "api_connection_error" });
    const upstream = err.body as Partial<UpstreamError> | undefined;
    const name =
      err.kind === "context_window" ? "ContextWindowExceededError" : err.kind === "content_policy" ? "ContentPolicyViolationError" : (CLASS_BY_STATUS[err.status] ?? "APIError");
    return new ApiError("upstream", `litellm.${name}: ${err.message}`, {
      status: err.status,
      type: upstream?.type ?? "api_error",
      param: upstream?.param ?? null,
      headers: err.status === 429 && err.retryAfterSeconds ? { "retry-after": String(Math.ceil(err.retryAfterSeconds)) } : {},
    });
  }
  return new ApiError("internal", "Internal server error.");
}

function retryAfter(ms: number | null): Record<string, string> {
  return ms && ms > 0 ? { "retry-after": String(Math.ceil(ms / 1000)) } : {};
}
