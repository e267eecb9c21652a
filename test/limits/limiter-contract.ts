/**
 * The rate-limit behaviours every store must give, written once and run against the
 * memory store and the Redis store. Windows are long (or the clock frozen) so that no
 * window boundary falls inside a test; rollover is tested per store.
 */
import { describe, expect, test } from "bun:test";
import type { RateLimiter, TokenRateLimitType } from "../../src/limits/index.ts";
import { expectAdmitted, expectDenied, uniqueId } from "./helpers.ts";

export type MakeLimiter = (options?: { tokenRateLimitType?: TokenRateLimitType }) => RateLimiter;

const usage = { prompt_tokens: 70, completion_tokens: 20, total_tokens: 90 };

export function describeLimiterContract(name: string, makeLimiter: MakeLimiter, enabled = true): void {
  describe.skipIf(!enabled)(`rate limiter contract (${name})`, () => {
    test("rpm N admits N requests in a window and denies the next, naming the descriptor", async () => {
      const limiter = makeLimiter();
      const key = uniqueId("hash");
      for (let i = 0; i < 3; i++) expectAdmitted(await limiter.admit([{ descriptor: "api_key", value: key, rpm: 3 }]));

      const denied = expectDenied(await limiter.admit([{ descriptor: "api_key", value: key, rpm: 3 }]));
      expect(denied).toMatchObject({ descriptor: "api_key", value: key, limitType: "requests", limit: 3, remaining: 0 });
      expect(denied.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(denied.retryAfterSeconds).toBeLessThanOrEqual(limiter.windowSeconds);
      expect(denied.resetAt.getTime() % (limiter.windowSeconds * 1000)).toBe(0);
    });

    test("a denied request consumes nothing: raising the limit by one admits exactly one more", async () => {
      const limiter = makeLimiter();
      const key = uniqueId("hash");
      for (let i = 0; i < 2; i++) expectAdmitted(await limiter.admit([{ descriptor: "api_key", value: key, rpm: 2 }]));
      for (let i = 0; i < 5; i++) expectDenied(await limiter.admit([{ descriptor: "api_key", value: key, rpm: 2 }]));

      const third = expectAdmitted(await limiter.admit([{ descriptor: "api_key", value: key, rpm: 3 }]));
      expect(third.statuses).toEqual([{ descriptor: "api_key", value: key, limitType: "requests", limit: 3, remaining: 0 }]);
      expectDenied(await limiter.admit([{ descriptor: "api_key", value: key, rpm: 3 }]));
    });

    test("rpm 0 and tpm 0 refuse everything", async () => {
      const limiter = makeLimiter();
      expect(expectDenied(await limiter.admit([{ descriptor: "user", value: uniqueId("u"), rpm: 0 }])).limitType).toBe("requests");
      expect(expectDenied(await limiter.admit([{ descriptor: "user", value: uniqueId("u"), tpm: 0 }])).limitType).toBe("tokens");
    });

    test("checks without any limit are ignored and need no lease work", async () => {
      const limiter = makeLimiter();
      const admitted = expectAdmitted(await limiter.admit([{ descriptor: "team", value: uniqueId("t"), rpm: null, tpm: null }]));
      expect(admitted.statuses).toEqual([]);
      await admitted.lease.release(usage);
      expect(admitted.lease.released).toBe(true);
    });

    for (const [type, charged] of [["output", 20], ["input", 70], ["total", 90]] as const) {
      test(`tpm is charged after release with the ${type} tokens (${charged})`, async () => {
        const limiter = makeLimiter({ tokenRateLimitType: type });
        const team = uniqueId("team");
        const check = { descriptor: "team" as const, value: team, tpm: 90 };

        const first = expectAdmitted(await limiter.admit([check]));
        expect(first.statuses).toEqual([{ descriptor: "team", value: team, limitType: "tokens", limit: 90, remaining: 90 }]);
        await expectAdmitted(await limiter.admit([check])).lease.release(); // no usage: charges nothing
        await first.lease.release(usage);

        const next = await limiter.admit([check]);
        if (charged >= 90) {
          expect(expectDenied(next)).toMatchObject({ descriptor: "team", limitType: "tokens", limit: 90 });
        } else {
          expect(expectAdmitted(next).statuses[0]?.remaining).toBe(90 - charged);
        }
      });
    }

    test("tpm refuses once the window's tokens reach the limit, not before", async () => {
      const limiter = makeLimiter({ tokenRateLimitType: "total" });
      const check = { descriptor: "end_user" as const, value: uniqueId("eu"), tpm: 100 };
      await expectAdmitted(await limiter.admit([check])).lease.release({ total_tokens: 99 });
      await expectAdmitted(await limiter.admit([check])).lease.release({ total_tokens: 1 });
      expectDenied(await limiter.admit([check]));
    });

    test("max_parallel_requests: concurrent leases up to the limit, freed on release, double release harmless", async () => {
      const limiter = makeLimiter();
      const check = { descriptor: "api_key" as const, value: uniqueId("hash"), maxParallel: 2 };
      const a = expectAdmitted(await limiter.admit([check]));
      const b = expectAdmitted(await limiter.admit([check]));
      expect(expectDenied(await limiter.admit([check]))).toMatchObject({ limitType: "max_parallel_requests", limit: 2 });

      await a.lease.release();
      await a.lease.release();
      expect(a.lease.released).toBe(true);
      const c = expectAdmitted(await limiter.admit([check]));
      expect(expectDenied(await limiter.admit([check])).limitType).toBe("max_parallel_requests");

      await Promise.all([b.lease.release(), c.lease.release(), b.lease.release()]);
      const d = expectAdmitted(await limiter.admit([check]));
      expect(d.statuses).toEqual([{ descriptor: "api_key", value: check.value, limitType: "max_parallel_requests", limit: 2, remaining: 1 }]);
      await d.lease.release();
    });

    test("a burst of concurrent admissions lets exactly max_parallel through", async () => {
      const limiter = makeLimiter();
      const check = { descriptor: "api_key" as const, value: uniqueId("hash"), maxParallel: 3 };
      const results = await Promise.all(Array.from({ length: 20 }, () => limiter.admit([check])));
      const admitted = results.filter((r) => r.allowed);
      expect(admitted.length).toBe(3);
      await Promise.all(admitted.map((r) => (r.allowed ? r.lease.release() : undefined)));
      expectAdmitted(await limiter.admit([check]));
    });

    test("a burst of concurrent admissions lets exactly rpm through", async () => {
      const limiter = makeLimiter();
      const check = { descriptor: "user" as const, value: uniqueId("u"), rpm: 5 };
      const results = await Promise.all(Array.from({ length: 25 }, () => limiter.admit([check])));
      expect(results.filter((r) => r.allowed).length).toBe(5);
    });

    test("several checks in one admission: a denial on any one increments none", async () => {
      const limiter = makeLimiter();
      const [key, team, user] = [uniqueId("hash"), uniqueId("team"), uniqueId("user")];
      const checks = [
        { descriptor: "api_key" as const, value: key, rpm: 10, maxParallel: 5 },
        { descriptor: "team" as const, value: team, rpm: 1 },
        { descriptor: "user" as const, value: user, rpm: 10 },
      ];
      const first = expectAdmitted(await limiter.admit(checks));
      expect(first.statuses.map((s) => `${s.descriptor}:${s.limitType}=${s.remaining}/${s.limit}`)).toEqual([
        "api_key:requests=9/10",
        "api_key:max_parallel_requests=4/5",
        "team:requests=0/1",
        "user:requests=9/10",
      ]);

      for (let i = 0; i < 3; i++) {
        expect(expectDenied(await limiter.admit(checks))).toMatchObject({ descriptor: "team", value: team, limitType: "requests" });
      }

      const keyOnly = expectAdmitted(await limiter.admit([checks[0]!, checks[2]!]));
      expect(keyOnly.statuses.map((s) => `${s.descriptor}:${s.limitType}=${s.remaining}`)).toEqual([
        "api_key:requests=8",
        "api_key:max_parallel_requests=3",
        "user:requests=8",
      ]);
      await Promise.all([first.lease.release(), keyOnly.lease.release()]);
    });

    test("the first limit hit is reported, in check order", async () => {
      const limiter = makeLimiter();
      const denied = expectDenied(
        await limiter.admit([
          { descriptor: "api_key", value: uniqueId("hash"), rpm: 5 },
          { descriptor: "team_member", value: `${uniqueId("t")}:${uniqueId("u")}`, rpm: 0 },
          { descriptor: "model_per_key", value: uniqueId("hash:gpt"), tpm: 0 },
        ]),
      );
      expect(denied.descriptor).toBe("team_member");
    });

    test("repeated checks of one descriptor+value count once, with the stricter limit", async () => {
      const limiter = makeLimiter();
      const value = uniqueId("hash");
      const checks = [
        { descriptor: "api_key" as const, value, rpm: 5 },
        { descriptor: "api_key" as const, value, rpm: 2 },
      ];
      const first = expectAdmitted(await limiter.admit(checks));
      expect(first.statuses).toEqual([{ descriptor: "api_key", value, limitType: "requests", limit: 2, remaining: 1 }]);
      expectAdmitted(await limiter.admit(checks));
      expectDenied(await limiter.admit(checks));
    });

    test("headers: x-ratelimit-* on admission, retry-after / rate_limit_type / reset_at on denial", async () => {
      const limiter = makeLimiter();
      const key = uniqueId("hash");
      const check = { descriptor: "api_key" as const, value: key, rpm: 1, tpm: 1000, maxParallel: 4 };
      const admitted = expectAdmitted(await limiter.admit([check]));
      expect(limiter.headers(admitted)).toEqual({
        "x-ratelimit-api_key-remaining-requests": "0",
        "x-ratelimit-api_key-limit-requests": "1",
        "x-ratelimit-api_key-remaining-tokens": "1000",
        "x-ratelimit-api_key-limit-tokens": "1000",
        "x-ratelimit-api_key-remaining-max_parallel_requests": "3",
        "x-ratelimit-api_key-limit-max_parallel_requests": "4",
      });

      const denied = expectDenied(await limiter.admit([check]));
      const headers = limiter.headers(denied);
      expect(headers["retry-after"]).toBe(String(denied.retryAfterSeconds));
      expect(headers.rate_limit_type).toBe("requests");
      expect(headers.reset_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
      expect(headers["x-ratelimit-api_key-remaining-requests"]).toBe("0");
      expect(limiter.deniedMessage(denied)).toBe(
        `Rate limit exceeded for api_key: ${key}. Limit type: requests. Current limit: 1, Remaining: 0. Limit resets at: ${headers.reset_at}`,
      );
      await admitted.lease.release();
    });
  });
}
