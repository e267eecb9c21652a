/**
 * Money and limits on the request path (API.md Part 1 and §3.5): spend is exact and
 * visible at once, budgets hold under concurrency, rpm/tpm/parallel limits answer
 * 429 with LiteLLM's headers and never leak a slot.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Config } from "../../../src/config/index.ts";
import { createLogger } from "../../../src/log.ts";
import { describeStores, type Harness } from "../../support/harness.ts";
import { createKey, createUser, expectError, insertTeam, uniqueId } from "../../support/management.ts";
import { completionTokens, type MockOpenAI, promptTokens, startMockOpenAI } from "../../support/mock-openai.ts";
import { chat, HELLO, UPSTREAM_KEY } from "../../support/proxy.ts";

let mock: MockOpenAI;
beforeAll(() => {
  mock = startMockOpenAI();
});
afterAll(() => mock.close());

/** Prices chosen so sums are exact in binary and a call's cost is easy to state. */
const INPUT = 0.000001;
const OUTPUT = 0.001;

const config = (): Partial<Config> => ({
  model_list: [
    {
      model_name: "priced",
      litellm_params: { model: "openai/priced", api_base: `${mock.url}/v1`, api_key: UPSTREAM_KEY, input_cost_per_token: INPUT, output_cost_per_token: OUTPUT },
    },
    {
      model_name: "free",
      litellm_params: { model: "openai/free", api_base: `${mock.url}/v1`, api_key: UPSTREAM_KEY, input_cost_per_token: 0, output_cost_per_token: 0 },
    },
  ] as Config["model_list"],
});

/** What the mock will charge for a chat with HELLO and `max_tokens`. */
const costOf = (maxTokens: number) => promptTokens({ messages: HELLO }) * INPUT + completionTokens({ max_tokens: maxTokens }) * OUTPUT;

const call = (h: Harness, key: string, maxTokens = 10, model = "priced") => chat(h, key, model, { body: { max_tokens: maxTokens } });

