/**
 * /budget/new, update, info, list and delete (API.md §2.4), on both database dialects
 * over real HTTP: budget rows as stored, derived resets, the errors, and who may call.
 */
import { expect, test } from "bun:test";
import { describeStores, MASTER_KEY } from "../support/harness.ts";
import { createKey, createUser, expectError, uniqueId } from "../support/management.ts";

const nextUtcMidnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
const firstOfNextUtcMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

describeStores("/budget/new", (h) => {
  test("creates the row with every field and answers it; created_by is the caller", async () => {
    const id = uniqueId("budget");

    const res = await h().post("/budget/new", {
      budget_id: id,
      max_budget: 10,
      soft_budget: 8,
      max_parallel_requests: 2,
      tpm_limit: 1000,
      rpm_limit: 10,
      model_max_budget: { "gpt-4o": { max_budget: 1, budget_duration: "1d" } },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ budget_id: id, max_budget: 10, soft_budget: 8, max_parallel_requests: 2, tpm_limit: 1000, rpm_limit: 10, created_by: "default_user_id" });
    expect(await h().store.getBudget(id)).toMatchObject({
      max_budget: 10,
      soft_budget: 8,
      tpm_limit: 1000,
      model_max_budget: { "gpt-4o": { max_budget: 1, budget_duration: "1d" } },
      budget_duration: null,
      budget_reset_at: null,
    });
  });

  test("without budget_id a uuid is assigned", async () => {
    const res = await h().post("/budget/new", { max_budget: 1 });

    expect(res.status).toBe(200);
    expect(res.body.budget_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await h().store.getBudget(res.body.budget_id)).not.toBeNull();
  });

  test("budget_duration derives budget_reset_at; an explicit budget_reset_at is kept", async () => {
    const daily = await h().post("/budget/new", { max_budget: 1, budget_duration: "1d" });
    const row = await h().store.getBudget(daily.body.budget_id);
    expect(row?.budget_reset_at).toEqual(nextUtcMidnight(row!.created_at));

    const monthly = await h().post("/budget/new", { max_budget: 1, budget_duration: "1mo" });
    const monthlyRow = await h().store.getBudget(monthly.body.budget_id);
    expect(monthlyRow?.budget_reset_at).toEqual(firstOfNextUtcMonth(monthlyRow!.created_at));

    const explicit = await h().post("/budget/new", { max_budget: 1, budget_duration: "1d", budget_reset_at: "2031-01-02T03:04:05.000Z" });
    expect(explicit.body.budget_reset_at).toBe("2031-01-02T03:04:05.000Z");
  });

  test("a duplicate budget_id is 400 and the row is unchanged", async () => {
    const id = uniqueId("budget");
    await h().post("/budget/new", { budget_id: id, max_budget: 1 });

    const res = await h().post("/budget/new", { budget_id: id, max_budget: 99 });

    expectError(res, { status: 400, type: "bad_request_error", message: `Budget with id '${id}' already exists`, param: "budget_id" });
    expect((await h().store.getBudget(id))?.max_budget).toBe(1);
  });

  test("negative or non-finite amounts and bad durations or dates are refused; nothing is stored", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ max_budget: -1 }, "max_budget"],
      [{ soft_budget: -0.5 }, "soft_budget"],
      [{ model_max_budget: { "gpt-4o": { max_budget: -2 } } }, "model_max_budget.gpt-4o.max_budget"],
      [{ budget_duration: "sometimes" }, "budget_duration"],
      [{ budget_reset_at: "tomorrow-ish" }, "budget_reset_at"],
    ];
    for (const [body, field] of cases) {
      const id = uniqueId("bad");
      expectError(await h().post("/budget/new", { budget_id: id, ...body }), { status: 400, type: "bad_request_error", param: field });
      expect(await h().store.getBudget(id)).toBeNull();
    }
    // JSON has no Infinity, but 1e999 parses to it; the schema refuses non-finite numbers first.
    const infinite = await h().request("POST", "/budget/new", { rawBody: '{"budget_id": "infinite", "max_budget": 1e999}', key: MASTER_KEY, headers: { "content-type": "application/json" } });
    expectError(infinite, { status: 422, type: "invalid_request_error", message: "got Infinity", param: "max_budget" });
    expect(await h().store.getBudget("infinite")).toBeNull();
  });

  test("only proxy admins may create budgets (403)", async () => {
    const user = await createUser(h());
    const id = uniqueId("budget");

    expectError(await h().post("/budget/new", { budget_id: id }, user.key), { status: 403, type: "auth_error" });
    expect(await h().store.getBudget(id)).toBeNull();
  });
});

describeStores("/budget/update", (h) => {
  test("changes only the fields sent; budget_duration re-arms budget_reset_at", async () => {
    const id = uniqueId("budget");
    await h().post("/budget/new", { budget_id: id, max_budget: 1, rpm_limit: 5 });

    const res = await h().post("/budget/update", { budget_id: id, max_budget: 2, budget_duration: "1d" });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ budget_id: id, max_budget: 2, rpm_limit: 5, budget_duration: "1d" });
    const row = await h().store.getBudget(id);
    expect(row).toMatchObject({ max_budget: 2, rpm_limit: 5 });
    expect(row?.budget_reset_at).toEqual(nextUtcMidnight(row!.updated_at));
  });

  test("without budget_id is 400; an unknown id is 404; a negative amount is 400", async () => {
    expectError(await h().post("/budget/update", { max_budget: 1 }), { status: 400, type: "bad_request_error", message: "budget_id is required" });
    expectError(await h().post("/budget/update", { budget_id: "ghost", max_budget: 1 }), { status: 404, type: "not_found_error" });
    const id = uniqueId("budget");
    await h().post("/budget/new", { budget_id: id, max_budget: 1 });
    expectError(await h().post("/budget/update", { budget_id: id, max_budget: -3 }), { status: 400, type: "bad_request_error", param: "max_budget" });
    expect((await h().store.getBudget(id))?.max_budget).toBe(1);
  });

  test("only proxy admins may update budgets (403)", async () => {
    const id = uniqueId("budget");
    await h().post("/budget/new", { budget_id: id, max_budget: 1 });
    const user = await createUser(h());

    expectError(await h().post("/budget/update", { budget_id: id, max_budget: 100 }, user.key), { status: 403, type: "auth_error" });
    expect((await h().store.getBudget(id))?.max_budget).toBe(1);
  });
});

