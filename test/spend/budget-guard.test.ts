/**
 * The budget guard's stored-spend cache ("bases") on the real store: bounded per entity
 * type (end-user ids come from clients), and a base dropped from it is read again, so
 * a budget still holds.
 */
import { expect, test } from "bun:test";
import { emptyIncrements } from "../../src/db/store/spend.ts";
import { silentLogger } from "../../src/log.ts";
import { type BudgetLimit, BudgetGuard } from "../../src/spend/budgets.ts";
import { describeStores } from "../support/harness.ts";

let n = 0;

describeStores("budget guard bases", (h) => {
  /** A guard over the harness's store, counting the spend reads per id. */
  const countingGuard = (maxBases: number) => {
    const reads: string[] = [];
    const guard = new BudgetGuard({
      store: {
        readSpend: (ids) => {
          reads.push(...Object.values(ids).flat());
          return h().store.readSpend(ids);
        },
      },
      unflushed: () => 0,
      log: silentLogger,
      maxBases,
    });
    return { guard, reads };
  };
  const customerBudget = (id: string, maxBudget: number): BudgetLimit => ({ entity: "customers", id, maxBudget, message: (spend) => `over: ${spend}` });

  test("at most maxBases are kept: the oldest is dropped, and read again when next needed", async () => {
    n += 1;
    const [a, b, c] = ["a", "b", "c"].map((x) => `bounded-${x}-${n}`) as [string, string, string];
    const { guard, reads } = countingGuard(2);
    for (const id of [a, b, c, c, a]) (await guard.admit([customerBudget(id, 10)], () => 0.01)).release();
    expect(reads).toEqual([a, b, c, a]);
  });

  test("a customer over budget is still refused after its base was dropped and read again", async () => {
    n += 1;
    const [spender, other] = [`spender-${n}`, `other-${n}`];
    const spend = emptyIncrements();
    spend.customers.set(spender, 5);
    await h().store.applySpend({ logs: [], increments: () => spend, checkpoint: { instanceId: `guard-${n}`, seq: 1 } });
    const { guard, reads } = countingGuard(1);

    await expect(guard.admit([customerBudget(spender, 1)], () => 0.01)).rejects.toThrow("over: 5");
    (await guard.admit([customerBudget(other, 1)], () => 0.01)).release();
    await expect(guard.admit([customerBudget(spender, 1)], () => 0.01)).rejects.toThrow("over: 5");
    expect(reads).toEqual([spender, other, spender]);
  });
});