describeStores(
  "spend and budgets on the request path",
  (h) => {
    test("a call's cost shows on /key/info, /user/info and /team/info at once, to the formula", async () => {
      const user = await createUser(h(), { auto_create_key: false });
      const teamId = uniqueId("team");
      await insertTeam(h(), teamId, null, {});
      const key = (await createKey(h(), { user_id: user.user_id, team_id: teamId })).key;

      expect((await call(h(), key, 7)).status).toBe(200);
      expect((await call(h(), key, 3)).status).toBe(200);
      const expected = costOf(7) + costOf(3);

      expect((await h().get(`/key/info?key=${key}`)).body.info.spend).toBeCloseTo(expected, 12);
      expect((await h().get(`/user/info?user_id=${user.user_id}`)).body.user_info.spend).toBeCloseTo(expected, 12);
      expect((await h().get(`/team/info?team_id=${teamId}`)).body.team_info.spend).toBeCloseTo(expected, 12);
    });

    test("a key over its budget is refused with 400 budget_exceeded; /key/info still answers", async () => {
      const key = (await createKey(h(), { max_budget: costOf(10) * 2 })).key;
      expect((await call(h(), key)).status).toBe(200);
      expect((await call(h(), key)).status).toBe(200);
      const refused = await call(h(), key);
      expectError(refused, { status: 400, type: "budget_exceeded" });
      expect(refused.body.error.message).toStartWith("Budget has been exceeded! Current cost: ");
      expect(refused.body.error.message).toContain(`Max budget: ${costOf(10) * 2}`);
      expect((await h().get("/key/info", key)).status).toBe(200);
    });

    test("200 concurrent calls against a budget for 10 let exactly 10 through", async () => {
      const key = (await createKey(h(), { max_budget: 10 * completionTokens({ max_tokens: 10 }) * OUTPUT })).key;
      // Prompt tokens are free here so the reservation (max_tokens × price) is exact.
      const results = await Promise.all(Array.from({ length: 200 }, () => chat(h(), key, "priced", { body: { max_tokens: 10, messages: [] } })));
      const ok = results.filter((r) => r.status === 200).length;
      const refused = results.filter((r) => r.status === 400 && r.body.error.type === "budget_exceeded").length;
      expect({ ok, refused }).toEqual({ ok: 10, refused: 190 });
      // Settled spend overshoots the budget by at most one call (here: only the prompt tokens).
      const spend = (await h().get(`/key/info?key=${key}`)).body.info.spend;
      expect(spend).toBeLessThanOrEqual(10 * 0.01 + costOf(10));
    });

    test("a team budget and a member budget bind the team's keys; a personal budget binds only personal keys", async () => {
      const teamId = uniqueId("team");
      await h().post("/team/new", { team_id: teamId, max_budget: costOf(10) });
      const teamKey = (await createKey(h(), { team_id: teamId })).key;
      expect((await call(h(), teamKey)).status).toBe(200);
      const teamRefusal = await call(h(), teamKey);
      expectError(teamRefusal, { status: 400, type: "budget_exceeded" });
      expect(teamRefusal.body.error.message).toStartWith(`Budget has been exceeded! Team=${teamId} Current cost: `);

      const user = await createUser(h(), { max_budget: costOf(10), auto_create_key: false });
      const personal = (await createKey(h(), { user_id: user.user_id })).key;
      expect((await call(h(), personal)).status).toBe(200);
      const userRefusal = await call(h(), personal);
      expectError(userRefusal, { status: 400, type: "budget_exceeded" });
      expect(userRefusal.body.error.message).toStartWith(`ExceededBudget: User=${user.user_id} over budget. Spend=`);
    });

    test("streamed calls and embeddings are billed from their usage, to the formula", async () => {
      const { key } = await createKey(h(), {});
      const streamed = await chat(h(), key, "priced", { body: { max_tokens: 6, stream: true } });
      expect(streamed.status).toBe(200);
      expect(String(streamed.body)).toContain("data: [DONE]");
      await Bun.sleep(50); // a stream settles after its last byte
      expect((await h().get(`/key/info?key=${key}`)).body.info.spend).toBeCloseTo(costOf(6), 12);

      const embedded = await h().request("POST", "/v1/embeddings", { key, body: { model: "priced", input: "sixteen chars.." } });
      expect(embedded.status).toBe(200);
      const embeddingCost = promptTokens({ input: "sixteen chars.." }) * INPUT;
      expect((await h().get(`/key/info?key=${key}`)).body.info.spend).toBeCloseTo(costOf(6) + embeddingCost, 12);
    });

    test("the spend log has one row per call after the next flush, with the cost and tokens", async () => {
      const { key, token } = await createKey(h(), {});
      for (const maxTokens of [2, 5]) expect((await call(h(), key, maxTokens)).status).toBe(200);
      await Bun.sleep(1_300); // proxy_batch_write_at defaults to 1 s
      const logs = await h().get(`/spend/logs?api_key=${key}&summarize=false`);
      expect(logs.status).toBe(200);
      const rows = logs.body as { spend: number; completion_tokens: number; api_key: string; status: string }[];
      expect(rows.map((r) => r.completion_tokens).sort()).toEqual([2, 5]);
      expect(rows.every((r) => r.api_key === token && r.status === "success")).toBe(true);
      expect(rows.reduce((sum, r) => sum + r.spend, 0)).toBeCloseTo(costOf(2) + costOf(5), 12);
      // Prompts stay out of the spend log unless store_prompts_in_spend_logs is on.
      expect((logs.body as { messages: unknown }[]).every((r) => r.messages === null)).toBe(true);
    });

    test("end users: spend is attributed, their budget binds, and a blocked end user is refused at once", async () => {
      const key = (await createKey(h(), {})).key;
      const customer = uniqueId("customer");
      const created = await h().post("/customer/new", { user_id: customer, max_budget: costOf(10) });
      expect(created.status).toBe(200);
      expect((await chat(h(), key, "priced", { body: { max_tokens: 10, user: customer } })).status).toBe(200);
      expect((await h().get(`/customer/info?end_user_id=${customer}`)).body.spend).toBeCloseTo(costOf(10), 12);
      const over = await chat(h(), key, "priced", { body: { max_tokens: 10 }, headers: { "x-litellm-end-user-id": customer } });
      expectError(over, { status: 400, type: "budget_exceeded" });
      expect(over.body.error.message).toStartWith(`ExceededBudget: End User=${customer} over budget. Spend=`);

      const other = uniqueId("customer");
      expect((await chat(h(), key, "priced", { body: { user: other } })).status).toBe(200); // unknown ids are allowed
      await h().post("/customer/block", { user_ids: [other] });
      const blocked = await chat(h(), key, "priced", { body: { user: other } });
      expectError(blocked, { status: 400, type: "bad_request_error" });
      expect(blocked.body.error.message).toBe(`User blocked from making LLM API Calls. User=${other}`);
      await h().post("/customer/unblock", { user_ids: [other] });
      expect((await chat(h(), key, "priced", { body: { user: other } })).status).toBe(200);
    });

    test("budget_duration: a spent key is refused until its window ends, then starts again from 0", async () => {
      const { key, token } = await createKey(h(), { max_budget: costOf(10), budget_duration: "2s" });
      expect((await call(h(), key)).status).toBe(200);
      expectError(await call(h(), key), { status: 400, type: "budget_exceeded" });

      const resetAt = Date.parse((await h().get(`/key/info?key=${key}`)).body.info.budget_reset_at);
      await Bun.sleep(Math.max(0, resetAt - Date.now()) + 50);
      expect((await call(h(), key)).status).toBe(200);
      const info = (await h().get(`/key/info?key=${key}`)).body.info;
      expect(info.spend).toBeCloseTo(costOf(10), 12);
      expect(Date.parse(info.budget_reset_at)).toBeGreaterThan(resetAt);
      expect((await h().store.getKey(token))?.budget_reset_at?.getTime()).toBeGreaterThan(resetAt);
    });

    test("model_max_budget: a key is refused one model once its spend there reaches the limit, and keeps the others", async () => {
      const { key, token } = await createKey(h(), { key_alias: uniqueId("per-model"), model_max_budget: { priced: { budget_limit: costOf(10) * 2, time_period: "30d" } } });
      expect((await call(h(), key)).status).toBe(200);
      expect((await call(h(), key)).status).toBe(200);
      const refused = await call(h(), key);
      expectError(refused, { status: 400, type: "budget_exceeded" });
      expect(refused.body.error.message).toStartWith(`LiteLLM Virtual Key: ${token}, key_alias: per-model-`);
      expect(refused.body.error.message).toEndWith("exceeded budget for model=priced");
      expect((await call(h(), key, 10, "free")).status).toBe(200);

      await Bun.sleep(1_300); // after a flush the spend comes from the spend log: still refused
      expectError(await call(h(), key), { status: 400, type: "budget_exceeded" });
    });

    test("models priced at exactly 0 skip budget checks", async () => {
      const key = (await createKey(h(), { max_budget: 0 })).key;
      expect((await call(h(), key, 10, "free")).status).toBe(200);
      expectError(await call(h(), key), { status: 400, type: "budget_exceeded" });
    });
  },
  () => ({ config: config() }),
);

