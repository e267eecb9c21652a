/** Store-independent behaviour: usage → tokens, formats, env parsing, failing stores. */
import { describe, expect, test } from "bun:test";
import {
  createMemoryLimitStore,
  createRateLimiter,
  formatResetAt,
  rateLimitWindowFromEnv,
  tokensForUsage,
  type LimitStore,
} from "../../src/limits/index.ts";
import { createLogger, silentLogger } from "../../src/log.ts";
import { expectAdmitted, manualClock, uniqueId } from "./helpers.ts";

describe("tokensForUsage", () => {
  const usage = { prompt_tokens: 70, completion_tokens: 20, total_tokens: 90 };

  test("output → completion, input → prompt, total → total", () => {
    expect(tokensForUsage(usage, "output")).toBe(20);
    expect(tokensForUsage(usage, "input")).toBe(70);
    expect(tokensForUsage(usage, "total")).toBe(90);
  });

  test("cached prompt tokens are not charged to input or total", () => {
    const cached = { ...usage, prompt_tokens_details: { cached_tokens: 50 } };
    expect(tokensForUsage(cached, "input")).toBe(20);
    expect(tokensForUsage(cached, "total")).toBe(40);
    expect(tokensForUsage(cached, "output")).toBe(20);
  });

  test("missing, null or nonsense usage charges nothing; a missing total is prompt + completion", () => {
    expect(tokensForUsage(undefined, "total")).toBe(0);
    expect(tokensForUsage({ prompt_tokens: null, completion_tokens: Number.NaN }, "total")).toBe(0);
    expect(tokensForUsage({ prompt_tokens: 5, completion_tokens: 7 }, "total")).toBe(12);
    expect(tokensForUsage({ completion_tokens: -3 }, "output")).toBe(0);
  });
});

test("formatResetAt is LiteLLM's `YYYY-MM-DD HH:MM:SS UTC`, in UTC", () => {
  expect(formatResetAt(new Date("2025-03-04T05:06:07.890Z"))).toBe("2025-03-04 05:06:07 UTC");
});

test("rateLimitWindowFromEnv reads LITELLM_RATE_LIMIT_WINDOW_SIZE, default 60", () => {
  expect(rateLimitWindowFromEnv({})).toBe(60);
  expect(rateLimitWindowFromEnv({ LITELLM_RATE_LIMIT_WINDOW_SIZE: "30" })).toBe(30);
  expect(rateLimitWindowFromEnv({ LITELLM_RATE_LIMIT_WINDOW_SIZE: "0" })).toBe(60);
  expect(rateLimitWindowFromEnv({ LITELLM_RATE_LIMIT_WINDOW_SIZE: "abc" })).toBe(60);
});

test("defaults: 60 s windows, tokens counted as total", () => {
  const limiter = createRateLimiter({ store: createMemoryLimitStore(), log: silentLogger });
  expect(limiter.windowSeconds).toBe(60);
  expect(limiter.tokenRateLimitType).toBe("total");
});

describe("a failing store", () => {
  const failing = (failRelease = true): LimitStore & { admits: number; releases: number } => {
    const store = {
      kind: "redis" as const,
      admits: 0,
      releases: 0,
      admit: async () => {
        store.admits += 1;
        throw new Error("connection refused");
      },
      release: async () => {
        store.releases += 1;
        if (failRelease) throw new Error("connection refused");
      },
      close: async () => {},
    };
    return store;
  };

  test("requests are admitted unchecked (fail open), flagged, with one warning per minute", async () => {
    const lines: string[] = [];
    const clock = manualClock();
    const store = failing();
    const limiter = createRateLimiter({ store, now: clock.now, log: createLogger({ write: (l) => lines.push(l) }) });
    const check = { descriptor: "api_key" as const, value: uniqueId("hash"), rpm: 0 };

    for (let i = 0; i < 3; i++) {
      const admitted = expectAdmitted(await limiter.admit([check]));
      expect(admitted.failedOpen).toBe(true);
      await admitted.lease.release({ total_tokens: 5 }); // never throws
    }
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/WARN .*counter store unavailable.*fail open/);
    expect(lines[0]).toContain("connection refused");
    clock.advance(59_999);
    await limiter.admit([check]);
    expect(lines.length).toBe(1);
    clock.advance(1);
    await limiter.admit([check]);
    expect(lines.length).toBe(2);
  });

  test("a lease admitted while the store was down still tries to free its slot, once", async () => {
    const store = failing(false);
    const limiter = createRateLimiter({ store, log: silentLogger });
    const admitted = expectAdmitted(await limiter.admit([{ descriptor: "api_key", value: uniqueId("hash"), maxParallel: 1 }]));
    await admitted.lease.release();
    await admitted.lease.release();
    expect(store.releases).toBe(1);
  });

  test("no limits → the store is not even asked", async () => {
    const store = failing();
    const limiter = createRateLimiter({ store, log: silentLogger });
    const admitted = expectAdmitted(await limiter.admit([{ descriptor: "user", value: "u", rpm: null, tpm: undefined }]));
    expect(admitted.failedOpen).toBe(false);
    expect(store.admits).toBe(0);
  });
});

test("a window that is not a positive number of seconds is refused at construction", () => {
  expect(() => createRateLimiter({ store: createMemoryLimitStore(), windowSeconds: 0, log: silentLogger })).toThrow(/window/);
});
