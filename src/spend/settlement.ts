/**
 * What every finished model call reports to the spend module: one record per call,
 * whatever its outcome. The proxy produces these; the ledger (budgets and spend
 * logs) consumes them. Token counts are the provider's, or counted locally when a
 * stream reported none.
 */
import type { Json } from "../db/json.ts";

export type CallType = "acompletion" | "atext_completion" | "aembedding";
export type CallStatus = "success" | "failure";

export interface SettledCall {
  /** Provider response id when known (e.g. `chatcmpl-…`), else the gateway call id. */
  request_id: string;
  /** The `x-litellm-call-id` the client saw. */
  call_id: string;
  call_type: CallType;
  /** sha256 token of the key used; null for the master key or with auth off. */
  api_key: string | null;
  user_id: string | null;
  team_id: string | null;
  /** End user (customer) from the body `user` or the x-litellm-customer-id / x-litellm-end-user-id headers. */
  end_user: string | null;
  /** Model group the client asked for, after alias resolution. */
  model_group: string;
  /** Provider model actually called; null when no deployment was reached. */
  model: string | null;
  model_id: string | null;
  provider: string | null;
  api_base: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cache_creation_tokens: number;
  reasoning_tokens: number;
  /** True when the counts come from a local tokenizer, not the provider. */
  usage_estimated: boolean;
  stream: boolean;
  start_time: Date;
  end_time: Date;
  /** First byte of the answer (streaming), for time-to-first-token. */
  completion_start_time: Date | null;
  status: CallStatus;
  /** Why it failed ("client disconnected", the upstream's message, …); null on success. */
  error: string | null;
  http_status: number;
  attempted_retries: number;
  /** Client-supplied `metadata.spend_logs_metadata` and tags, kept for the spend log. */
  metadata: Record<string, unknown>;
  /** The request's messages / prompt / input, only with `store_prompts_in_spend_logs`. */
  messages?: Json;
  /** The answer body (non-streamed calls), only with `store_prompts_in_spend_logs`. */
  response?: Json;
}

/** The spend module's entry point. `record` must not block the response: it queues. */
export interface SpendRecorder {
  /**
   * Takes one settled call. A returned promise resolves once the call is safe from a
   * process crash; the proxy lets the response complete only after that.
   */
  record(call: SettledCall): void | Promise<void>;
}

/** Records nothing; the default until the ledger is configured. */
export const discardSpend: SpendRecorder = { record: () => {} };

/**
 * A successful call record with zero usage and no attribution, completed by `fields`:
 * the one place that knows every field's neutral value (pricing a finished response,
 * tests, benchmarks).
 */
export function settledCall(fields: Partial<SettledCall> & Pick<SettledCall, "model_group">): SettledCall {
  const at = fields.start_time ?? new Date();
  return {
    request_id: fields.call_id ?? crypto.randomUUID(),
    call_id: Bun.randomUUIDv7(),
    call_type: "acompletion",
    api_key: null,
    user_id: null,
    team_id: null,
    end_user: null,
    model: null,
    model_id: null,
    provider: null,
    api_base: null,
    prompt_tokens: 0,
    completion_tokens: 0,
    cached_tokens: 0,
    cache_creation_tokens: 0,
    reasoning_tokens: 0,
    usage_estimated: false,
    stream: false,
    start_time: at,
    end_time: at,
    completion_start_time: null,
    status: "success",
    error: null,
    http_status: 200,
    attempted_retries: 0,
    metadata: {},
    ...fields,
  };
}
