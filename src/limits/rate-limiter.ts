/**
 * rpm / tpm / max_parallel_requests admission, LiteLLM v3 style: fixed windows, one
 * counter set per descriptor (`{api_key:<hash>}`, `{team:<id>}`, …), request and parallel
 * counters taken at admission, tokens charged when the request ends.
 *
 * Differences from LiteLLM, on purpose (API.md §7 #10): a refused request increments
 * nothing, so it neither consumes rpm nor holds a parallel slot; a parallel slot belongs
 * to one lease id, freed once by `lease.release()` on every exit path, and expires on
 * its own after the store's parallel TTL if its holder died.
 *
 * If the store fails (Redis unreachable), requests are admitted unchecked — fail open —
 * with one warning per minute: an outage of the shared counter store should degrade
 * limits, not take the gateway down. Budgets, which guard money, are enforced elsewhere.
 */
import { createLogger, type Logger } from "../log.ts";
import { deniedMessage, rateLimitHeaders } from "./format.ts";
import type { CounterCounts, CounterSpec, LimitStore, StoreAdmitResult } from "./store.ts";
import type { Admission, Admitted, Denied, Descriptor, Lease, LimitCheck, LimitStatus, TokenRateLimitType, TokenUsage } from "./types.ts";

export interface RateLimiterOptions {
  store: LimitStore;
  /** Clock in epoch milliseconds (tests inject one). The Redis store uses the server's clock. */
  now?: () => number;
  /** Window length; LiteLLM reads it from `LITELLM_RATE_LIMIT_WINDOW_SIZE` (see `rateLimitWindowFromEnv`). */
  windowSeconds?: number;
  /** `general_settings.token_rate_limit_type`; default `total` (LiteLLM's current default). */
  tokenRateLimitType?: TokenRateLimitType;
  /** Receives the fail-open warnings; default: stderr at warn level. */
  log?: Logger;
}

export interface RateLimiter {
  readonly windowSeconds: number;
  readonly tokenRateLimitType: TokenRateLimitType;
  /** Checks every limit of one request atomically; increments only if all pass. */
  admit(checks: readonly LimitCheck[]): Promise<Admission>;
  headers(admission: Admission): Record<string, string>;
  deniedMessage(denied: Denied): string;
}

interface Target {
  descriptor: Descriptor;
  value: string;
  spec: CounterSpec;
}

/** Parallel-limit refusals have no window to wait for; suggest a short retry instead. */
const PARALLEL_RETRY_MS = 1000;
const WARN_INTERVAL_MS = 60_000;

const limitOf = (value: number | null | undefined): number | null =>
  typeof value === "number" && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : null;

const stricter = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** Drops checks without limits; merges repeats of one descriptor+value, keeping the stricter limits. */
function targetsOf(checks: readonly LimitCheck[]): Target[] {
  const byTag = new Map<string, Target>();
  for (const check of checks) {
    const rpm = limitOf(check.rpm);
    const tpm = limitOf(check.tpm);
    const maxParallel = limitOf(check.maxParallel);
    if (rpm === null && tpm === null && maxParallel === null) continue;
    const tag = `{${check.descriptor}:${check.value}}`;
    const seen = byTag.get(tag)?.spec;
    const spec: CounterSpec = seen
      ? { tag, rpm: stricter(seen.rpm, rpm), tpm: stricter(seen.tpm, tpm), maxParallel: stricter(seen.maxParallel, maxParallel) }
      : { tag, rpm, tpm, maxParallel };
    byTag.set(tag, { descriptor: check.descriptor, value: check.value, spec });
  }
  return [...byTag.values()];
}

const whole = (value: number | null | undefined) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

/** Tokens one request charges to tpm counters; cached prompt tokens excluded, as LiteLLM does. */
export function tokensForUsage(usage: TokenUsage | null | undefined, type: TokenRateLimitType): number {
  if (!usage) return 0;
  const prompt = whole(usage.prompt_tokens);
  const completion = whole(usage.completion_tokens);
  const cached = whole(usage.prompt_tokens_details?.cached_tokens);
  if (type === "output") return completion;
  if (type === "input") return Math.max(0, prompt - cached);
  return Math.max(0, (whole(usage.total_tokens) || prompt + completion) - cached);
}

