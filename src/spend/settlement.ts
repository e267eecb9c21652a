/**
 * What every finished model call reports to the spend module: one record per call,
 * whatever its outcome. The proxy produces these; the ledger (budgets and spend
 * logs) consumes them. Token counts are the provider's, or counted locally when a
 * stream reported none.
 */
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
}

/** The spend module's entry point. `record` must not block the response: it queues. */
export interface SpendRecorder {
  record(call: SettledCall): void;
}

/** Records nothing; the default until the ledger is configured. */
export const discardSpend: SpendRecorder = { record: () => {} };
