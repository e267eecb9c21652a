/**
 * The one error type a client ever sees. Every failure, on management and proxy routes
 * alike, is rendered as LiteLLM's envelope:
 *   {"error": {"message", "type", "param", "code"}}  with code = the HTTP status as a string.
 */

import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/** Closed set of error kinds; each maps once to an HTTP status and an OpenAI-style `type`. */
const KINDS = {
  bad_request: { status: 400, type: "bad_request_error" },
  budget_exceeded: { status: 400, type: "budget_exceeded" },
  no_db_connection: { status: 400, type: "no_db_connection" },
  auth: { status: 401, type: "auth_error" },
  token_not_found: { status: 401, type: "token_not_found_in_db" },
  expired_key: { status: 401, type: "expired_key" },
  key_model_access_denied: { status: 401, type: "key_model_access_denied" },
  team_model_access_denied: { status: 401, type: "team_model_access_denied" },
  user_model_access_denied: { status: 401, type: "user_model_access_denied" },
  forbidden: { status: 403, type: "auth_error" },
  not_found: { status: 404, type: "not_found_error" },
  conflict: { status: 409, type: "conflict_error" },
  payload_too_large: { status: 413, type: "invalid_request_error" },
  validation: { status: 422, type: "invalid_request_error" },
  rate_limit: { status: 429, type: "rate_limit_error" },
  internal: { status: 500, type: "internal_server_error" },
  upstream: { status: 502, type: "api_error" },
  unavailable: { status: 503, type: "service_unavailable" },
  timeout: { status: 504, type: "timeout" },
} as const;

export type ErrorKind = keyof typeof KINDS;

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  /** Extra response headers (e.g. `retry-after` on a 429). */
  readonly headers: Record<string, string>;

  /**
   * `status` and `type` may be given only for `upstream` errors, which relay the
   * provider's own status and error type (a 429 stays a 429 for the client's SDK).
   */
  constructor(kind: ErrorKind, message: string, options: { param?: string | null; headers?: Record<string, string>; status?: number; type?: string } = {}) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.status = kind === "upstream" && options.status ? options.status : KINDS[kind].status;
    this.type = kind === "upstream" && options.type ? options.type : KINDS[kind].type;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: String(this.status) } };
  }

  toResponse(): Response {
    return new Response(JSON.stringify(this.toBody()), {
      status: this.status,
      headers: { "content-type": "application/json", ...this.headers },
    });
  }
}

export const badRequest = (message: string, param?: string) => new ApiError("bad_request", message, { param });
export const notFound = (message: string, param?: string) => new ApiError("not_found", message, { param });
export const forbidden = (message: string) => new ApiError("forbidden", message);

/** Where a schema violation was found, as `max_budget` or `metadata.tags[0]`. */
function fieldFromPointer(pointer: string): string | null {
  const parts = pointer.split("/").filter(Boolean);
  if (parts.length === 0) return null;
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

interface ValidationLike {
  type: string;
  valueError?: { path: string; message: string; value: unknown; schema: SchemaLike };
}

interface SchemaLike {
  type?: unknown;
  anyOf?: SchemaLike[];
  const?: unknown;
}

/** "number or null" for a nullable number, rather than TypeBox's "Expected union value". */
function expectedTypes(schema: SchemaLike): string[] {
  if (schema.anyOf) return [...new Set(schema.anyOf.flatMap(expectedTypes))];
  if (schema.const !== undefined) return [JSON.stringify(schema.const)];
  return [typeof schema.type === "string" ? schema.type : "a valid value"];
}

function describeValueError(e: NonNullable<ValidationLike["valueError"]>): string {
  const got =
    e.value === null ? "null" : Array.isArray(e.value) ? "array" : typeof e.value === "number" && !Number.isFinite(e.value) ? String(e.value) : typeof e.value;
  if (e.schema.anyOf) {
    // The right type that breaks a rule of its branch (a too-short string) says which rule.
    const branch = e.schema.anyOf.find((s) => s.type === got || (got === "number" && s.type === "integer"));
    const broken = branch ? Value.Errors(branch as TSchema, e.value).First()?.message : undefined;
    return broken ?? `expected ${expectedTypes(e.schema).join(" or ")}, got ${got}`;
  }
  return e.message;
}

/**
 * Renders anything a handler threw as the envelope. `code` is Elysia's classification
 * ("VALIDATION", "PARSE", "NOT_FOUND", …) for errors Elysia raised itself. Unexpected
 * errors are logged by the caller and answered with a generic 500: no stack, no detail.
 */
export function toApiError(error: unknown, code: string | number): ApiError {
  if (error instanceof ApiError) return error;
  switch (code) {
    case "VALIDATION": {
      const v = error as ValidationLike;
      const field = v.valueError ? fieldFromPointer(v.valueError.path) : null;
      const what = field ? `${v.type} field '${field}'` : `request ${v.type}`;
      const detail = v.valueError ? describeValueError(v.valueError) : "does not match the schema";
      return new ApiError("validation", `Invalid ${what}: ${detail}`, { param: field });
    }
    case "PARSE":
      return new ApiError("bad_request", "Malformed request body: expected valid JSON.");
    case "NOT_FOUND":
      return new ApiError("not_found", "Route not found.");
    case "INVALID_COOKIE_SIGNATURE":
    case "INVALID_FILE_TYPE":
      return new ApiError("bad_request", "Invalid request.");
    default:
      return new ApiError("internal", "Internal server error.");
  }
}
