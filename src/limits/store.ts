/**
 * `LimitStore`: where the counters live. Two implementations share these semantics —
 * `createMemoryLimitStore` (one process) and `createRedisLimitStore` (shared by every
 * instance pointing at the same Redis).
 *
 * Counters, per tag `{<descriptor>:<value>}`:
 * - `requests` and `tokens`: fixed windows of `windowMs` aligned on the epoch (window id
 *   `floor(now / windowMs)`); a counter lives until its window ends, then is gone.
 * - `max_parallel_requests`: not windowed; the set of leases in flight. Admission adds
 *   the request's lease id with its own expiry (`parallelTtlMs`), release removes that id.
 *   So a release is idempotent even across retries and instances, a late release cannot
 *   free somebody else's slot, and a lease whose holder crashed expires on its own even
 *   while the key stays busy.
 */
import type { LimitType } from "./types.ts";

/** One descriptor's limits as the store sees them; `null` = not limited (and not counted). */
export interface CounterSpec {
  /** `{<descriptor>:<value>}`, LiteLLM's key stem (also the Redis Cluster hash tag). */
  readonly tag: string;
  readonly rpm: number | null;
  readonly tpm: number | null;
  readonly maxParallel: number | null;
}

/** Counter values seen at admission: requests and parallel after this request's increment. */
export interface CounterCounts {
  requests: number;
  tokens: number;
  parallel: number;
}

export type StoreAdmitResult =
  | { ok: true; /** Clock the decision used (Redis: server time). */ nowMs: number; counts: CounterCounts[] }
  | { ok: false; nowMs: number; /** Index into `specs` of the first limit hit. */ index: number; limitType: LimitType; current: number };

export interface StoreAdmitRequest {
  specs: readonly CounterSpec[];
  /** Unique per request; recorded in every parallel set this admission joins. */
  leaseId: string;
  windowMs: number;
  /** The caller's clock; the Redis store uses the server's instead (one clock for all instances). */
  nowMs: number;
}

export interface StoreReleaseRequest {
  leaseId: string;
  /** Tags whose parallel set this request joined. */
  parallelTags: readonly string[];
  /** Tokens to add to the `tokens` counter of the window current at release. */
  tokens: readonly { tag: string; amount: number }[];
  windowMs: number;
  nowMs: number;
}

export interface LimitStore {
  readonly kind: "memory" | "redis";
  /**
   * Atomic check-and-increment over all `specs`: if any rpm would be exceeded by one more
   * request, any tpm is already reached, or any parallel counter is at its limit, nothing
   * is written and the first such limit is returned; otherwise every limited request
   * counter is incremented and `leaseId` joins every limited parallel set. Rejects only
   * when the store itself fails.
   */
  admit(request: StoreAdmitRequest): Promise<StoreAdmitResult>;
  /** Removes `leaseId` from the given parallel sets (a no-op if already gone) and adds tokens. */
  release(request: StoreReleaseRequest): Promise<void>;
  close(): Promise<void>;
}

/** 10 minutes: longer than almost any request, short enough that a leaked slot heals itself. */
export const DEFAULT_PARALLEL_TTL_SECONDS = 600;
