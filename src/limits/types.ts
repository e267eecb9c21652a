/**
 * The rate limiter's public shapes: what a caller asks (`LimitCheck`), what it gets back
 * (`Admission`, a value — a denial is data, not an exception) and the lease it must
 * release when the request ends.
 */

/** LiteLLM v3's descriptor names; they appear verbatim in keys, headers and messages. */
export const DESCRIPTORS = ["api_key", "user", "team", "team_member", "end_user", "model_per_key"] as const;
export type Descriptor = (typeof DESCRIPTORS)[number];

/** The counter kinds, named as LiteLLM names them in messages, headers and Redis keys. */
export type LimitType = "requests" | "tokens" | "max_parallel_requests";

/** Which usage field a tpm counter is charged with (`general_settings.token_rate_limit_type`). */
export type TokenRateLimitType = "output" | "input" | "total";

/**
 * One descriptor's limits for this request. `null`/absent means "no limit of that kind";
 * a check with no limit at all is ignored. Values: `api_key` → key hash, `user` → user id,
 * `team` → team id, `team_member` → `<team_id>:<user_id>`, `end_user` → end-user id,
 * `model_per_key` → `<key hash>:<model>`.
 */
export interface LimitCheck {
  descriptor: Descriptor;
  value: string;
  /** Requests per window. */
  rpm?: number | null;
  /** Tokens per window (counted after each request, per `tokenRateLimitType`). */
  tpm?: number | null;
  /** Requests in flight at once. */
  maxParallel?: number | null;
}

/** OpenAI-style usage; `prompt_tokens_details.cached_tokens` is excluded from input/total. */
export interface TokenUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

/** One limited counter's state after admission (feeds the `x-ratelimit-*` headers). */
export interface LimitStatus {
  descriptor: Descriptor;
  value: string;
  limitType: LimitType;
  limit: number;
  /** `limit - current`, never below 0. */
  remaining: number;
}

/**
 * What an admitted request holds until it ends. Invariant: `release` decrements the
 * parallel counters taken at admission exactly once, however often it is called, and
 * never rejects — call it from `finally`, on upstream error and on client abort.
 */
export interface Lease {
  /** Ends the request: frees its parallel slots and charges `usage` to the tpm counters. */
  release(usage?: TokenUsage | null): Promise<void>;
  readonly released: boolean;
}

export interface Admitted {
  allowed: true;
  lease: Lease;
  /** One entry per limited counter, in check order (requests, tokens, max_parallel_requests). */
  statuses: LimitStatus[];
  /** True when the counter store was unreachable and the request was let through unchecked. */
  failedOpen: boolean;
}

/** A refusal. Nothing was incremented for it: a refused request consumes no quota. */
export interface Denied {
  allowed: false;
  descriptor: Descriptor;
  value: string;
  limitType: LimitType;
  limit: number;
  remaining: 0;
  /** End of the current window (requests, tokens) or a short retry hint (max_parallel_requests). */
  resetAt: Date;
  /** Whole seconds until `resetAt`, at least 1. */
  retryAfterSeconds: number;
}

export type Admission = Admitted | Denied;
