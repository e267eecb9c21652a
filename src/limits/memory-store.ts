/**
 * In-process `LimitStore`. Atomicity comes from doing each admission synchronously: no
 * `await` between reading and writing the counters. Expired entries are swept once per
 * window on the next call, so descriptors never seen again do not accumulate.
 */
import {
  DEFAULT_PARALLEL_TTL_SECONDS,
  type CounterCounts,
  type LimitStore,
  type StoreAdmitRequest,
  type StoreAdmitResult,
  type StoreReleaseRequest,
} from "./store.ts";

interface WindowCounter {
  windowId: number;
  count: number;
  expiresAtMs: number;
}

/** Lease id → expiry, per tag. */
type LeaseSet = Map<string, number>;

export interface MemoryLimitStoreOptions {
  parallelTtlSeconds?: number;
}

export function createMemoryLimitStore(options: MemoryLimitStoreOptions = {}): LimitStore {
  const parallelTtlMs = (options.parallelTtlSeconds ?? DEFAULT_PARALLEL_TTL_SECONDS) * 1000;
  const counters = new Map<string, WindowCounter>();
  const inFlight = new Map<string, LeaseSet>();
  let nextSweepMs = 0;

  const sweep = (nowMs: number, windowMs: number) => {
    if (nowMs < nextSweepMs) return;
    nextSweepMs = nowMs + windowMs;
    for (const [key, counter] of counters) if (counter.expiresAtMs <= nowMs) counters.delete(key);
    for (const [tag, leases] of inFlight) {
      for (const [id, expiresAtMs] of leases) if (expiresAtMs <= nowMs) leases.delete(id);
      if (leases.size === 0) inFlight.delete(tag);
    }
  };

  const windowed = (key: string, windowId: number, nowMs: number): number => {
    const counter = counters.get(key);
    return counter && counter.windowId === windowId && counter.expiresAtMs > nowMs ? counter.count : 0;
  };

  const addWindowed = (key: string, amount: number, windowId: number, windowMs: number, nowMs: number) => {
    const count = windowed(key, windowId, nowMs) + amount;
    counters.set(key, { windowId, count, expiresAtMs: (windowId + 1) * windowMs });
  };

  const parallel = (tag: string, nowMs: number): number => {
    let live = 0;
    for (const expiresAtMs of inFlight.get(tag)?.values() ?? []) if (expiresAtMs > nowMs) live += 1;
    return live;
  };

  function admit({ specs, leaseId, windowMs, nowMs }: StoreAdmitRequest): StoreAdmitResult {
    sweep(nowMs, windowMs);
    const windowId = Math.floor(nowMs / windowMs);
    const counts: CounterCounts[] = [];
    for (const [index, spec] of specs.entries()) {
      const requests = spec.rpm === null ? 0 : windowed(`${spec.tag}:requests`, windowId, nowMs);
      const tokens = spec.tpm === null ? 0 : windowed(`${spec.tag}:tokens`, windowId, nowMs);
      const running = spec.maxParallel === null ? 0 : parallel(spec.tag, nowMs);
      if (spec.rpm !== null && requests + 1 > spec.rpm) return { ok: false, nowMs, index, limitType: "requests", current: requests };
      if (spec.tpm !== null && tokens >= spec.tpm) return { ok: false, nowMs, index, limitType: "tokens", current: tokens };
      if (spec.maxParallel !== null && running + 1 > spec.maxParallel) {
        return { ok: false, nowMs, index, limitType: "max_parallel_requests", current: running };
      }
      counts.push({ requests: requests + 1, tokens, parallel: running + 1 });
    }
    for (const spec of specs) {
      if (spec.rpm !== null) addWindowed(`${spec.tag}:requests`, 1, windowId, windowMs, nowMs);
      if (spec.maxParallel !== null) {
        const leases = inFlight.get(spec.tag) ?? new Map<string, number>();
        leases.set(leaseId, nowMs + parallelTtlMs);
        inFlight.set(spec.tag, leases);
      }
    }
    return { ok: true, nowMs, counts };
  }

  function release({ leaseId, parallelTags, tokens, windowMs, nowMs }: StoreReleaseRequest): void {
    sweep(nowMs, windowMs);
    for (const tag of parallelTags) {
      const leases = inFlight.get(tag);
      leases?.delete(leaseId);
      if (leases?.size === 0) inFlight.delete(tag);
    }
    const windowId = Math.floor(nowMs / windowMs);
    for (const { tag, amount } of tokens) {
      if (amount > 0) addWindowed(`${tag}:tokens`, amount, windowId, windowMs, nowMs);
    }
  }

  return {
    kind: "memory",
    admit: async (request) => admit(request),
    release: async (request) => release(request),
    close: async () => {
      counters.clear();
      inFlight.clear();
    },
  };
}
