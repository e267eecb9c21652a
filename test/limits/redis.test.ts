/**
 * The Redis store against the real local Redis: the shared contract, plus what only a
 * shared store has — several instances on one limit, real-time windows, key expiry.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createLimitStore, createRateLimiter, createRedisLimitStore, type LimitStore } from "../../src/limits/index.ts";
import { createLogger, silentLogger } from "../../src/log.ts";
import { expectAdmitted, expectDenied, uniqueId } from "./helpers.ts";
import { describeLimiterContract } from "./limiter-contract.ts";
import { adminClient, deleteKeysUnder, keysUnder, REDIS_TEST_URL, redisAvailable, runPrefix } from "./redis-support.ts";

const stores: LimitStore[] = [];
function redisStore(options: { keyPrefix?: string; parallelTtlSeconds?: number } = {}): LimitStore {
  const store = createRedisLimitStore({ url: REDIS_TEST_URL, keyPrefix: runPrefix, ...options });
  stores.push(store);
  return store;
}

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  if (redisAvailable) await deleteKeysUnder(runPrefix);
});

/** A day-long window, so no window boundary falls inside a contract test. */
const DAY = 86_400;
const contractStore = redisAvailable ? redisStore() : null;
describeLimiterContract(
  "redis",
  (options) => createRateLimiter({ store: contractStore ?? redisStore(), windowSeconds: DAY, log: silentLogger, ...options }),
  redisAvailable,
);

