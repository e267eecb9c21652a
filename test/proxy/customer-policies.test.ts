/**
 * The end-user policy cache of the request path (src/proxy/customers.ts), on the real
 * store: reads are cached, the cache is bounded (end-user ids come from clients), and a
 * read that raced a customer write is not cached.
 */
import { expect, test } from "bun:test";
import { createCustomerPolicies } from "../../src/proxy/customers.ts";
import { describeStores } from "../support/harness.ts";

describeStores("end-user policy cache", (h) => {
  /** The harness's store, counting customer reads. */
  const countingStore = () => {
    const reads: string[] = [];
    const { store } = h();
    return {
      reads,
      store: {
        getCustomer: (id: string) => {
          reads.push(id);
          return store.getCustomer(id);
        },
        getBudget: (id: string) => store.getBudget(id),
      },
    };
  };
  const defaults = { budgetId: null, maxBudget: null };

  test("a policy is read once, then served from the cache; its budget row binds", async () => {
    const created = await h().post("/customer/new", { user_id: "cached-customer", max_budget: 2.5, rpm_limit: 7 });
    expect(created.status).toBe(200);
    const { reads, store } = countingStore();
    const policies = createCustomerPolicies(store, defaults);
    const first = await policies.policy("cached-customer");
    expect(first).toMatchObject({ blocked: false, maxBudget: 2.5, rpm: 7 });
    expect(await policies.policy("cached-customer")).toEqual(first);
    expect(reads).toEqual(["cached-customer"]);
  });

  test("a client inventing end-user ids fills the cache only up to its bound: the oldest entry goes", async () => {
    const { reads, store } = countingStore();
    const policies = createCustomerPolicies(store, defaults, 2);
    for (const id of ["invented-a", "invented-b", "invented-c"]) await policies.policy(id);
    await policies.policy("invented-c");
    await policies.policy("invented-a");
    expect(reads).toEqual(["invented-a", "invented-b", "invented-c", "invented-a"]);
  });

  test("a read that raced a customer write is not cached, so the write is seen at once", async () => {
    await h().post("/customer/new", { user_id: "raced-customer" });
    const { store } = h();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Reads the row at once (not blocked yet), then holds the answer back.
    const slowStore = {
      getCustomer: async (id: string) => {
        const row = await store.getCustomer(id);
        await held;
        return row;
      },
      getBudget: (id: string) => store.getBudget(id),
    };
    const policies = createCustomerPolicies(slowStore, defaults);
    const inFlight = policies.policy("raced-customer");
    expect((await h().post("/customer/block", { user_ids: ["raced-customer"] })).status).toBe(200);
    policies.invalidate(["raced-customer"]); // what the block does to the app's own cache
    release();
    expect((await inFlight).blocked).toBe(false);
    expect((await policies.policy("raced-customer")).blocked).toBe(true);
  });
});
