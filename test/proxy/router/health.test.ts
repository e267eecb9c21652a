import { describe, expect, test } from "bun:test";
import { UpstreamFailure, parseRetryAfter } from "../../../src/proxy/router/errors.ts";
import { HealthTracker } from "../../../src/proxy/router/health.ts";
import { fakeClock } from "./fixtures.ts";

const serverError = () => new UpstreamFailure({ status: 500, message: "boom" });
const rateLimited = () => new UpstreamFailure({ status: 429, message: "slow down" });

describe("cooldown after allowed_fails", () => {
  test("the failure after allowed_fails in a minute cools the deployment down for cooldown_time", () => {
    const clock = fakeClock();
    const health = new HealthTracker({ now: clock.now, allowedFails: 3, cooldownTimeS: 5 });
    for (let i = 0; i < 3; i++) expect(health.recordFailure("a", serverError(), { groupSize: 2 })).toBe(false);
    expect(health.get("a").cooldownRemainingMs).toBe(0);
    expect(health.recordFailure("a", serverError(), { groupSize: 2 })).toBe(true);
    expect(health.get("a").cooldownRemainingMs).toBe(5000);
    clock.advance(4999);
    expect(health.cooldownRemainingMs("a")).toBe(1);
    clock.advance(1);
    expect(health.cooldownRemainingMs("a")).toBe(0);
  });

  test("defaults are LiteLLM's: 3 allowed fails, 5 s cooldown", () => {
    const health = new HealthTracker();
    expect(health.allowedFails).toBe(3);
    expect(health.cooldownTimeS).toBe(5);
  });

  test("failures in an earlier minute do not count", () => {
    const clock = fakeClock();
    const health = new HealthTracker({ now: clock.now, allowedFails: 1 });
    health.recordFailure("a", serverError(), { groupSize: 1 });
    clock.advance(60_000);
    expect(health.recordFailure("a", serverError(), { groupSize: 1 })).toBe(false);
    expect(health.get("a").failures).toBe(1);
  });

  test("request-side failures (400, context window) do not count", () => {
    const health = new HealthTracker({ allowedFails: 0 });
    health.recordFailure("a", new UpstreamFailure({ status: 400, message: "bad" }), { groupSize: 2 });
    health.recordFailure("a", new UpstreamFailure({ status: 400, kind: "context_window", message: "too long" }), { groupSize: 2 });
    expect(health.get("a").failures).toBe(0);
    expect(health.cooldownRemainingMs("a")).toBe(0);
  });

  test("disable_cooldowns keeps counting but never cools down", () => {
    const health = new HealthTracker({ allowedFails: 0, disableCooldowns: true });
    expect(health.recordFailure("a", rateLimited(), { groupSize: 3 })).toBe(false);
    expect(health.cooldownRemainingMs("a")).toBe(0);
  });
});

describe("immediate cooldowns", () => {
  test("a 429 or 401 cools down at once when the group has another deployment", () => {
    const health = new HealthTracker();
    expect(health.recordFailure("a", rateLimited(), { groupSize: 2 })).toBe(true);
    expect(health.recordFailure("b", new UpstreamFailure({ status: 401, message: "bad key" }), { groupSize: 2 })).toBe(true);
  });

  test("a 429 on a single-deployment group only counts toward allowed_fails", () => {
    const health = new HealthTracker({ allowedFails: 1 });
    expect(health.recordFailure("a", rateLimited(), { groupSize: 1 })).toBe(false);
    expect(health.recordFailure("a", rateLimited(), { groupSize: 1 })).toBe(true);
  });
});

describe("counters", () => {
  test("in-flight, requests and tokens per minute", () => {
    const clock = fakeClock();
    const health = new HealthTracker({ now: clock.now });
    health.begin("a");
    health.begin("a");
    health.end("a");
    health.recordTokens("a", 120);
    expect(health.get("a")).toMatchObject({ inFlight: 1, requests: 2, tokens: 120 });
    clock.advance(60_000);
    expect(health.get("a")).toMatchObject({ inFlight: 1, requests: 0, tokens: 0 });
  });

  test("latency is a moving average of call durations; timeouts count as slow", () => {
    const health = new HealthTracker({ latencyAlpha: 0.5 });
    health.recordSuccess("a", 100);
    health.recordSuccess("a", 300);
    expect(health.get("a").latencyMs).toBe(200);
    health.recordFailure("a", new UpstreamFailure({ status: null, kind: "timeout", message: "timed out" }), {
      groupSize: 1,
      durationMs: 1000,
    });
    expect(health.get("a").latencyMs).toBe(600);
  });
});

describe("parseRetryAfter", () => {
  test("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("2")).toBe(2);
    expect(parseRetryAfter("0.5")).toBe(0.5);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:03 GMT", now)).toBe(3);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
