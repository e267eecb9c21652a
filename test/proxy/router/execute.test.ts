import { describe, expect, test } from "bun:test";
import type { LitellmSettings, RouterSettings } from "../../../src/config/index.ts";
import { NoDeploymentAvailable, UpstreamFailure } from "../../../src/proxy/router/errors.ts";
import { createRouter, type RouterOptions } from "../../../src/proxy/router/execute.ts";
import type { Deployment } from "../../../src/proxy/types.ts";
import { deployment, fakeClock, seededRandom } from "./fixtures.ts";

const fail = (status: number | null, extra: Partial<ConstructorParameters<typeof UpstreamFailure>[0]> = {}) =>
  new UpstreamFailure({ status, message: `upstream ${status}`, ...extra });

/** Groups from `name: [deployment ids]`; every deployment serves its group. */
const groups = (spec: Record<string, string[]>): Map<string, Deployment[]> =>
  new Map(Object.entries(spec).map(([group, ids]) => [group, ids.map((id) => deployment(id, {}, group))]));

const setup = (spec: Record<string, string[]>, routerSettings: RouterSettings = {}, extra: Partial<RouterOptions> = {}) => {
  const delays: number[] = [];
  const clock = fakeClock();
  const router = createRouter({
    groups: groups(spec),
    routerSettings,
    random: seededRandom(42),
    now: clock.now,
    sleep: async (ms) => {
      delays.push(ms);
    },
    warn: () => {},
    ...extra,
  });
  return { router, delays, clock };
};

/** An attempt that answers from a script keyed by deployment id; records every call. */
const scripted = (script: Record<string, (UpstreamFailure | string)[] | UpstreamFailure | string>) => {
  const calls: string[] = [];
  const attempt = async (d: Deployment): Promise<string> => {
    calls.push(d.id);
    const entry = script[d.id] ?? `ok:${d.id}`;
    const outcome = Array.isArray(entry) ? (entry.shift() ?? `ok:${d.id}`) : entry;
    if (outcome instanceof UpstreamFailure) throw outcome;
    return outcome;
  };
  return { calls, attempt };
};