describeStores("/budget/info and /budget/list", (h) => {
  test("info answers the rows of the ids given (unknown ids are left out)", async () => {
    const [a, b] = [uniqueId("budget"), uniqueId("budget")];
    await h().post("/budget/new", { budget_id: a, max_budget: 1 });
    await h().post("/budget/new", { budget_id: b, max_budget: 2 });

    const res = await h().post("/budget/info", { budgets: [a, b, "ghost"] });

    expect(res.status).toBe(200);
    expect(res.body.map((r: { budget_id: string; max_budget: number }) => [r.budget_id, r.max_budget]).sort()).toEqual(
      [
        [a, 1],
        [b, 2],
      ].sort(),
    );
  });

  test("info with an empty list is 400; with no list 422", async () => {
    expectError(await h().post("/budget/info", { budgets: [] }), { status: 400, type: "bad_request_error", message: "Specify list of budget id's", param: "budgets" });
    expectError(await h().post("/budget/info", {}), { status: 422, type: "invalid_request_error", param: "budgets" });
  });

  test("list answers every row to admins and admin viewers; internal users get 400 'Admin-only endpoint'", async () => {
    const id = uniqueId("budget");
    await h().post("/budget/new", { budget_id: id, max_budget: 4 });
    const viewer = await createUser(h(), { user_role: "proxy_admin_viewer" });
    const user = await createUser(h());

    for (const caller of [undefined, viewer.key]) {
      const res = await h().get("/budget/list", caller);
      expect(res.status).toBe(200);
      expect(res.body.find((r: { budget_id: string }) => r.budget_id === id)).toMatchObject({ max_budget: 4 });
    }
    expectError(await h().get("/budget/list", user.key), { status: 400, type: "bad_request_error", message: "Admin-only endpoint" });
    expectError(await h().post("/budget/info", { budgets: [id] }, user.key), { status: 403, type: "auth_error" });
  });
});

describeStores("/budget/delete", (h) => {
  test("deletes the row and answers it", async () => {
    const id = uniqueId("budget");
    await h().post("/budget/new", { budget_id: id, max_budget: 3 });

    const res = await h().post("/budget/delete", { id });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ budget_id: id, max_budget: 3 });
    expect(await h().store.getBudget(id)).toBeNull();
  });

  test("an unknown id is 404; a budget still linked to a key or a customer is 400 and kept", async () => {
    expectError(await h().post("/budget/delete", { id: "ghost" }), { status: 404, type: "not_found_error", param: "id" });

    const forKey = uniqueId("budget");
    await h().post("/budget/new", { budget_id: forKey, max_budget: 1 });
    await createKey(h(), { budget_id: forKey });
    expectError(await h().post("/budget/delete", { id: forKey }), { status: 400, type: "bad_request_error", message: "still linked" });
    expect(await h().store.getBudget(forKey)).not.toBeNull();

    const forCustomer = uniqueId("budget");
    await h().post("/budget/new", { budget_id: forCustomer, max_budget: 1 });
    await h().post("/customer/new", { user_id: uniqueId("cust"), budget_id: forCustomer });
    expectError(await h().post("/budget/delete", { id: forCustomer }), { status: 400, type: "bad_request_error", message: "still linked" });
  });

  test("only proxy admins may delete budgets (403)", async () => {
    const id = uniqueId("budget");
    await h().post("/budget/new", { budget_id: id, max_budget: 3 });
    const viewer = await createUser(h(), { user_role: "proxy_admin_viewer" });

    expectError(await h().post("/budget/delete", { id }, viewer.key), { status: 403, type: "auth_error" });
    expect(await h().store.getBudget(id)).not.toBeNull();
  });
});

describeStores("/budget/settings", (h) => {
  test("describes every field with its stored value; unknown ids are 404; plain users 403", async () => {
    const id = uniqueId("budget");
    await h().post("/budget/new", { budget_id: id, max_budget: 7, rpm_limit: 30 });
    const res = await h().get(`/budget/settings?budget_id=${id}`);
    expect(res.status).toBe(200);
    const byName = Object.fromEntries((res.body as { field_name: string; field_value: unknown }[]).map((f) => [f.field_name, f]));
    expect(byName.max_budget).toMatchObject({ field_type: "float", field_value: 7, stored_in_db: true });
    expect(byName.rpm_limit).toMatchObject({ field_type: "int", field_value: 30 });
    expect(byName.budget_duration).toMatchObject({ field_value: null });

    expectError(await h().get("/budget/settings?budget_id=no-such-budget"), { status: 404, type: "not_found_error" });
    const user = await createUser(h());
    expectError(await h().get(`/budget/settings?budget_id=${id}`, user.key), { status: 403, type: "auth_error" });
  });
});