function statusesOf(targets: readonly Target[], counts: readonly CounterCounts[]): LimitStatus[] {
  const statuses: LimitStatus[] = [];
  targets.forEach(({ descriptor, value, spec }, i) => {
    const c = counts[i] ?? { requests: 0, tokens: 0, parallel: 0 };
    const add = (limitType: LimitStatus["limitType"], limit: number | null, current: number) => {
      if (limit !== null) statuses.push({ descriptor, value, limitType, limit, remaining: Math.max(0, limit - current) });
    };
    add("requests", spec.rpm, c.requests);
    add("tokens", spec.tpm, c.tokens);
    add("max_parallel_requests", spec.maxParallel, c.parallel);
  });
  return statuses;
}

/** `LITELLM_RATE_LIMIT_WINDOW_SIZE` (seconds, positive integer), else 60. */
export function rateLimitWindowFromEnv(env: Record<string, string | undefined>): number {
  const n = Number(env.LITELLM_RATE_LIMIT_WINDOW_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 60;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { store } = options;
  const now = options.now ?? Date.now;
  const windowSeconds = options.windowSeconds ?? 60;
  if (!(windowSeconds > 0) || !Number.isFinite(windowSeconds)) throw new Error(`rate limit window must be positive seconds, got ${windowSeconds}`);
  const windowMs = windowSeconds * 1000;
  const tokenRateLimitType = options.tokenRateLimitType ?? "total";
  const log = options.log ?? createLogger({ level: "warn" });
  let lastWarnMs = Number.NEGATIVE_INFINITY;

  const warnStoreDown = (what: string, error: unknown) => {
    const t = now();
    if (t - lastWarnMs < WARN_INTERVAL_MS) return;
    lastWarnMs = t;
    log.warn(`rate limits: counter store unavailable, ${what} (fail open; next warning in a minute at most)`, {
      store: store.kind,
      error: error instanceof Error ? error.message : String(error),
    });
  };

  function leaseFor(leaseId: string, parallelTags: string[], tokenTags: string[]): Lease {
    let released = false;
    return {
      get released() {
        return released;
      },
      async release(usage) {
        if (released) return;
        released = true;
        const amount = tokensForUsage(usage, tokenRateLimitType);
        const tokens = amount > 0 ? tokenTags.map((tag) => ({ tag, amount })) : [];
        if (parallelTags.length === 0 && tokens.length === 0) return;
        try {
          await store.release({ leaseId, parallelTags, tokens, windowMs, nowMs: now() });
        } catch (error) {
          warnStoreDown("could not release counters", error);
        }
      },
    };
  }

  function denial(target: Target, limitType: Denied["limitType"], nowMs: number): Denied {
    const { spec } = target;
    const limit = (limitType === "requests" ? spec.rpm : limitType === "tokens" ? spec.tpm : spec.maxParallel) ?? 0;
    const resetMs = limitType === "max_parallel_requests" ? nowMs + PARALLEL_RETRY_MS : (Math.floor(nowMs / windowMs) + 1) * windowMs;
    return {
      allowed: false,
      descriptor: target.descriptor,
      value: target.value,
      limitType,
      limit,
      remaining: 0,
      resetAt: new Date(resetMs),
      retryAfterSeconds: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)),
    };
  }

  async function admit(checks: readonly LimitCheck[]): Promise<Admission> {
    const targets = targetsOf(checks);
    const tokenTags = targets.filter((t) => t.spec.tpm !== null).map((t) => t.spec.tag);
    const parallelTags = targets.filter((t) => t.spec.maxParallel !== null).map((t) => t.spec.tag);
    // Nothing limits this call (the common case): no lease id to make, nothing to release.
    if (targets.length === 0) return { allowed: true, lease: leaseFor("", [], []), statuses: [], failedOpen: false };
    const leaseId = crypto.randomUUID();
    let result: StoreAdmitResult;
    try {
      result = await store.admit({ specs: targets.map((t) => t.spec), leaseId, windowMs, nowMs: now() });
    } catch (error) {
      warnStoreDown("admitting requests unchecked", error);
      // A timed-out admission may still land later; releasing its lease id is then
      // still right, and a no-op otherwise.
      return { allowed: true, lease: leaseFor(leaseId, parallelTags, tokenTags), statuses: [], failedOpen: true };
    }
    if (!result.ok) {
      const target = targets[result.index];
      if (!target) throw new Error(`limit store reported unknown check index ${result.index}`);
      return denial(target, result.limitType, result.nowMs);
    }
    const admitted: Admitted = {
      allowed: true,
      lease: leaseFor(leaseId, parallelTags, tokenTags),
      statuses: statusesOf(targets, result.counts),
      failedOpen: false,
    };
    return admitted;
  }

  return { windowSeconds, tokenRateLimitType, admit, headers: rateLimitHeaders, deniedMessage };
}
