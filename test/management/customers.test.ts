/**
 * /customer/* and its /end_user/* aliases (API.md §2.3), on both database dialects
 * over real HTTP: customers and their budget rows as stored, the errors LiteLLM
 * clients expect, and that only admins manage customers.
 */
import { NO_LIVE_SPEND } from "../../src/management/live-spend.ts";
import { expect, test } from "bun:test";
import type { Config } from "../../src/config/index.ts";
import { describeStores } from "../support/harness.ts";
import { createUser, expectError, uniqueId } from "../support/management.ts";
import { deployment } from "../support/proxy.ts";

const nextUtcMidnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

const config: Partial<Config> = { model_list: [deployment("gpt-4o", null, { apiBase: "http://127.0.0.1:9/v1" })] };

describeStores(
  "/customer/new",
  (h) => {
    test("creates the customer with LiteLLM's defaults and no budget", async () => {
      const id = uniqueId("cust");

      const res = await h().post("/customer/new", { user_id: id, alias: "Acme" });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ user_id: id, alias: "Acme", spend: 0, blocked: false, budget_id: null, allowed_model_region: null, default_model: null, litellm_budget_table: null });
      expect(await h().store.getCustomer(id)).toMatchObject({ user_id: id, alias: "Acme", spend: 0, blocked: false, budget_id: null });
    });

    test("budget fields create the customer's own budget row, with an aligned reset", async () => {
      const id = uniqueId("cust");

      const res = await h().post("/customer/new", { user_id: id, max_budget: 10, budget_duration: "1d", rpm_limit: 5 });

      expect(res.status).toBe(200);
      const row = await h().store.getCustomer(id);
      const budget = await h().store.getBudget(row!.budget_id!);
      expect(budget).toMatchObject({ max_budget: 10, budget_duration: "1d", rpm_limit: 5 });
      expect(budget?.budget_reset_at).toEqual(nextUtcMidnight(budget!.created_at));
      expect(res.body.budget_id).toBe(row!.budget_id);
      expect(res.body.litellm_budget_table).toMatchObject({ budget_id: row!.budget_id, max_budget: 10 });
    });

    test("budget_id links an existing budget; an unknown one is 400", async () => {
      const budget = await h().post("/budget/new", { budget_id: uniqueId("tier"), max_budget: 1 });
      const id = uniqueId("cust");

      const res = await h().post("/customer/new", { user_id: id, budget_id: budget.body.budget_id, default_model: "gpt-4o", allowed_model_region: "eu" });

      expect(res.status).toBe(200);
      expect(await h().store.getCustomer(id)).toMatchObject({ budget_id: budget.body.budget_id, default_model: "gpt-4o", allowed_model_region: "eu" });
      expect(res.body.litellm_budget_table).toMatchObject({ max_budget: 1 });
      expectError(await h().post("/customer/new", { user_id: uniqueId("cust"), budget_id: "no-such-budget" }), { status: 400, type: "bad_request_error", param: "budget_id" });
    });

    test("max_budget together with budget_id is 400 and nothing is stored", async () => {
      const budget = await h().post("/budget/new", { max_budget: 1 });
      const id = uniqueId("cust");

      const res = await h().post("/customer/new", { user_id: id, max_budget: 5, budget_id: budget.body.budget_id });

      expectError(res, { status: 400, type: "bad_request_error", message: "not both", param: "max_budget" });
      expect(await h().store.getCustomer(id)).toBeNull();
    });

    test("a duplicate user_id is 400 'Customer already exists'", async () => {
      const id = uniqueId("cust");
      await h().post("/customer/new", { user_id: id });

      const res = await h().post("/customer/new", { user_id: id, alias: "again" });

      expectError(res, { status: 400, type: "bad_request_error", message: `Customer already exists, passed user_id=${id}`, param: "user_id" });
      expect((await h().store.getCustomer(id))?.alias).toBeNull();
    });

    test("a default_model that is not a configured model group is 422", async () => {
      const id = uniqueId("cust");

      const res = await h().post("/customer/new", { user_id: id, default_model: "gpt-nonexistent" });

      expectError(res, { status: 422, type: "invalid_request_error", message: "Default Model not on proxy", param: "default_model" });
      expect(await h().store.getCustomer(id)).toBeNull();
    });

    test("a negative amount is 400; an unknown region or a missing user_id is 422", async () => {
      expectError(await h().post("/customer/new", { user_id: uniqueId("cust"), max_budget: -5 }), { status: 400, type: "bad_request_error", param: "max_budget" });
      expectError(await h().post("/customer/new", { user_id: uniqueId("cust"), spend: -1 }), { status: 400, type: "bad_request_error", param: "spend" });
      expectError(await h().post("/customer/new", { user_id: uniqueId("cust"), allowed_model_region: "mars" }), { status: 422, type: "invalid_request_error", param: "allowed_model_region" });
      expectError(await h().post("/customer/new", { alias: "nobody" }), { status: 422, type: "invalid_request_error", param: "user_id" });
    });
  },
  { config },
);