describeStores(
  "rate limits on the request path",
  (h) => {
    test("rpm: the (N+1)th call in the window is 429 with retry-after and x-ratelimit headers", async () => {
      const key = (await createKey(h(), { rpm_limit: 3 })).key;
      for (let i = 0; i < 3; i++) {
        const ok = await call(h(), key);
        expect(ok.status).toBe(200);
        expect(ok.headers.get("x-ratelimit-api_key-remaining-requests")).toBe(String(2 - i));
      }
      const limited = await call(h(), key);
      expectError(limited, { status: 429, type: "rate_limit_error" });
      expect(limited.body.error.message).toStartWith("Rate limit exceeded for api_key: ");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    });

    test("max_parallel_requests: a second concurrent call is 429, and the slot comes back after errors and aborts", async () => {
      const key = (await createKey(h(), { max_parallel_requests: 1 })).key;
      mock.script = [{ kind: "latency", ms: 300 }];
      const slow = call(h(), key);
      await Bun.sleep(50);
      expectError(await call(h(), key), { status: 429, type: "rate_limit_error" });
      expect((await slow).status).toBe(200);

      // An upstream error releases the slot…
      mock.script = [{ kind: "status", status: 400 }];
      expect((await call(h(), key)).status).toBe(400);
      expect((await call(h(), key)).status).toBe(200);

      // …and so does an answer that breaks off mid-body (502, settled as a failure)…
      mock.script = [{ kind: "die-mid-body" }];
      const cut = await call(h(), key);
      expect(cut.status).toBe(502);
      expect(cut.body.error.message).toContain("cut off");
      expect((await call(h(), key)).status).toBe(200);

      // …and so does a client that leaves mid-call.
      mock.script = [{ kind: "latency", ms: 300 }];
      const controller = new AbortController();
      const abandoned = fetch(`${h().url}/v1/chat/completions`, {
        method: "POST",
        signal: controller.signal,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "priced", messages: HELLO }),
      }).catch(() => null);
      await Bun.sleep(50);
      controller.abort();
      await abandoned;
      await Bun.sleep(100);
      expect((await call(h(), key)).status).toBe(200);
    });

    test("a user's rpm binds all its keys together", async () => {
      const user = await createUser(h(), { rpm_limit: 2, auto_create_key: false });
      const first = (await createKey(h(), { user_id: user.user_id })).key;
      const second = (await createKey(h(), { user_id: user.user_id })).key;
      expect((await call(h(), first)).status).toBe(200);
      expect((await call(h(), second)).status).toBe(200);
      const limited = await call(h(), first);
      expectError(limited, { status: 429, type: "rate_limit_error" });
      expect(limited.body.error.message).toStartWith(`Rate limit exceeded for user: ${user.user_id}.`);
    });

    test("tpm: once a key's tokens this minute reach its limit, calls are 429", async () => {
      const key = (await createKey(h(), { tpm_limit: 30 })).key;
      expect((await call(h(), key, 20)).status).toBe(200); // ~28 tokens with the prompt
      expect((await call(h(), key, 20)).status).toBe(200);
      expectError(await call(h(), key, 20), { status: 429, type: "rate_limit_error" });
    });
  },
  () => ({ config: config() }),
);

