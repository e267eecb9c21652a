export { createLimitStore, type CreateLimitStoreOptions } from "./create-limit-store.ts";
export { deniedMessage, formatResetAt, rateLimitHeaders } from "./format.ts";
export { createMemoryLimitStore, type MemoryLimitStoreOptions } from "./memory-store.ts";
export {
  createRateLimiter,
  rateLimitWindowFromEnv,
  tokensForUsage,
  type RateLimiter,
  type RateLimiterOptions,
} from "./rate-limiter.ts";
export { createRedisLimitStore, type RedisLimitStoreOptions } from "./redis-store.ts";
export { redactRedisUrl, redisUrlFromConfig } from "./redis-url.ts";
export {
  DEFAULT_PARALLEL_TTL_SECONDS,
  type CounterCounts,
  type CounterSpec,
  type LimitStore,
  type StoreAdmitRequest,
  type StoreAdmitResult,
  type StoreReleaseRequest,
} from "./store.ts";
export {
  DESCRIPTORS,
  type Admission,
  type Admitted,
  type Denied,
  type Descriptor,
  type Lease,
  type LimitCheck,
  type LimitStatus,
  type LimitType,
  type TokenRateLimitType,
  type TokenUsage,
} from "./types.ts";
