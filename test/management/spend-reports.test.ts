/**
 * /spend/* and /global/spend* (API.md §2.5) on both database dialects: spend logs
 * seeded through the real ledger, every report's numbers to 1e-9, date filters with
 * zero-filled days, grouping, who may read what, and the master-key-only reset.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { ledgerLiveSpend, NO_LIVE_SPEND } from "../../src/management/live-spend.ts";
import { groupDeployments } from "../../src/proxy/deployments.ts";
import { countPromptTokens } from "../../src/proxy/tokenizer.ts";
import { createCostCalculator, priceMapOf } from "../../src/spend/prices/index.ts";
import type { SettledCall } from "../../src/spend/settlement.ts";
import { deployment } from "../spend/price-fixtures.ts";
import { describeStores, MASTER_KEY } from "../support/harness.ts";
import { createKey, createTeam, createUser, expectError, type TestUser } from "../support/management.ts";
import { call, spendApp, testLedger, usd } from "../support/spend-app.ts";

const march = (time: string) => new Date(`2024-03-${time}Z`);
const DAY_MS = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

describeStores("spend reports", (h) => {
  let app: ReturnType<typeof spendApp>;
  let alice: TestUser, bob: TestUser, carol: TestUser, viewer: TestUser, adminUser: TestUser;
  /** kA: alice's, in team one. kB: bob's, alias bob-key. kC: carol's, in team two. */
  let kA: { key: string; token: string }, kB: { key: string; token: string }, kC: { key: string; token: string };
  let reporter: { key: string; token: string };
  let teamOne: string, teamTwo: string;
  const c: Record<string, SettledCall> = {};
  const recent = new Date(Date.now() - 60_000);

  beforeAll(async () => {
    teamOne = (await createTeam(h(), { team_alias: "Team One" })).team_id;
    teamTwo = (await createTeam(h())).team_id;
    [alice, bob, carol] = [await createUser(h(), { auto_create_key: false }), await createUser(h(), { auto_create_key: false }), await createUser(h(), { auto_create_key: false })];
    viewer = await createUser(h(), { user_role: "proxy_admin_viewer" });
    adminUser = await createUser(h(), { user_role: "proxy_admin" });
    kA = await createKey(h(), { user_id: alice.user_id, team_id: teamOne });
    kB = await createKey(h(), { user_id: bob.user_id, key_alias: "bob-key" });
    kC = await createKey(h(), { user_id: carol.user_id, team_id: teamTwo });
    reporter = await createKey(h(), { user_id: alice.user_id, permissions: { get_spend_routes: true } });
    app = spendApp(h(), { liveSpend: { ...NO_LIVE_SPEND, key: (token) => (token === kA.token ? 0.25 : 0), user: (id) => (id === alice.user_id ? 0.5 : 0) }, maxBudget: 100 });

    const A = { api_key: kA.token, user_id: alice.user_id, team_id: teamOne };
    const B = { api_key: kB.token, user_id: bob.user_id };
    Object.assign(c, {
      // March 2024: the dated reports.
      c1: call({ ...A, end_user: "cust-old", model: "gpt-4o", start_time: march("01T10:00:00"), prompt_tokens: 100 }), // 0.1
      c2: call({ ...B, model: "claude", start_time: march("01T23:59:59.999"), completion_tokens: 100 }), // 0.2
      c3: call({ ...A, model: "claude", start_time: march("03T00:00:00"), prompt_tokens: 10, completion_tokens: 10 }), // 0.03
      c4: call({ model: "gpt-4o", start_time: march("03T12:00:00"), prompt_tokens: 1000 }), // 1.0, master key
      c5: call({ ...B, model: "claude", start_time: march("04T00:00:00"), prompt_tokens: 5 }), // 0.005, after the range
      c6: call({ ...A, model: "gpt-4o", start_time: new Date("2024-02-29T23:59:59.999Z"), prompt_tokens: 7 }), // 0.007, before it
      // The last 30 days: the /global/spend/* reports.
      r1: call({ ...A, model: "m-alpha", end_user: "cust-1", start_time: recent, prompt_tokens: 1000 }), // 1.0
      r2: call({ ...B, model: "m-beta", end_user: "cust-2", start_time: recent, prompt_tokens: 2000 }), // 2.0
      r3: call({ ...A, model: "m-beta", end_user: "cust-1", start_time: recent, prompt_tokens: 500 }), // 0.5
      r4: call({ api_key: kC.token, user_id: carol.user_id, team_id: teamTwo, model: "m-alpha", start_time: recent, prompt_tokens: 300 }), // 0.3
      r5: call({ ...B, model: "m-beta", end_user: "cust-2", start_time: new Date(Date.now() - 40 * DAY_MS), prompt_tokens: 9000 }), // 9.0, too old
      r6: call({ model: "m-alpha", start_time: recent, prompt_tokens: 100 }), // 0.1, master key
    });
    const ledger = testLedger(h());
    for (const one of Object.values(c)) ledger.record(one);
    await ledger.flush();
    ledger.close();
  });

  describe("/spend/logs", () => {
    test("with dates: one object per day, the days without spend at 0, the end date included", async () => {
      const res = await app.get("/spend/logs?start_date=2024-03-01&end_date=2024-03-03");

      expect(res.status).toBe(200);
      expect(usd(res.body)).toEqual(
        usd([
          { startTime: "2024-03-01", spend: 0.3, [kA.token]: 0.1, [kB.token]: 0.2, users: { [alice.user_id]: 0.1, [bob.user_id]: 0.2 }, models: { "gpt-4o": 0.1, claude: 0.2 } },
          { startTime: "2024-03-02", spend: 0, users: {}, models: {} },
          { startTime: "2024-03-03", spend: 1.03, [kA.token]: 0.03, users: { [alice.user_id]: 0.03 }, models: { claude: 0.03, "gpt-4o": 1.0 } },
        ]),
      );
    });

    test("an internal user sees only their own user's calls, whatever user_id they ask for", async () => {
      const aliceKey = await createKey(h(), { user_id: alice.user_id });

      const res = await app.get(`/spend/logs?start_date=2024-03-01&end_date=2024-03-03&user_id=${bob.user_id}`, aliceKey.key);

      expect(res.status).toBe(200);
      expect(usd(res.body)).toEqual(
        usd([
          { startTime: "2024-03-01", spend: 0.1, [kA.token]: 0.1, users: { [alice.user_id]: 0.1 }, models: { "gpt-4o": 0.1 } },
          { startTime: "2024-03-02", spend: 0, users: {}, models: {} },
          { startTime: "2024-03-03", spend: 0.03, [kA.token]: 0.03, users: { [alice.user_id]: 0.03 }, models: { claude: 0.03 } },
        ]),
      );
    });

    test("summarize=false: the rows in the range, newest first, filtered by plaintext key", async () => {
      const res = await app.get(`/spend/logs?start_date=2024-03-01&end_date=2024-03-04&summarize=false&api_key=${kB.key}`);

      expect(res.status).toBe(200);
      expect(res.body.map((r: { request_id: string }) => r.request_id)).toEqual([c.c5!.call_id, c.c2!.call_id]);
      expect(usd(res.body[1])).toMatchObject({
        request_id: c.c2!.call_id,
        api_key: kB.token,
        user: bob.user_id,
        model: "claude",
        spend: 0.2,
        completion_tokens: 100,
        total_tokens: 100,
        status: "success",
        startTime: "2024-03-01T23:59:59.999Z",
        endTime: "2024-03-02T00:00:00.249Z",
        request_duration_ms: 250,
      });
    });

    test("request_id finds one row; the key may be given as its hash; pages hold page_size rows", async () => {
      const one = await app.get(`/spend/logs?request_id=${c.c3!.call_id}`);
      expect(one.body).toHaveLength(1);
      expect(usd(one.body[0])).toMatchObject({ request_id: c.c3!.call_id, spend: 0.03, team_id: teamOne, api_key: kA.token, prompt_tokens: 10 });

      const byHash = await app.get(`/spend/logs?api_key=${kA.token}&start_date=2024-02-29&end_date=2024-03-31&summarize=false&page_size=2&page=2`);
      expect(byHash.body.map((r: { request_id: string }) => r.request_id)).toEqual([c.c6!.call_id]);
    });

    test("dates: both or neither, real calendar days, end not before start, page_size at most 1000", async () => {
      expectError(await app.get("/spend/logs?start_date=2024-03-01"), { status: 400, type: "bad_request_error", param: "end_date" });
      expectError(await app.get("/spend/logs?start_date=2024-02-30&end_date=2024-03-01"), { status: 422, type: "invalid_request_error", param: "start_date" });
      expectError(await app.get("/spend/logs?start_date=2024-3-1&end_date=2024-03-01"), { status: 422, type: "invalid_request_error", param: "start_date" });
      expectError(await app.get("/spend/logs?start_date=2024-03-02&end_date=2024-03-01"), { status: 400, type: "bad_request_error", param: "end_date" });
      expectError(await app.get("/spend/logs?page_size=1001"), { status: 422, type: "invalid_request_error", param: "page_size" });
    });
  });

  describe("entity totals", () => {
    test("/spend/keys: every key, biggest stored spend first, with spend not yet flushed", async () => {
      const res = await app.get("/spend/keys");

      expect(res.status).toBe(200);
      expect(res.body[0]).toMatchObject({ token: kB.token, key_alias: "bob-key" });
      expect(usd(res.body[0].spend)).toBe(usd(0.2 + 0.005 + 2 + 9));
      const a = res.body.find((k: { token: string }) => k.token === kA.token);
      expect(usd(a.spend)).toBe(usd(0.1 + 0.03 + 0.007 + 1 + 0.5 + 0.25));
    });

    test("/spend/users?user_id=: that user, live spend, no password hash", async () => {
      const res = await app.get(`/spend/users?user_id=${alice.user_id}`);

      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({ user_id: alice.user_id, user_role: "internal_user" });
      expect(res.body[0]).not.toHaveProperty("password_hash");
      expect(usd(res.body[0].spend)).toBe(usd(1.637 + 0.5));
      const all = await app.get("/spend/users");
      expect(all.body[0].user_id).toBe(bob.user_id);
    });

    test("/global/spend: every key's live spend summed, and litellm_settings.max_budget", async () => {
      const res = await app.get("/global/spend");

      expect(res.status).toBe(200);
      expect(usd(res.body)).toEqual(usd({ spend: 1.637 + 0.25 + 11.205 + 0.3, max_budget: 100 }));
    });
  });

  describe("/global/spend/* over the last 30 days", () => {
    test("/global/spend/keys: keys by spend with alias and name; master-key calls left out; limit", async () => {
      const res = await app.get("/global/spend/keys");

      expect(usd(res.body)).toEqual(
        usd([
          { api_key: kB.token, total_spend: 2, key_alias: "bob-key", key_name: `sk-...${kB.key.slice(-4)}` },
          { api_key: kA.token, total_spend: 1.5, key_alias: null, key_name: `sk-...${kA.key.slice(-4)}` },
          { api_key: kC.token, total_spend: 0.3, key_alias: null, key_name: `sk-...${kC.key.slice(-4)}` },
        ]),
      );
      expect((await app.get("/global/spend/keys?limit=1")).body.map((k: { api_key: string }) => k.api_key)).toEqual([kB.token]);
      expectError(await app.get("/global/spend/keys?limit=0"), { status: 422, type: "invalid_request_error", param: "limit" });
    });

    test("/global/spend/models: models by spend, master-key calls included; limit", async () => {
      expect(usd((await app.get("/global/spend/models")).body)).toEqual(usd([
        { model: "m-beta", total_spend: 2.5 },
        { model: "m-alpha", total_spend: 1.4 },
      ]));
      expect((await app.get("/global/spend/models?limit=1")).body).toHaveLength(1);
    });

    test("/global/spend/end_users: top end users with request counts; by key; GET and POST", async () => {
      expect(usd((await app.get("/global/spend/end_users")).body)).toEqual(usd([
        { end_user: "cust-2", total_spend: 2, total_count: 1 },
        { end_user: "cust-1", total_spend: 1.5, total_count: 2 },
      ]));
      const expected = usd([{ end_user: "cust-1", total_spend: 1.5, total_count: 2 }]);
      expect(usd((await app.get(`/global/spend/end_users?api_key=${kA.key}`)).body)).toEqual(expected);
      expect(usd((await app.post("/global/spend/end_users", { api_key: kA.key })).body)).toEqual(expected);
      expect((await app.post("/global/spend/end_users")).body).toHaveLength(2);
      const march = await app.post("/global/spend/end_users", { startTime: "2024-03-01T00:00:00Z", endTime: "2024-03-02T00:00:00Z" });
      expect(usd(march.body)).toEqual(usd([{ end_user: "cust-old", total_spend: 0.1, total_count: 1 }]));
    });

    test("/global/spend/teams: daily spend per team id, teams seen, totals biggest first", async () => {
      const res = await app.get("/global/spend/teams");

      expect(res.status).toBe(200);
      expect(usd(res.body.daily_spend)).toEqual(usd([{ date: dayOf(recent), [teamOne]: 1.5, [teamTwo]: 0.3, Unassigned: 2.1 }]));
      expect([...res.body.teams].sort()).toEqual([teamOne, teamTwo, "Unassigned"].sort());
      expect(usd(res.body.total_spend_per_team)).toEqual(usd([
        { team_id: "Unassigned", team_alias: null, total_spend: 2.1 },
        { team_id: teamOne, team_alias: "Team One", total_spend: 1.5 },
        { team_id: teamTwo, team_alias: null, total_spend: 0.3 },
      ]));
    });
  });

  describe("/global/spend/report", () => {
    const report = (query: string) => app.get(`/global/spend/report?start_date=2024-03-01&end_date=2024-03-03${query}`);

    test("group_by=team (default): per day, teams by spend, each with its model and key lines", async () => {
      const res = await report("");

      expect(res.status).toBe(200);
      expect(usd(res.body)).toEqual(usd([
        {
          group_by_day: "2024-03-01",
          teams: [
            { team_id: null, team_name: "Unassigned Team", total_spend: 0.2, metadata: [{ model: "claude", api_key: kB.token, spend: 0.2, total_tokens: 100 }] },
            { team_id: teamOne, team_name: "Team One", total_spend: 0.1, metadata: [{ model: "gpt-4o", api_key: kA.token, spend: 0.1, total_tokens: 100 }] },
          ],
        },
        {
          group_by_day: "2024-03-03",
          teams: [
            { team_id: null, team_name: "Unassigned Team", total_spend: 1, metadata: [{ model: "gpt-4o", api_key: "", spend: 1, total_tokens: 1000 }] },
            { team_id: teamOne, team_name: "Team One", total_spend: 0.03, metadata: [{ model: "claude", api_key: kA.token, spend: 0.03, total_tokens: 20 }] },
          ],
        },
      ]));
    });

    test("group_by=customer and group_by=api_key", async () => {
      const customers = await report("&group_by=customer");
      expect(usd(customers.body[0])).toEqual(usd({
        group_by_day: "2024-03-01",
        customers: [
          { customer: null, total_spend: 0.2, metadata: [{ model: "claude", api_key: kB.token, spend: 0.2, total_tokens: 100 }] },
          { customer: "cust-old", total_spend: 0.1, metadata: [{ model: "gpt-4o", api_key: kA.token, spend: 0.1, total_tokens: 100 }] },
        ],
      }));

      const keys = await report("&group_by=api_key");
      expect(usd(keys.body)).toEqual(usd([
        {
          group_by_day: "2024-03-01",
          api_keys: [
            { api_key: kB.token, key_alias: "bob-key", total_spend: 0.2, metadata: [{ model: "claude", spend: 0.2, total_tokens: 100 }] },
            { api_key: kA.token, key_alias: null, total_spend: 0.1, metadata: [{ model: "gpt-4o", spend: 0.1, total_tokens: 100 }] },
          ],
        },
        {
          group_by_day: "2024-03-03",
          api_keys: [
            { api_key: "", key_alias: null, total_spend: 1, metadata: [{ model: "gpt-4o", spend: 1, total_tokens: 1000 }] },
            { api_key: kA.token, key_alias: null, total_spend: 0.03, metadata: [{ model: "claude", spend: 0.03, total_tokens: 20 }] },
          ],
        },
      ]));
    });

    test("filters narrow the rows; dates are required", async () => {
      const res = await report(`&group_by=api_key&internal_user_id=${alice.user_id}`);
      expect(res.body.map((d: { api_keys: { api_key: string }[] }) => d.api_keys.map((k) => k.api_key))).toEqual([[kA.token], [kA.token]]);
      expectError(await app.get("/global/spend/report?group_by=team"), { status: 400, type: "bad_request_error", message: "Please provide start_date and end_date" });
      expectError(await report("&group_by=project"), { status: 422, type: "invalid_request_error", param: "group_by" });
    });
  });

  describe("who may read", () => {
    const globalReads = ["/global/spend", "/global/spend/keys", "/global/spend/models", "/global/spend/teams", "/global/spend/end_users", "/global/spend/report?start_date=2024-03-01&end_date=2024-03-01"];

    test("admins, admin viewers and keys with get_spend_routes read every /global/spend report", async () => {
      for (const path of globalReads) {
        for (const key of [MASTER_KEY, adminUser.key, viewer.key, reporter.key]) expect({ path, status: (await app.get(path, key)).status }).toEqual({ path, status: 200 });
      }
    });

    test("a plain internal user's key gets 403 with the envelope on /global/spend*, /spend/keys and /spend/users", async () => {
      for (const path of [...globalReads, "/spend/keys", "/spend/users"]) {
        expectError(await app.get(path, kA.key), { status: 403, type: "auth_error" });
      }
    });

    test("get_spend_routes opens /global/spend* only: not /spend/keys nor /spend/users", async () => {
      expectError(await app.get("/spend/keys", reporter.key), { status: 403, type: "auth_error" });
      expectError(await app.get("/spend/users", reporter.key), { status: 403, type: "auth_error" });
      expect((await app.get("/spend/keys", viewer.key)).status).toBe(200);
    });

    test("/global/spend/reset is for the master key only; no key at all is 401", async () => {
      for (const key of [adminUser.key, viewer.key, reporter.key, kA.key]) {
        expectError(await app.post("/global/spend/reset", undefined, key), { status: 403, type: "auth_error", message: "Only the master key" });
      }
      expectError(await app.get("/global/spend", null), { status: 401, type: "auth_error" });
    });
  });
});

