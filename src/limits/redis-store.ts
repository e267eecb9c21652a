/**
 * Redis `LimitStore` on Bun's built-in client: one EVALSHA per admission and one per
 * release (see `redis-scripts.ts`), so several tollgate instances share one limit.
 *
 * Failure behaviour: commands are never queued while disconnected (a queued admission
 * replayed later would count a request the limiter already let through unchecked);
 * every call is bounded by `commandTimeoutMs`; after a failed connection attempt, calls
 * fail immediately for `retryDelayMs` before the next attempt. Failures reject — the
 * rate limiter decides what a failure means (it fails open).
 */
import { RedisClient } from "bun";
import { ADMIT_SCRIPT, RELEASE_SCRIPT } from "./redis-scripts.ts";
import {
  DEFAULT_PARALLEL_TTL_SECONDS,
  type CounterCounts,
  type LimitStore,
  type StoreAdmitRequest,
  type StoreAdmitResult,
  type StoreReleaseRequest,
} from "./store.ts";
import type { LimitType } from "./types.ts";

export interface RedisLimitStoreOptions {
  url: string;
  /** Prepended to every key; default `tollgate:` (keeps clear of a LiteLLM sharing the Redis). */
  keyPrefix?: string;
  parallelTtlSeconds?: number;
  /** Upper bound for one script call, connection included; default 1000 ms. */
  commandTimeoutMs?: number;
  /** After a failed connection attempt, fail fast this long before trying again; default 1000 ms. */
  retryDelayMs?: number;
}

const LIMIT_TYPES: readonly LimitType[] = ["requests", "tokens", "max_parallel_requests"];

const sha1 = (text: string) => new Bun.CryptoHasher("sha1").update(text).digest("hex");

function toInt(value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" || typeof value === "bigint" ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new Error(`redis rate-limit script returned a non-number: ${String(value)}`);
  return n;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis ${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A limit argument for the script: -1 means "not limited". */
const arg = (limit: number | null) => String(limit ?? -1);

export function createRedisLimitStore(options: RedisLimitStoreOptions): LimitStore {
  const prefix = options.keyPrefix ?? "tollgate:";
  const parallelTtlMs = (options.parallelTtlSeconds ?? DEFAULT_PARALLEL_TTL_SECONDS) * 1000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 1000;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const client = new RedisClient(options.url, {
    autoReconnect: false,
    enableOfflineQueue: false,
    connectionTimeout: commandTimeoutMs,
  });
  const scripts = { admit: { source: ADMIT_SCRIPT, sha: sha1(ADMIT_SCRIPT) }, release: { source: RELEASE_SCRIPT, sha: sha1(RELEASE_SCRIPT) } };
  let connecting: Promise<void> | null = null;
  let retryAtMs = 0;
  let closed = false;

  async function ready(): Promise<void> {
    if (closed) throw new Error("redis limit store is closed");
    if (client.connected) return;
    if (Date.now() < retryAtMs) throw new Error("redis unreachable (waiting before reconnecting)");
    connecting ??= client.connect().finally(() => {
      connecting = null;
    });
    try {
      await connecting;
    } catch (error) {
      retryAtMs = Date.now() + retryDelayMs;
      throw error;
    }
  }

  async function run(script: { source: string; sha: string }, keys: string[], args: string[]): Promise<unknown> {
    const call = async (): Promise<unknown> => {
      await ready();
      try {
        return await client.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return await client.eval(script.source, keys.length, ...keys, ...args);
      }
    };
    return withTimeout(call(), commandTimeoutMs, "rate-limit script");
  }

  async function admit({ specs, leaseId, windowMs }: StoreAdmitRequest): Promise<StoreAdmitResult> {
    const keys: string[] = [];
    const args = [String(windowMs), String(parallelTtlMs), leaseId];
    for (const spec of specs) {
      const stem = prefix + spec.tag;
      keys.push(`${stem}:requests`, `${stem}:tokens`, `${stem}:max_parallel_requests`);
      args.push(arg(spec.rpm), arg(spec.tpm), arg(spec.maxParallel));
    }
    const reply = await run(scripts.admit, keys, args);
    if (!Array.isArray(reply)) throw new Error("redis rate-limit script returned a non-array");
    const values = reply.map(toInt);
    const [admitted = 0, nowMs = 0] = values;
    if (admitted === 0) {
      const limitType = LIMIT_TYPES[(values[3] ?? 0) - 1];
      if (!limitType) throw new Error("redis rate-limit script returned an unknown limit type");
      return { ok: false, nowMs, index: (values[2] ?? 1) - 1, limitType, current: values[4] ?? 0 };
    }
    const counts: CounterCounts[] = specs.map((_, i) => ({
      requests: values[2 + i * 3] ?? 0,
      tokens: values[3 + i * 3] ?? 0,
      parallel: values[4 + i * 3] ?? 0,
    }));
    return { ok: true, nowMs, counts };
  }

  async function release({ leaseId, parallelTags, tokens, windowMs }: StoreReleaseRequest): Promise<void> {
    const charged = tokens.filter((t) => t.amount > 0);
    if (parallelTags.length === 0 && charged.length === 0) return;
    const keys = [
      ...parallelTags.map((tag) => `${prefix}${tag}:max_parallel_requests`),
      ...charged.map((t) => `${prefix}${t.tag}:tokens`),
    ];
    const args = [String(parallelTags.length), String(windowMs), leaseId, ...charged.map((t) => String(t.amount))];
    await run(scripts.release, keys, args);
  }

  return {
    kind: "redis",
    admit,
    release,
    close: async () => {
      closed = true;
      client.close();
    },
  };
}
