/**
 * The router, end to end (API.md §5 router_settings): model groups of several
 * deployments, each deployment on its own mock upstream, so what the router did can be
 * read off what each upstream received. Covered: retries (`num_retries`), what is not
 * retried, fallbacks of each kind, cooldowns (`allowed_fails`, `cooldown_time`),
 * deployment `rpm`, `timeout`, `weight`, and the least-busy strategy.
 *
 * Each deployment calls its upstream with its own model id, and `model_info.id` is that
 * same id, so `x-litellm-model-id` and the mock's recorded body name the same thing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { ModelDeployment } from "../../../src/config/index.ts";
import { type ApiResponse, describeStores, type Harness, type HarnessOptions } from "../../support/harness.ts";
import { type MockOpenAI, startMockOpenAI } from "../../support/mock-openai.ts";
import { RecordingSpend } from "../../support/spend.ts";

const MESSAGES = [{ role: "user", content: "Route me." }];
const CONTEXT_EXCEEDED =
  "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.";

/** A deployment of `group` on `mock`, calling it with model id `id` (also its model_info.id). */
function deployment(group: string, mock: MockOpenAI, id: string, params: Record<string, unknown> = {}): ModelDeployment {
  return {
    model_name: group,
    litellm_params: { model: `openai/${id}`, api_base: `${mock.url}/v1`, api_key: "sk-upstream-router-secret", ...params },
    model_info: { id },
  } as ModelDeployment;
}

/** Makes every call to the deployment fail with `status` (the mock obeys x-mock-status). */
const failing = (status: number) => ({ extra_headers: { "x-mock-status": String(status) } });

const chat = (h: Harness, model: string): Promise<ApiResponse> => h.post("/v1/chat/completions", { model, messages: MESSAGES });

/** Where each mock's request log stood when the current test began (mocks outlive a harness). */
const marks = new Map<MockOpenAI, number>();

/** How many calls `mock` received in this test for the deployment with model id `id`. */
const seen = (mock: MockOpenAI, id: string): number => mock.requests.slice(marks.get(mock) ?? 0).filter((r) => r.body.model === id).length;

function expectOk(res: ApiResponse): void {
  expect({ status: res.status, body: res.status === 200 ? "ok" : res.body }).toEqual({ status: 200, body: "ok" });
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/** Per-minute counters (rpm, allowed_fails) roll over on the minute: keep a test inside one. */
async function awayFromMinuteBoundary(needMs = 1_500): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await Bun.sleep(left + 20);
}