describeStores("/global/spend/reset", (h) => {
  test("zeroes every key's and team's spend, pending spend included; logs, users and customers keep theirs", async () => {
    const team = (await createTeam(h())).team_id;
    const user = await createUser(h(), { auto_create_key: false });
    const key = await createKey(h(), { user_id: user.user_id, team_id: team });
    const ledger = testLedger(h());
    const first = call({ api_key: key.token, user_id: user.user_id, team_id: team, end_user: "reset-cust", prompt_tokens: 100 });
    ledger.record(first);
    await ledger.flush();
    ledger.record(call({ api_key: key.token, user_id: user.user_id, team_id: team, prompt_tokens: 50 })); // not flushed yet
    const resets: { keys: string[]; teams: string[] }[] = [];
    const app = spendApp(h(), { liveSpend: ledgerLiveSpend((e, id) => ledger.unflushed(e, id)), flushPending: () => ledger.flush(), onReset: (r) => resets.push(r) });
    expect(usd((await app.get("/global/spend")).body.spend)).toBe(0.15);

    const res = await app.post("/global/spend/reset");

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Spend for all API Keys and Teams reset successfully", status: "success" });
    expect((await h().store.getKey(key.token))?.spend).toBe(0);
    expect((await h().store.getTeam(team))?.spend).toBe(0);
    expect(usd((await h().store.getUser(user.user_id))?.spend)).toBe(0.15);
    expect(usd((await h().store.getCustomer("reset-cust"))?.spend)).toBe(0.1);
    expect(resets[0]?.keys).toContain(key.token);
    expect(resets[0]?.teams).toContain(team);
    expect((await app.get("/global/spend")).body).toEqual({ spend: 0, max_budget: 0 });
    expect(usd((await app.get(`/spend/logs?request_id=${first.call_id}`)).body[0].spend)).toBe(0.1);
    expect((await app.get(`/spend/logs?api_key=${key.key}`)).body).toHaveLength(2);
    ledger.close();
  });
});