describeStores(
  "store_prompts_in_spend_logs",
  (h) => {
    test("with the setting on, the spend log keeps the request's messages and the answer", async () => {
      const { key } = await createKey(h(), {});
      expect((await call(h(), key, 3)).status).toBe(200);
      await Bun.sleep(1_300);
      const [row] = (await h().get(`/spend/logs?api_key=${key}&summarize=false`)).body as { messages: unknown; response: { choices: unknown[] } }[];
      expect(row?.messages).toEqual(HELLO);
      expect(row?.response.choices).toHaveLength(1);
    });
  },
  () => ({ config: { ...config(), general_settings: { store_prompts_in_spend_logs: true } } }),
);

const logged: string[] = [];

describeStores(
  "soft budgets",
  (h) => {
    test("crossing a key's or team's soft budget is recorded once, and calls keep going", async () => {
      const teamId = uniqueId("team");
      await h().post("/team/new", { team_id: teamId, soft_budget: costOf(10) * 1.5 });
      const { key, token } = await createKey(h(), { team_id: teamId, soft_budget: costOf(10) * 0.5 });
      for (let i = 0; i < 3; i++) expect((await call(h(), key)).status).toBe(200);
      await Bun.sleep(50); // the check runs after the call settled
      const crossings = logged.filter((line) => line.includes("soft_budget_crossed"));
      expect(crossings.filter((line) => line.includes(token))).toHaveLength(1);
      expect(crossings.filter((line) => line.includes(teamId))).toHaveLength(1);
    });
  },
  () => ({ config: config(), log: createLogger({ level: "warn", json: true, write: (line) => logged.push(line) }) }),
);

describeStores(
  "the default end-user budget (max_end_user_budget_id)",
  (h) => {
    test("binds end users without a budget of their own, and its window resets their spend", async () => {
      const created = await h().post("/budget/new", { budget_id: "end-user-default", max_budget: costOf(10), budget_duration: "2s" });
      expect(created.status).toBe(200);
      const { key } = await createKey(h(), {});
      const customer = uniqueId("customer");
      const asCustomer = () => chat(h(), key, "priced", { body: { max_tokens: 10, user: customer } });

      expect((await asCustomer()).status).toBe(200);
      expectError(await asCustomer(), { status: 400, type: "budget_exceeded" });

      await Bun.sleep(1_300); // the call's spend reaches the database (the customer row is created)
      const resetAt = Date.parse((await h().post("/budget/info", { budgets: ["end-user-default"] })).body[0].budget_reset_at);
      await Bun.sleep(Math.max(0, resetAt - Date.now()) + 50);
      expect((await asCustomer()).status).toBe(200);
    }, 8_000);
  },
  () => ({ config: { ...config(), litellm_settings: { max_end_user_budget_id: "end-user-default" } } }),
);