describe("router e2e", () => {
  let a: MockOpenAI;
  let b: MockOpenAI;
  let c: MockOpenAI;
  const spend = new RecordingSpend();

  beforeAll(() => {
    a = startMockOpenAI();
    b = startMockOpenAI();
    c = startMockOpenAI();
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close(), c.close()]);
  });
  beforeEach(() => {
    for (const mock of [a, b, c]) marks.set(mock, mock.requests.length);
  });
  afterEach(() => {
    a.script = [];
    b.script = [];
    c.script = [];
  });

  const retriesAndFallbacks = (): HarnessOptions => ({
    spend,
    config: {
      model_list: [
        deployment("retry-503", a, "r503-a"),
        deployment("retry-503", b, "r503-b"),
        deployment("retry-500", a, "r500-a"),
        deployment("retry-500", b, "r500-b"),
        deployment("retry-429", a, "r429-a", { order: 1 }),
        deployment("retry-429", b, "r429-b", { order: 2 }),
        deployment("bad-request", a, "r400-a"),
        deployment("bad-request", b, "r400-b"),
        deployment("primary", a, "primary-a", failing(503)),
        deployment("primary", b, "primary-b", failing(503)),
        deployment("backup", c, "backup-c"),
        deployment("ctx-small", a, "ctx-small-a"),
        deployment("ctx-large", c, "ctx-large-c"),
        deployment("orphan", a, "orphan-a", failing(500)),
        deployment("default-backup", c, "default-backup-c"),
        deployment("weighted", a, "weighted-a", { weight: 9 }),
        deployment("weighted", b, "weighted-b", { weight: 1 }),
      ],
      router_settings: {
        num_retries: 2,
        fallbacks: [{ primary: ["backup"] }, { "ctx-small": ["backup"] }],
        context_window_fallbacks: [{ "ctx-small": ["ctx-large"] }],
        default_fallbacks: ["default-backup"],
      },
    },
  });

  describeStores(
    "retries and fallbacks",
    (h) => {
      test.each([503, 500])("a %i is retried on the group's other deployment, and the retries are reported", async (status) => {
        const [ida, idb] = [`r${status}-a`, `r${status}-b`];
        // Each upstream fails its next call once: whichever is tried first, two calls fail and the third succeeds.
        a.script = [{ kind: "status", status }];
        b.script = [{ kind: "status", status }];

        const res = await chat(h(), `retry-${status}`);

        expectOk(res);
        expect(res.headers.get("x-litellm-attempted-retries")).toBe("2");
        expect(res.headers.get("x-litellm-model-group")).toBe(`retry-${status}`);
        expect(seen(a, ida) + seen(b, idb)).toBe(3);
        expect(seen(a, ida)).toBeGreaterThanOrEqual(1);
        expect(seen(b, idb)).toBeGreaterThanOrEqual(1);
        const record = spend.byCallId(res.headers.get("x-litellm-call-id"));
        expect(record).toMatchObject({ status: "success", attempted_retries: 2, model_group: `retry-${status}` });
      });

      test("a 429 is retried on the other deployment", async () => {
        // order: 1 makes r429-a the first choice; its 429 sends the retry to r429-b.
        a.script = [{ kind: "status", status: 429, message: "Rate limit reached for requests" }];

        const res = await chat(h(), "retry-429");

        expectOk(res);
        expect(res.headers.get("x-litellm-attempted-retries")).toBe("1");
        expect(res.headers.get("x-litellm-model-id")).toBe("r429-b");
        expect(res.body.model).toBe("r429-b");
        expect([seen(a, "r429-a"), seen(b, "r429-b")]).toEqual([1, 1]);
      });

      test("a 400 from the upstream is not retried: its status and message reach the client as litellm.BadRequestError", async () => {
        const message = "Invalid value for 'temperature': must be between 0 and 2.";
        a.script = [{ kind: "status", status: 400, message }];
        b.script = [{ kind: "status", status: 400, message }];

        const res = await chat(h(), "bad-request");

        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(`litellm.BadRequestError: ${message}`);
        expect(res.body.error.code).toBe("400");
        expect(res.body.error.type).toBe("invalid_request_error");
        expect(seen(a, "r400-a") + seen(b, "r400-b")).toBe(1);
        // No fallback either: default_fallbacks are for failures a retry could cure.
        expect(seen(c, "default-backup-c")).toBe(0);
      });

      test("fallbacks are tried once the primary group's retries are exhausted; the backup answers", async () => {
        const res = await chat(h(), "primary");

        expectOk(res);
        expect(res.body.model).toBe("backup-c");
        expect(res.headers.get("x-litellm-model-group")).toBe("backup");
        expect(res.headers.get("x-litellm-model-id")).toBe("backup-c");
        // num_retries: 2 → three calls to the primary group, then one to the backup.
        expect(seen(a, "primary-a") + seen(b, "primary-b")).toBe(3);
        expect(seen(c, "backup-c")).toBe(1);
      });

      test("a context-length 400 goes to context_window_fallbacks at once, not to the general fallbacks", async () => {
        a.script = [{ kind: "status", status: 400, message: CONTEXT_EXCEEDED }];

        const res = await chat(h(), "ctx-small");

        expectOk(res);
        expect(res.body.model).toBe("ctx-large-c");
        expect(res.headers.get("x-litellm-model-group")).toBe("ctx-large");
        expect(seen(a, "ctx-small-a")).toBe(1);
        expect(seen(c, "ctx-large-c")).toBe(1);
        expect(seen(c, "backup-c")).toBe(0);
      });

      test("a group with no fallbacks of its own uses default_fallbacks", async () => {
        const res = await chat(h(), "orphan");

        expectOk(res);
        expect(res.body.model).toBe("default-backup-c");
        expect(res.headers.get("x-litellm-model-group")).toBe("default-backup");
        expect(seen(a, "orphan-a")).toBe(3);
        expect(seen(c, "default-backup-c")).toBe(1);
      });

      test("weights split traffic in proportion: weight 9 vs 1 over 200 requests is about 90/10", async () => {
        for (let batch = 0; batch < 10; batch++) {
          const answers = await Promise.all(Array.from({ length: 20 }, () => chat(h(), "weighted")));
          for (const res of answers) expectOk(res);
        }

        const heavy = seen(a, "weighted-a");
        expect(heavy + seen(b, "weighted-b")).toBe(200);
        // Binomial(200, 0.9): mean 180, sd ≈ 4.2; these bounds are more than 4.5 sd away.
        expect(heavy).toBeGreaterThanOrEqual(160);
        expect(heavy).toBeLessThanOrEqual(198);
      });
    },
    retriesAndFallbacks,
  );

  const healthAndLimits = (): HarnessOptions => ({
    spend,
    config: {
      model_list: [
        deployment("exhausted", a, "ex-a", failing(503)),
        deployment("exhausted", b, "ex-b", failing(503)),
        deployment("flaky", a, "flaky-a", failing(500)),
        deployment("flaky", b, "flaky-b"),
        deployment("doomed", a, "doomed-a", failing(429)),
        deployment("doomed", b, "doomed-b", failing(429)),
        deployment("rpm-solo", a, "rpm-solo-a", { rpm: 2 }),
        deployment("rpm-pair", a, "rpm-pair-a", { rpm: 2, order: 1 }),
        deployment("rpm-pair", b, "rpm-pair-b", { order: 2 }),
        deployment("slow", a, "slow-a", { timeout: 0.2, extra_headers: { "x-mock-latency-ms": "1000" } }),
      ],
      router_settings: { num_retries: 2, allowed_fails: 1, cooldown_time: 1 },
    },
  });

  describeStores(
    "cooldowns, limits and timeouts",
    (h) => {
      test("when retries are exhausted the upstream's error is relayed, after num_retries + 1 calls", async () => {
        const res = await chat(h(), "exhausted");

        expect(res.status).toBe(503);
        expect(res.body.error.message).toStartWith("litellm.ServiceUnavailableError: ");
        expect(res.body.error.code).toBe("503");
        expect(seen(a, "ex-a") + seen(b, "ex-b")).toBe(3);
      });

      test("a deployment that fails more than allowed_fails is skipped until cooldown_time has passed", async () => {
        await awayFromMinuteBoundary();
        // Drive traffic until flaky-a has failed twice: allowed_fails: 1 cools it down on the second failure.
        for (let i = 0; i < 60 && seen(a, "flaky-a") < 2; i++) expectOk(await chat(h(), "flaky"));
        expect(seen(a, "flaky-a")).toBe(2);

        for (let i = 0; i < 10; i++) {
          const res = await chat(h(), "flaky");
          expectOk(res);
          expect(res.headers.get("x-litellm-model-id")).toBe("flaky-b");
          expect(res.headers.get("x-litellm-attempted-retries")).toBe("0");
        }
        expect(seen(a, "flaky-a")).toBe(2);

        await Bun.sleep(1_100);
        for (let i = 0; i < 40 && seen(a, "flaky-a") === 2; i++) expectOk(await chat(h(), "flaky"));
        expect(seen(a, "flaky-a")).toBe(3);
      });

      test("with every deployment cooling down the answer is 429 'No deployments available', and no upstream is called", async () => {
        // A 429 cools a deployment down at once when its group has another one.
        const first = await chat(h(), "doomed");
        expect(first.status).toBe(429);
        expect(first.body.error.message).toStartWith("litellm.RateLimitError: ");
        const calls = seen(a, "doomed-a") + seen(b, "doomed-b");
        expect(calls).toBe(2);

        const second = await chat(h(), "doomed");

        expect(second.status).toBe(429);
        expect(second.body.error.message).toContain("No deployments available");
        expect(second.body.error.message).toContain("doomed");
        expect(second.body.error.code).toBe("429");
        expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(seen(a, "doomed-a") + seen(b, "doomed-b")).toBe(calls);

        await Bun.sleep(1_100);
        await chat(h(), "doomed");
        expect(seen(a, "doomed-a") + seen(b, "doomed-b")).toBeGreaterThan(calls);
      });

      test("a lone deployment at its rpm answers 429 'No deployments available' for the rest of the minute", async () => {
        await awayFromMinuteBoundary();
        expectOk(await chat(h(), "rpm-solo"));
        expectOk(await chat(h(), "rpm-solo"));

        const third = await chat(h(), "rpm-solo");

        expect(third.status).toBe(429);
        expect(third.body.error.message).toContain("No deployments available");
        expect(seen(a, "rpm-solo-a")).toBe(2);
      });

      test("a deployment at its rpm is passed over: the third request in the minute goes to the other deployment", async () => {
        await awayFromMinuteBoundary();
        const served: (string | null)[] = [];
        for (let i = 0; i < 3; i++) {
          const res = await chat(h(), "rpm-pair");
          expectOk(res);
          served.push(res.headers.get("x-litellm-model-id"));
        }

        expect(served).toEqual(["rpm-pair-a", "rpm-pair-a", "rpm-pair-b"]);
        expect([seen(a, "rpm-pair-a"), seen(b, "rpm-pair-b")]).toEqual([2, 1]);
      });

      test("a deployment timeout shorter than the upstream's latency is a 408 litellm.Timeout, without waiting for the upstream", async () => {
        const started = performance.now();

        const res = await chat(h(), "slow");

        const elapsed = performance.now() - started;
        expect(res.status).toBe(408);
        expect(res.body.error.message).toStartWith("litellm.Timeout: ");
        expect(res.body.error.code).toBe("408");
        expect(seen(a, "slow-a")).toBeGreaterThanOrEqual(1);
        // Each call is cut at 0.2 s; a router that waited for the upstream would take 1 s per call.
        expect(elapsed).toBeLessThan(1_000);
      });
    },
    healthAndLimits,
  );

  const leastBusy = (): HarnessOptions => ({
    spend,
    config: {
      model_list: [deployment("busy", a, "busy-a"), deployment("busy", b, "busy-b")],
      router_settings: { routing_strategy: "least-busy", num_retries: 0 },
    },
  });

  describeStores(
    "least-busy routing",
    (h) => {
      test("new requests go to the idle deployment while the other has a slow request in flight", async () => {
        a.script = [{ kind: "latency", ms: 800 }];
        b.script = [{ kind: "latency", ms: 800 }];
        const slow = chat(h(), "busy");
        await waitUntil(() => seen(a, "busy-a") + seen(b, "busy-b") === 1, "the slow request to reach an upstream");
        const [busyMock, busyId, idleMock, idleId] = seen(a, "busy-a") === 1 ? [a, "busy-a", b, "busy-b"] : [b, "busy-b", a, "busy-a"];
        idleMock.script = []; // the idle upstream answers at once from now on

        for (let i = 0; i < 5; i++) {
          const res = await chat(h(), "busy");
          expectOk(res);
          expect(res.headers.get("x-litellm-model-id")).toBe(idleId);
        }

        expect(seen(idleMock, idleId)).toBe(5);
        expect(seen(busyMock, busyId)).toBe(1);
        expectOk(await slow);
      });
    },
    leastBusy,
  );
});
