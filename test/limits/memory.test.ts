import { describe, expect, test } from "bun:test";
import { createMemoryLimitStore, createRateLimiter } from "../../src/limits/index.ts";
import { silentLogger } from "../../src/log.ts";
import { expectAdmitted, expectDenied, manualClock, uniqueId } from "./helpers.ts";
import { describeLimiterContract } from "./limiter-contract.ts";

const frozen = manualClock();
const sharedStore = createMemoryLimitStore();
describeLimiterContract("memory", (options) =>
  createRateLimiter({ store: sharedStore, now: frozen.now, log: silentLogger, ...options }),
);

describe("memory store: windows on an injected clock", () => {
  const setup = (windowSeconds = 60) => {
    const clock = manualClock(); // 12:00:15 UTC, 15 s into a minute
    const limiter = createRateLimiter({ store: createMemoryLimitStore(), now: clock.now, windowSeconds, log: silentLogger });
    return { clock, limiter };
  };

  test("a denial says when the window ends and how long to wait", async () => {
    const { limiter } = setup();
    const key = uniqueId("hash");
    expectAdmitted(await limiter.admit([{ descriptor: "api_key", value: key, rpm: 1 }]));
    const denied = expectDenied(await limiter.admit([{ descriptor: "api_key", value: key, rpm: 1 }]));

    expect(denied.resetAt.toISOString()).toBe("2025-01-01T12:01:00.000Z");
    expect(denied.retryAfterSeconds).toBe(45);
    expect(limiter.headers(denied)).toMatchObject({ "retry-after": "45", rate_limit_type: "requests", reset_at: "2025-01-01 12:01:00 UTC" });
    expect(limiter.deniedMessage(denied)).toBe(
      `Rate limit exceeded for api_key: ${key}. Limit type: requests. Current limit: 1, Remaining: 0. Limit resets at: 2025-01-01 12:01:00 UTC`,
    );
  });

  test("request counters start over in the next window; the denied requests left nothing behind", async () => {
    const { clock, limiter } = setup();
    const check = { descriptor: "user" as const, value: uniqueId("u"), rpm: 2 };
    expectAdmitted(await limiter.admit([check]));
    expectAdmitted(await limiter.admit([check]));
    expectDenied(await limiter.admit([check]));

    clock.advance(44_999); // 12:00:59.999, still the same window
    expectDenied(await limiter.admit([check]));
    clock.advance(1); // 12:01:00.000
    const next = expectAdmitted(await limiter.admit([check]));
    expect(next.statuses[0]?.remaining).toBe(1);
  });

  test("token counters roll over too, and tokens land in the window current at release", async () => {
    const { clock, limiter } = setup();
    const check = { descriptor: "team" as const, value: uniqueId("t"), tpm: 50 };
    const lease = expectAdmitted(await limiter.admit([check])).lease;
    clock.advance(50_000); // the request ends in the next window
    await lease.release({ total_tokens: 80 });
    expect(expectDenied(await limiter.admit([check])).limitType).toBe("tokens");
    clock.advance(60_000);
    expectAdmitted(await limiter.admit([check]));
  });

  test("windowSeconds changes the window length (LITELLM_RATE_LIMIT_WINDOW_SIZE)", async () => {
    const { clock, limiter } = setup(10);
    const check = { descriptor: "end_user" as const, value: uniqueId("eu"), rpm: 1 };
    expectAdmitted(await limiter.admit([check]));
    const denied = expectDenied(await limiter.admit([check]));
    expect(denied.resetAt.toISOString()).toBe("2025-01-01T12:00:20.000Z");
    expect(denied.retryAfterSeconds).toBe(5);
    clock.advance(5_000);
    expectAdmitted(await limiter.admit([check]));
  });

  test("a parallel denial suggests retrying in a second", async () => {
    const { limiter } = setup();
    const check = { descriptor: "api_key" as const, value: uniqueId("hash"), maxParallel: 1 };
    expectAdmitted(await limiter.admit([check]));
    const denied = expectDenied(await limiter.admit([check]));
    expect(denied.retryAfterSeconds).toBe(1);
    expect(denied.resetAt.toISOString()).toBe("2025-01-01T12:00:16.000Z");
  });

  test("a parallel slot never released frees itself after the safety TTL", async () => {
    const clock = manualClock();
    const store = createMemoryLimitStore({ parallelTtlSeconds: 600 });
    const limiter = createRateLimiter({ store, now: clock.now, log: silentLogger });
    const check = { descriptor: "api_key" as const, value: uniqueId("hash"), maxParallel: 1 };
    const leaked = expectAdmitted(await limiter.admit([check])); // never released (a crashed request)
    clock.advance(599_000);
    expectDenied(await limiter.admit([check]));
    clock.advance(1_000);
    const fresh = expectAdmitted(await limiter.admit([check]));
    await leaked.lease.release(); // the late release must not free the new holder's slot twice over
    expectDenied(await limiter.admit([check]));
    await fresh.lease.release();
    expectAdmitted(await limiter.admit([check]));
  });
});