describeStores("/spend/calculate", (h) => {
  const priceMap = priceMapOf({ "gpt-4o": { litellm_provider: "openai", input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5 } });
  const own = deployment({ id: "d-own", provider: "openai", model: "gpt-4o", modelName: "house-model", params: { input_cost_per_token: 0.001, output_cost_per_token: 0.002 } });
  const messages = [{ role: "user", content: "Hey, how's it going?" }];
  let app: ReturnType<typeof spendApp>;
  let anyKey: string;

  beforeAll(async () => {
    app = spendApp(h(), { calculator: createCostCalculator({ priceMap, deployments: [own], warn: () => {} }), deployments: groupDeployments([own]) });
    anyKey = (await createKey(h())).key;
  });

  test("{model, messages}: the prompt tokens at the model group's own price, for any key", async () => {
    const tokens = await countPromptTokens({ messages });
    expect(tokens).toBeGreaterThan(5);

    const res = await app.post("/spend/calculate", { model: "house-model", messages }, anyKey);

    expect(res.status).toBe(200);
    expect(usd(res.body)).toEqual(usd({ cost: tokens * 0.001 }));
  });

  test("a model that is no model group is priced from the price map", async () => {
    const tokens = await countPromptTokens({ messages });
    expect(usd((await app.post("/spend/calculate", { model: "gpt-4o", messages })).body)).toEqual(usd({ cost: tokens * 2.5e-6 }));
  });

  test("{completion_response}: its usage at its model's price", async () => {
    const completion_response = { id: "chatcmpl-1", object: "chat.completion", model: "gpt-4o", usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 } };

    const res = await app.post("/spend/calculate", { completion_response });

    expect(usd(res.body)).toEqual(usd({ cost: 9 * 2.5e-6 + 12 * 1e-5 }));
  });

  test("an unpriced model, a model without messages, or nothing to price: 400", async () => {
    expectError(await app.post("/spend/calculate", { model: "no-such-model", messages }), { status: 400, type: "bad_request_error", param: "model", message: "isn't mapped" });
    expectError(await app.post("/spend/calculate", { model: "gpt-4o" }), { status: 400, type: "bad_request_error", param: "messages" });
    expectError(await app.post("/spend/calculate", { completion_response: { model: "gpt-4o" } }), { status: 400, type: "bad_request_error", param: "completion_response.usage" });
    expectError(await app.post("/spend/calculate", {}), { status: 400, type: "bad_request_error", param: "model" });
    expectError(await app.post("/spend/calculate", { model: "gpt-4o", messages }, null), { status: 401, type: "auth_error" });
  });
});