describe.skipIf(!redisAvailable)("redis store: shared, timed, tidy", () => {
  test("two instances sharing one Redis share one limit", async () => {
    const a = createRateLimiter({ store: redisStore(), windowSeconds: DAY, log: silentLogger });
    const b = createRateLimiter({ store: redisStore(), windowSeconds: DAY, log: silentLogger });
    const rpm = { descriptor: "api_key" as const, value: uniqueId("hash"), rpm: 4 };
    const results = await Promise.all([a, b, a, b, a, b, a, b].map((limiter) => limiter.admit([rpm])));
    expect(results.filter((r) => r.allowed).length).toBe(4);
    expectDenied(await a.admit([rpm]));
    expectDenied(await b.admit([rpm]));

    const parallel = { descriptor: "team" as const, value: uniqueId("team"), maxParallel: 1 };
    const held = expectAdmitted(await a.admit([parallel]));
    expect(expectDenied(await b.admit([parallel])).limitType).toBe("max_parallel_requests");
    await held.lease.release();
    const other = expectAdmitted(await b.admit([parallel]));
    await other.lease.release();

    const tokens = { descriptor: "user" as const, value: uniqueId("user"), tpm: 100 };
    await expectAdmitted(await a.admit([tokens])).lease.release({ total_tokens: 100 });
    expect(expectDenied(await b.admit([tokens])).limitType).toBe("tokens");
  });

  test("a 1 s window rolls over in real time; the denied requests left nothing behind", async () => {
    const limiter = createRateLimiter({ store: redisStore(), windowSeconds: 1, log: silentLogger });
    const check = { descriptor: "end_user" as const, value: uniqueId("eu"), rpm: 2 };
    // Start just after a second boundary so the three calls share one window.
    await Bun.sleep(1000 - (Date.now() % 1000) + 20);
    expectAdmitted(await limiter.admit([check]));
    expectAdmitted(await limiter.admit([check]));
    const denied = expectDenied(await limiter.admit([check]));
    expect(denied.retryAfterSeconds).toBe(1);
    for (let i = 0; i < 3; i++) expectDenied(await limiter.admit([check]));

    await Bun.sleep(Math.max(0, denied.resetAt.getTime() - Date.now()) + 50);
    const next = expectAdmitted(await limiter.admit([check]));
    expect(next.statuses[0]?.remaining).toBe(1);
  });

  test("every key carries a TTL; a released parallel set is gone", async () => {
    const prefix = `${runPrefix}ttl-${uniqueId("run")}:`;
    const limiter = createRateLimiter({ store: redisStore({ keyPrefix: prefix }), log: silentLogger });
    const key = uniqueId("hash");
    const admitted = expectAdmitted(
      await limiter.admit([
        { descriptor: "api_key", value: key, rpm: 10, tpm: 1000, maxParallel: 2 },
        { descriptor: "model_per_key", value: `${key}:gpt-4o`, rpm: 5 },
      ]),
    );
    const admin = adminClient();
    try {
      const during = await keysUnder(admin, prefix);
      const names = [...during.keys()].map((k) => k.slice(prefix.length).replace(/:\d+$/, ":<window>")).sort();
      expect(names).toEqual([
        `{api_key:${key}}:max_parallel_requests`,
        `{api_key:${key}}:requests:<window>`,
        `{model_per_key:${key}:gpt-4o}:requests:<window>`,
      ]);
      for (const [name, ttl] of during) {
        expect(ttl, name).toBeGreaterThan(0);
        expect(ttl, name).toBeLessThanOrEqual(600_000);
      }

      await admitted.lease.release({ total_tokens: 42 });
      const after = await keysUnder(admin, prefix);
      expect([...after.keys()].some((k) => k.endsWith(":max_parallel_requests"))).toBe(false);
      const tokenKeys = [...after].filter(([k]) => k.includes(":tokens:"));
      expect(tokenKeys.length).toBe(1);
      expect(tokenKeys[0]?.[1]).toBeGreaterThan(0);
      expect(await admin.get(tokenKeys[0]?.[0] ?? "")).toBe("42");
    } finally {
      admin.close();
    }
  });

  test("a lease whose holder died expires on its own, even while the key stays busy", async () => {
    const limiter = createRateLimiter({ store: redisStore({ parallelTtlSeconds: 1 }), log: silentLogger });
    const check = { descriptor: "api_key" as const, value: uniqueId("hash"), maxParallel: 2 };
    expectAdmitted(await limiter.admit([check])); // never released: its instance "crashed"
    for (let i = 0; i < 3; i++) {
      const busy = expectAdmitted(await limiter.admit([check]));
      expectDenied(await limiter.admit([check]));
      await busy.lease.release();
      await Bun.sleep(150);
    }
    await Bun.sleep(700);
    const a = expectAdmitted(await limiter.admit([check]));
    const b = expectAdmitted(await limiter.admit([check]));
    await Promise.all([a.lease.release(), b.lease.release()]);
  });

  test("createLimitStore picks Redis for a URL and memory without one", async () => {
    const redis = createLimitStore({ redisUrl: REDIS_TEST_URL, log: silentLogger, keyPrefix: runPrefix });
    stores.push(redis);
    expect(redis.kind).toBe("redis");
    expect(createLimitStore({ redisUrl: null, log: silentLogger }).kind).toBe("memory");
  });
});

describe("redis store: unreachable Redis fails open", () => {
  test("admits unchecked, quickly, and warns once per minute", async () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    let t = Date.UTC(2025, 0, 1, 12, 0, 0);
    const store = createRedisLimitStore({ url: "redis://127.0.0.1:1", commandTimeoutMs: 500 });
    stores.push(store);
    const limiter = createRateLimiter({ store, now: () => t, log });
    const check = { descriptor: "api_key" as const, value: uniqueId("hash"), rpm: 1, maxParallel: 1 };

    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      const admitted = expectAdmitted(await limiter.admit([check]));
      expect(admitted.failedOpen).toBe(true);
      expect(limiter.headers(admitted)).toEqual({});
      await admitted.lease.release({ total_tokens: 10 });
    }
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(lines.filter((l) => l.includes("WARN")).length).toBe(1);
    expect(lines[0]).toContain("fail open");

    t += 60_000;
    expectAdmitted(await limiter.admit([check]));
    expect(lines.filter((l) => l.includes("WARN")).length).toBe(2);
  });
});
