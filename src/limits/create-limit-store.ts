/** Picks the counter store: Redis when a URL is configured (shared limits), else memory. */
import type { Logger } from "../log.ts";
import { createMemoryLimitStore } from "./memory-store.ts";
import { createRedisLimitStore } from "./redis-store.ts";
import { redactRedisUrl } from "./redis-url.ts";
import type { LimitStore } from "./store.ts";

export interface CreateLimitStoreOptions {
  /** From `redisUrlFromConfig(config, env)`; null/absent → in-memory counters. */
  redisUrl?: string | null;
  log: Logger;
  keyPrefix?: string;
  parallelTtlSeconds?: number;
  commandTimeoutMs?: number;
}

export function createLimitStore(options: CreateLimitStoreOptions): LimitStore {
  const { redisUrl, log, ...rest } = options;
  if (!redisUrl) {
    log.info("rate limits: counters in memory (per instance; set REDIS_URL or cache_params to share them)");
    return createMemoryLimitStore({ parallelTtlSeconds: rest.parallelTtlSeconds });
  }
  log.info("rate limits: counters shared through Redis", { redis: redactRedisUrl(redisUrl) });
  return createRedisLimitStore({ url: redisUrl, ...rest });
}
