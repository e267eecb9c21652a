/**
 * Anthropic's `{"type":"error","error":{"type","message"}}` → an OpenAI-style error.
 * `code` is the HTTP status as a string; for an error inside a stream (no status of
 * its own) it is the status Anthropic documents for that error type.
 */
import type { UpstreamError } from "../../types.ts";
import { statusType } from "../openai-compatible.ts";
import { isRecord, type JsonObject } from "./wire.ts";

/** Anthropic error type → OpenAI error type and the HTTP status Anthropic sends it with. */
const ERROR_TYPES: Readonly<Record<string, { type: string; status: number }>> = {
  invalid_request_error: { type: "invalid_request_error", status: 400 },
  authentication_error: { type: "authentication_error", status: 401 },
  permission_error: { type: "permission_error", status: 403 },
  not_found_error: { type: "not_found_error", status: 404 },
  request_too_large: { type: "invalid_request_error", status: 413 },
  rate_limit_error: { type: "rate_limit_error", status: 429 },
  api_error: { type: "api_error", status: 500 },
  timeout_error: { type: "api_error", status: 504 },
  // OpenAI has no "overloaded": a server-side error, told apart by code "529".
  overloaded_error: { type: "api_error", status: 529 },
};

export function parseAnthropicError(status: number, upstreamBody: string): UpstreamError {
  const error = errorObject(upstreamBody);
  if (!error) {
    return { message: upstreamBody.slice(0, 2000) || `upstream answered ${status}`, type: statusType(status), param: null, code: String(status) };
  }
  const known = typeof error.type === "string" ? ERROR_TYPES[error.type] : undefined;
  return {
    message: typeof error.message === "string" ? error.message : upstreamBody.slice(0, 2000),
    type: known?.type ?? statusType(status),
    param: null,
    code: String(status),
  };
}

/** An `error` event's data, which carries no HTTP status: the error type implies one. */
export function parseAnthropicStreamError(data: string): UpstreamError {
  const type = errorObject(data)?.type;
  const status = (typeof type === "string" ? ERROR_TYPES[type]?.status : undefined) ?? 500;
  return parseAnthropicError(status, data);
}

function errorObject(body: string): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null;
  } catch {
    return null;
  }
}
