/**
 * Budget windows (`budget_duration`): when a window ends, spend starts again from 0
 * and the next reset is set, aligned as API.md Part 1 "Resets" says. A background
 * sweep does it for every entity; the request path asks for a sweep as soon as it
 * sees a due window on a key in use, so no call is judged against an ended window.
 */
import type { Store } from "../db/store/index.ts";
import type { DueReset, ResetResult } from "../db/store/budget-windows.ts";
import type { Logger } from "../log.ts";
import { parseDuration } from "../util/duration.ts";
import { nextBudgetResetAt } from "./budget-reset.ts";
import type { BudgetGuard } from "./budgets.ts";

export interface BudgetWindowOptions {
  store: Pick<Store, "dueBudgetResets" | "resetBudgetWindow">;
  budgets: BudgetGuard;
  /** Flushes pending spend first, so spend recorded in the ended window lands in it. */
  flush: () => Promise<void>;
  /** Drops cached rows whose spend and reset time just changed. */
  onReset: (result: ResetResult) => void;
  timeZone: string;
  /** `max_end_user_budget_id`: resetting it resets every customer without a budget of its own. */
  defaultCustomerBudgetId: string | null;
  log: Logger;
  now?: () => Date;
}

export function createBudgetWindows(options: BudgetWindowOptions) {
  const now = options.now ?? (() => new Date());
  let sweeping: Promise<number> | null = null;

  async function sweepOnce(): Promise<number> {
    const at = now();
    const due = await options.store.dueBudgetResets(at);
    if (due.length === 0) return 0;
    await options.flush();
    let count = 0;
    for (const entry of due) {
      const unlinkedCustomers = entry.kind === "budgets" && entry.id === options.defaultCustomerBudgetId;
      const result = await options.store.resetBudgetWindow(entry, at, nextReset(entry, at), { unlinkedCustomers });
      restart(result);
      count += 1;
    }
    return count;
  }

  function nextReset(entry: DueReset, at: Date): Date {
    const duration = parseDuration(entry.budget_duration);
    return duration ? nextBudgetResetAt(duration, at, options.timeZone) : new Date(8.64e15);
  }

  function restart(result: ResetResult): void {
    for (const id of result.keys) options.budgets.resetBase("keys", id);
    for (const id of result.users) options.budgets.resetBase("users", id);
    for (const id of result.teams) options.budgets.resetBase("teams", id);
    for (const id of result.members) options.budgets.resetBase("members", id);
    for (const id of result.customers) options.budgets.resetBase("customers", id);
    options.onReset(result);
  }

  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    /** Resets every ended window; concurrent calls share one sweep. */
    sweep(): Promise<number> {
      sweeping ??= sweepOnce()
        .catch((err) => {
          options.log.warn("budget reset sweep failed", { error: String(err) });
          return 0;
        })
        .finally(() => (sweeping = null));
      return sweeping;
    },
    start(intervalMs: number): void {
      timer = setInterval(() => void this.sweep(), intervalMs);
      timer.unref?.();
    },
    stop(): void {
      if (timer) clearInterval(timer);
    },
  };
}

export type BudgetWindows = ReturnType<typeof createBudgetWindows>;