describe("retries", () => {
  test("retries a retryable failure num_retries times with exponential backoff", async () => {
    const { router, delays } = setup({ "gpt-4o": ["a"] }, { num_retries: 3, disable_cooldowns: true });
    const { calls, attempt } = scripted({ a: fail(500) });
    await expect(router.route("gpt-4o", attempt)).rejects.toMatchObject({ status: 500 });
    expect(calls).toEqual(["a", "a", "a", "a"]);
    expect(delays).toEqual([100, 200, 400]);
  });

  test("backoff doubles up to 5 s", async () => {
    const { router, delays } = setup({ "gpt-4o": ["a"] }, { num_retries: 8, disable_cooldowns: true });
    const { attempt } = scripted({ a: fail(503) });
    await expect(router.route("gpt-4o", attempt)).rejects.toBeInstanceOf(UpstreamFailure);
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  test("honours the upstream's retry-after, capped at 5 s", async () => {
    const { router, delays } = setup({ "gpt-4o": ["a"] }, { num_retries: 2, disable_cooldowns: true });
    const { attempt } = scripted({ a: [fail(429, { retryAfterSeconds: 2 }), fail(429, { retryAfterSeconds: 60 })] });
    const routed = await router.route("gpt-4o", attempt);
    expect(delays).toEqual([2000, 5000]);
    expect(routed.attemptedRetries).toBe(2);
  });

  test("a retry picks a different deployment when one is usable", async () => {
    const { router } = setup({ "gpt-4o": ["a", "b", "c"] }, { num_retries: 2 });
    const calls: string[] = [];
    const routed = await router.route("gpt-4o", async (d) => {
      calls.push(d.id);
      if (calls.length < 3) throw fail(502);
      return d.id;
    });
    expect(new Set(calls).size).toBe(3);
    expect(routed.result).toBe(calls[2] as string);
    expect(routed.attemptedRetries).toBe(2);
  });

  test("retries connection errors and timeouts", async () => {
    const { router } = setup({ "gpt-4o": ["a"] }, { num_retries: 2, disable_cooldowns: true });
    const { calls, attempt } = scripted({ a: [fail(null, { kind: "connect" }), fail(null, { kind: "timeout" })] });
    expect((await router.route("gpt-4o", attempt)).result).toBe("ok:a");
    expect(calls).toHaveLength(3);
  });

  test("a non-retryable failure is neither retried nor sent to fallbacks", async () => {
    const { router } = setup({ "gpt-4o": ["a", "b"], backup: ["z"] }, { num_retries: 3, fallbacks: [{ "gpt-4o": ["backup"] }] });
    const { calls, attempt } = scripted({ a: fail(400), b: fail(400) });
    await expect(router.route("gpt-4o", attempt)).rejects.toMatchObject({ status: 400 });
    expect(calls).toHaveLength(1);
  });

  test("num_retries comes from router_settings, then litellm_settings, else LiteLLM's default of 2", () => {
    const litellmSettings: LitellmSettings = { num_retries: 4 };
    expect(createRouter({ groups: new Map(), routerSettings: { num_retries: 1 }, litellmSettings }).numRetries).toBe(1);
    expect(createRouter({ groups: new Map(), litellmSettings }).numRetries).toBe(4);
    expect(createRouter({ groups: new Map() }).numRetries).toBe(2);
  });
});

describe("fallbacks", () => {
  test("tries fallback groups in order, each with its own retries, up to max_fallbacks", async () => {
    const settings: RouterSettings = { num_retries: 1, max_fallbacks: 2, fallbacks: [{ "gpt-4o": ["f1", "f2", "f3"] }] };
    const { router } = setup({ "gpt-4o": ["a"], f1: ["b"], f2: ["c"], f3: ["d"] }, settings);
    const { calls, attempt } = scripted({ a: fail(500), b: fail(500), c: fail(500), d: "never" });
    const error = await router.route("gpt-4o", attempt).catch((e: unknown) => e);
    expect(calls).toEqual(["a", "a", "b", "b", "c", "c"]);
    expect(error).toBeInstanceOf(UpstreamFailure);
    expect((error as UpstreamFailure).message).toBe("upstream 500");
  });

  test("a fallback that answers is reported with its group and the retries so far", async () => {
    const { router } = setup({ "gpt-4o": ["a"], f1: ["b"], f2: ["c"] }, { num_retries: 1, fallbacks: [{ "gpt-4o": ["f1", "f2"] }] });
    const { attempt } = scripted({ a: fail(500), b: fail(503) });
    const routed = await router.route("gpt-4o", attempt);
    expect(routed).toMatchObject({ result: "ok:c", modelGroup: "f2", attemptedRetries: 4, attemptedFallbacks: 2 });
    expect(routed.deployment.id).toBe("c");
  });

  test("router_settings fallbacks win over litellm_settings ones", async () => {
    const { router } = setup(
      { "gpt-4o": ["a"], r: ["r1"], l: ["l1"] },
      { num_retries: 0, fallbacks: [{ "gpt-4o": ["r"] }] },
      { litellmSettings: { fallbacks: [{ "gpt-4o": ["l"] }] } },
    );
    const { attempt } = scripted({ a: fail(500) });
    expect((await router.route("gpt-4o", attempt)).modelGroup).toBe("r");
  });

  test("litellm_settings fallbacks apply when router_settings has none for the group", async () => {
    const { router } = setup({ "gpt-4o": ["a"], l: ["l1"] }, { num_retries: 0 }, { litellmSettings: { fallbacks: [{ "gpt-4o": ["l"] }] } });
    const { attempt } = scripted({ a: fail(500) });
    expect((await router.route("gpt-4o", attempt)).modelGroup).toBe("l");
  });

  test("default_fallbacks apply when the group has no fallbacks entry", async () => {
    const settings: RouterSettings = { num_retries: 0, fallbacks: [{ other: ["x"] }], default_fallbacks: ["generic"] };
    const { router } = setup({ "gpt-4o": ["a"], generic: ["g"], x: ["x1"] }, settings);
    const { attempt } = scripted({ a: fail(500) });
    expect((await router.route("gpt-4o", attempt)).modelGroup).toBe("generic");
  });

  test("client fallbacks are tried before configured ones", async () => {
    const settings: RouterSettings = { num_retries: 0, fallbacks: [{ "gpt-4o": ["configured"] }] };
    const { router } = setup({ "gpt-4o": ["a"], configured: ["c"], client: ["k"] }, settings);
    const { calls, attempt } = scripted({ a: fail(500), k: fail(500) });
    const routed = await router.route("gpt-4o", attempt, { clientFallbacks: ["client"] });
    expect(calls).toEqual(["a", "k", "c"]);
    expect(routed.modelGroup).toBe("configured");
  });

  test("a context-window failure uses context_window_fallbacks, not the general ones", async () => {
    const settings: RouterSettings = {
      num_retries: 2,
      fallbacks: [{ "gpt-4o": ["general"] }],
      context_window_fallbacks: [{ "gpt-4o": ["long-context"] }],
    };
    const { router } = setup({ "gpt-4o": ["a"], general: ["g"], "long-context": ["lc"] }, settings);
    const { calls, attempt } = scripted({ a: fail(400, { kind: "context_window" }) });
    const routed = await router.route("gpt-4o", attempt);
    expect(calls).toEqual(["a", "lc"]);
    expect(routed.modelGroup).toBe("long-context");
  });

  test("a content-policy failure uses content_policy_fallbacks", async () => {
    const settings: RouterSettings = {
      num_retries: 2,
      fallbacks: [{ "gpt-4o": ["general"] }],
      content_policy_fallbacks: [{ "gpt-4o": ["lenient"] }],
    };
    const { router } = setup({ "gpt-4o": ["a"], general: ["g"], lenient: ["l"] }, settings);
    const { attempt } = scripted({ a: fail(400, { kind: "content_policy" }) });
    expect((await router.route("gpt-4o", attempt)).modelGroup).toBe("lenient");
  });

  test("the context-window pre-check skips deployments that cannot fit the prompt", async () => {
    const settings: RouterSettings = { context_window_fallbacks: [{ "gpt-4o": ["long-context"] }] };
    const { router } = setup({ "gpt-4o": ["small"], "long-context": ["big"] }, settings);
    const { calls, attempt } = scripted({});
    const routed = await router.route("gpt-4o", attempt, { contextWindowExceeded: (d) => d.id === "small" });
    expect(calls).toEqual(["big"]);
    expect(routed.modelGroup).toBe("long-context");
  });
});

describe("no deployment available", () => {
  test("every deployment cooling down → LiteLLM's 429 message with the group and the wait", async () => {
    const { router } = setup({ "gpt-4o": ["a", "b"] }, { num_retries: 0 });
    router.health.cooldown("a");
    router.health.cooldown("b");
    const error = await router.route("gpt-4o", scripted({}).attempt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoDeploymentAvailable);
    const message = (error as NoDeploymentAvailable).message;
    expect(message).toContain("No deployments available for selected model");
    expect(message).toContain("gpt-4o");
    expect(message).toContain("Try again in 5 seconds");
    expect((error as NoDeploymentAvailable).status).toBe(429);
  });

  test("an unknown group → NoDeploymentAvailable", async () => {
    const { router } = setup({ "gpt-4o": ["a"] });
    await expect(router.route("nope", scripted({}).attempt)).rejects.toBeInstanceOf(NoDeploymentAvailable);
  });

  test("a group with nothing usable still falls back", async () => {
    const { router } = setup({ "gpt-4o": ["a"], backup: ["b"] }, { fallbacks: [{ "gpt-4o": ["backup"] }] });
    router.health.cooldown("a");
    const routed = await router.route("gpt-4o", scripted({}).attempt);
    expect(routed).toMatchObject({ modelGroup: "backup", attemptedRetries: 0, attemptedFallbacks: 1 });
  });

  test("a deployment that returns 429 is cooled down and later requests avoid it until cooldown_time passes", async () => {
    const { router, clock } = setup({ "gpt-4o": ["a", "b"] }, { num_retries: 1, cooldown_time: 5 });
    const calls: string[] = [];
    const attempt = async (d: Deployment) => {
      calls.push(d.id);
      if (d.id === "a") throw fail(429);
      return d.id;
    };
    for (let i = 0; i < 20; i++) await router.route("gpt-4o", attempt);
    expect(calls.filter((id) => id === "a")).toHaveLength(1);
    clock.advance(5000);
    expect(router.health.cooldownRemainingMs("a")).toBe(0);
  });
});

describe("abort", () => {
  test("an abort during an attempt stops retries and rethrows", async () => {
    const { router } = setup({ "gpt-4o": ["a", "b"] }, { num_retries: 5, fallbacks: [{ "gpt-4o": ["x"] }] });
    const controller = new AbortController();
    let calls = 0;
    const error = await router
      .route(
        "gpt-4o",
        async () => {
          calls += 1;
          controller.abort();
          throw fail(null, { kind: "connect", message: "aborted" });
        },
        { signal: controller.signal },
      )
      .catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect((error as UpstreamFailure).message).toBe("aborted");
    expect(router.health.get("a").failures + router.health.get("b").failures).toBe(0);
  });

  test("an abort during the backoff stops before the next attempt", async () => {
    const controller = new AbortController();
    const { router } = setup(
      { "gpt-4o": ["a"] },
      { num_retries: 5, disable_cooldowns: true },
      {
        sleep: async () => {
          controller.abort(new Error("client went away"));
        },
      },
    );
    const { calls, attempt } = scripted({ a: fail(500) });
    await expect(router.route("gpt-4o", attempt, { signal: controller.signal })).rejects.toThrow("client went away");
    expect(calls).toHaveLength(1);
  });
});

describe("bookkeeping", () => {
  test("attempt numbers count across retries and fallbacks; in-flight is released", async () => {
    const { router } = setup({ "gpt-4o": ["a"], backup: ["b"] }, { num_retries: 1, fallbacks: [{ "gpt-4o": ["backup"] }] });
    const seen: [string, number, string][] = [];
    await router.route("gpt-4o", async (d, info) => {
      seen.push([d.id, info.attemptNumber, info.modelGroup]);
      if (d.id === "a") throw fail(500);
      return null;
    });
    expect(seen).toEqual([
      ["a", 1, "gpt-4o"],
      ["a", 2, "gpt-4o"],
      ["b", 3, "backup"],
    ]);
    expect(router.health.get("a").inFlight).toBe(0);
    expect(router.health.get("b")).toMatchObject({ inFlight: 0, requests: 1 });
  });

  test("success records latency; recordTokens feeds the minute's tpm", async () => {
    const { router, clock } = setup({ "gpt-4o": ["a"] });
    await router.route("gpt-4o", async () => {
      clock.advance(250);
      return "ok";
    });
    router.recordTokens("a", 42);
    expect(router.health.get("a")).toMatchObject({ latencyMs: 250, tokens: 42 });
  });

  test("an error that is not an UpstreamFailure is rethrown as is, without retry", async () => {
    const { router } = setup({ "gpt-4o": ["a"] }, { num_retries: 3 });
    let calls = 0;
    const bug = new TypeError("bug");
    const error = await router
      .route("gpt-4o", async () => {
        calls += 1;
        throw bug;
      })
      .catch((e: unknown) => e);
    expect(error).toBe(bug);
    expect(calls).toBe(1);
  });

  test("unimplemented strategies warn once per router", async () => {
    const warnings: string[] = [];
    const { router } = setup({ "gpt-4o": ["a"] }, { routing_strategy: "cost-based-routing" }, { warn: (m) => warnings.push(m) });
    await router.route("gpt-4o", scripted({}).attempt);
    await router.route("gpt-4o", scripted({}).attempt);
    expect(warnings).toHaveLength(1);
  });
});

describe("timeoutFor", () => {
  const d = (params: Partial<Deployment["params"]>) => deployment("a", params);

  test("deployment, then router_settings, then litellm_settings.request_timeout, then 6000 s", () => {
    const full = createRouter({ groups: new Map(), routerSettings: { timeout: 30, stream_timeout: 10 }, litellmSettings: { request_timeout: 90 } });
    expect(full.timeoutFor(d({ timeout: 5, stream_timeout: 2 }), false)).toBe(5000);
    expect(full.timeoutFor(d({ timeout: 5, stream_timeout: 2 }), true)).toBe(2000);
    expect(full.timeoutFor(d({}), false)).toBe(30_000);
    expect(full.timeoutFor(d({}), true)).toBe(10_000);
    const litellmOnly = createRouter({ groups: new Map(), litellmSettings: { request_timeout: 90 } });
    expect(litellmOnly.timeoutFor(d({}), true)).toBe(90_000);
    expect(createRouter({ groups: new Map() }).timeoutFor(d({}), false)).toBe(6_000_000);
  });
});