describeStores("/customer/info, /customer/list", (h) => {
  test("info answers the row with its budget table", async () => {
    const id = uniqueId("cust");
    await h().post("/customer/new", { user_id: id, max_budget: 3 });

    const res = await h().get(`/customer/info?end_user_id=${id}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: id, spend: 0, litellm_budget_table: { max_budget: 3 } });
  });

  test("an unknown customer is 404 'End User Id=… does not exist in db'; a missing end_user_id is 422", async () => {
    expectError(await h().get("/customer/info?end_user_id=ghost"), { status: 404, type: "not_found_error", message: "End User Id=ghost does not exist in db", param: "end_user_id" });
    expectError(await h().get("/customer/info"), { status: 422, type: "invalid_request_error", param: "end_user_id" });
  });

  test("list answers every customer with its budget table, to admins and admin viewers", async () => {
    const id = uniqueId("cust");
    await h().post("/customer/new", { user_id: id, max_budget: 8 });
    const viewer = await createUser(h(), { user_role: "proxy_admin_viewer" });

    for (const caller of [undefined, viewer.key]) {
      const res = await h().get("/customer/list", caller);
      expect(res.status).toBe(200);
      expect(res.body.find((c: { user_id: string }) => c.user_id === id)).toMatchObject({ litellm_budget_table: { max_budget: 8 } });
    }
  });

  test("internal users may not list (401) nor read (403) customers", async () => {
    const id = uniqueId("cust");
    await h().post("/customer/new", { user_id: id });
    const user = await createUser(h());

    expectError(await h().get("/customer/list", user.key), { status: 401, type: "auth_error", message: "Admin-only endpoint" });
    expectError(await h().get(`/customer/info?end_user_id=${id}`, user.key), { status: 403, type: "auth_error" });
  });
});

describeStores(
  "/customer/update",
  (h) => {
    test("changes only the fields sent", async () => {
      const id = uniqueId("cust");
      await h().post("/customer/new", { user_id: id, alias: "before", allowed_model_region: "us" });

      const res = await h().post("/customer/update", { user_id: id, alias: "after", blocked: true });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ user_id: id, alias: "after", blocked: true, allowed_model_region: "us" });
      expect(await h().store.getCustomer(id)).toMatchObject({ alias: "after", blocked: true, allowed_model_region: "us" });
    });

    test("budget fields create a budget row when there is none, then change that row", async () => {
      const id = uniqueId("cust");
      await h().post("/customer/new", { user_id: id });

      await h().post("/customer/update", { user_id: id, max_budget: 5 });
      const budgetId = (await h().store.getCustomer(id))!.budget_id!;
      expect(await h().store.getBudget(budgetId)).toMatchObject({ max_budget: 5 });

      const res = await h().post("/customer/update", { user_id: id, max_budget: 7, tpm_limit: 100 });

      expect((await h().store.getCustomer(id))?.budget_id).toBe(budgetId);
      expect(await h().store.getBudget(budgetId)).toMatchObject({ max_budget: 7, tpm_limit: 100 });
      expect(res.body.litellm_budget_table).toMatchObject({ max_budget: 7, tpm_limit: 100 });
    });

    test("budget_id relinks; an unknown customer is 404; a bad default_model is 422; non-admins 403", async () => {
      const id = uniqueId("cust");
      await h().post("/customer/new", { user_id: id });
      const budget = await h().post("/budget/new", { max_budget: 2 });

      expect((await h().post("/customer/update", { user_id: id, budget_id: budget.body.budget_id })).body.budget_id).toBe(budget.body.budget_id);
      expectError(await h().post("/customer/update", { user_id: "ghost", alias: "x" }), { status: 404, type: "not_found_error", message: "End User Id=ghost does not exist in db" });
      expectError(await h().post("/customer/update", { user_id: id, default_model: "nope" }), { status: 422, type: "invalid_request_error", param: "default_model" });
      const user = await createUser(h());
      expectError(await h().post("/customer/update", { user_id: id, alias: "hacked" }, user.key), { status: 403, type: "auth_error" });
      expect((await h().store.getCustomer(id))?.alias).toBeNull();
    });
  },
  { config },
);

describeStores("/customer/delete, /customer/block, /customer/unblock", (h) => {
  test("delete removes the customers and answers the count and a message", async () => {
    const [a, b] = [uniqueId("cust"), uniqueId("cust")];
    await h().post("/customer/new", { user_id: a });
    await h().post("/customer/new", { user_id: b });

    const res = await h().post("/customer/delete", { user_ids: [a, b] });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted_customers: 2, message: `Successfully deleted customers with ids: ${JSON.stringify([a, b])}` });
    expect(await h().store.getCustomers([a, b])).toEqual([]);
  });

  test("delete is 404 if any id is unknown, and then nothing is deleted", async () => {
    const id = uniqueId("cust");
    await h().post("/customer/new", { user_id: id });

    const res = await h().post("/customer/delete", { user_ids: [id, "ghost"] });

    expectError(res, { status: 404, type: "not_found_error", message: "End User Id(s)=ghost do not exist in db", param: "user_ids" });
    expect(await h().store.getCustomer(id)).not.toBeNull();
  });

  test("block sets blocked on existing customers and creates unknown ones; unblock clears it", async () => {
    const known = uniqueId("cust");
    const unknown = uniqueId("never-seen");
    await h().post("/customer/new", { user_id: known, alias: "kept" });

    const res = await h().post("/customer/block", { user_ids: [known, unknown] });

    expect(res.status).toBe(200);
    expect(res.body.blocked_users.map((c: { user_id: string; blocked: boolean }) => [c.user_id, c.blocked])).toEqual([
      [known, true],
      [unknown, true],
    ]);
    expect(await h().store.getCustomer(known)).toMatchObject({ blocked: true, alias: "kept" });
    expect(await h().store.getCustomer(unknown)).toMatchObject({ blocked: true, spend: 0 });

    const unblocked = await h().post("/customer/unblock", { user_ids: [known] });

    expect(unblocked.body.blocked_users).toMatchObject([{ user_id: known, blocked: false }]);
    expect((await h().store.getCustomer(known))?.blocked).toBe(false);
  });

  test("internal users may not delete, block or unblock (403)", async () => {
    const id = uniqueId("cust");
    await h().post("/customer/new", { user_id: id });
    const user = await createUser(h());

    for (const path of ["/customer/delete", "/customer/block", "/customer/unblock"]) {
      expectError(await h().post(path, { user_ids: [id] }, user.key), { status: 403, type: "auth_error" });
    }
    expect(await h().store.getCustomer(id)).toMatchObject({ blocked: false });
  });
});

describeStores(
  "/end_user/* aliases",
  (h) => {
    test("every /customer route answers the same under /end_user", async () => {
      const id = uniqueId("eu");

      expect((await h().post("/end_user/new", { user_id: id, default_model: "gpt-4o" })).status).toBe(200);
      expect((await h().get(`/end_user/info?end_user_id=${id}`)).body).toMatchObject({ user_id: id, default_model: "gpt-4o" });
      expect((await h().post("/end_user/update", { user_id: id, alias: "via alias" })).body.alias).toBe("via alias");
      expect((await h().get("/end_user/list")).body.map((c: { user_id: string }) => c.user_id)).toContain(id);
      expect((await h().post("/end_user/block", { user_ids: [id] })).body.blocked_users[0].blocked).toBe(true);
      expect((await h().post("/end_user/unblock", { user_ids: [id] })).body.blocked_users[0].blocked).toBe(false);
      expect((await h().post("/end_user/delete", { user_ids: [id] })).body.deleted_customers).toBe(1);
      expectError(await h().get(`/end_user/info?end_user_id=${id}`), { status: 404, type: "not_found_error" });
    });

    test("/end_user routes are hidden from the API reference; /customer routes are listed", async () => {
      const spec = (await h().get("/openapi.json", null)).body;

      expect(spec.paths["/customer/new"]?.post).toBeDefined();
      expect(Object.keys(spec.paths).filter((p) => p.startsWith("/end_user"))).toEqual([]);
    });
  },
  { config },
);

describeStores(
  "customer spend shown with unflushed spend",
  (h) => {
    test("/customer/info and /customer/list add the pending spend to the stored number", async () => {
      const id = uniqueId("cust");
      await h().post("/customer/new", { user_id: id, spend: 2 });

      expect((await h().get(`/customer/info?end_user_id=${id}`)).body.spend).toBe(2.5);
      expect((await h().get("/customer/list")).body.find((c: { user_id: string }) => c.user_id === id).spend).toBe(2.5);
      expect((await h().store.getCustomer(id))?.spend).toBe(2);
    });
  },
  { liveSpend: { ...NO_LIVE_SPEND, customer: () => 0.5 } },
);
