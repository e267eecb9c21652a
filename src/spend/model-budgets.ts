/**
 * Per-model key budgets (`model_max_budget`, API.md §1.1):
 *   {"gpt-4o": {"budget_limit": 0.5, "time_period": "1d"}}
 * (`max_budget` / `budget_duration` are accepted as the same fields). A key is refused
 * a model once its spend on that model group in the current window reaches the limit.
 * Windows are fixed slices of the period counted from the Unix epoch; spend is the
 * spend log's sum for the window plus what this instance has not flushed yet.
 */
import type { KeyRow } from "../db/rows.ts";
import type { Store } from "../db/store/index.ts";
import { parseDuration, durationSeconds } from "../util/duration.ts";
import { keyModelKey } from "./ledger-entry.ts";

export interface ModelBudget {
  model: string;
  limit: number;
  windowStart: Date;
}

/** How long a spend-log sum is trusted before it is read again (other instances write too). */
const CACHE_MS = 10_000;

/** The key's budget for this model group (or the name the client sent), if it set one. */
export function modelBudgetFor(key: Pick<KeyRow, "model_max_budget">, names: readonly string[], now: Date): ModelBudget | null {
  for (const model of names) {
    const entry = key.model_max_budget[model];
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) continue;
    const fields = entry as Record<string, unknown>;
    const limit = fields.budget_limit ?? fields.max_budget;
    if (typeof limit !== "number") continue;
    const period = fields.time_period ?? fields.budget_duration;
    const duration = typeof period === "string" ? parseDuration(period) : null;
    const ms = duration ? durationSeconds(duration) * 1000 : null;
    return { model, limit, windowStart: new Date(ms ? Math.floor(now.getTime() / ms) * ms : 0) };
  }
  return null;
}

export class ModelBudgets {
  private readonly sums = new Map<string, { spend: number; at: number }>();

  constructor(
    private readonly store: Pick<Store, "groupSpendLogs">,
    private readonly unflushed: (token: string, group: string) => number,
  ) {}

  /** The key's spend on `group` since `windowStart`. */
  async spendOf(token: string, group: string, windowStart: Date): Promise<number> {
    const id = `${keyModelKey(token, group)}\u0000${windowStart.getTime()}`;
    let cached = this.sums.get(id);
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      const [row] = await this.store.groupSpendLogs({ api_key: token, model_group: group, from: windowStart }, []);
      cached = { spend: row?.spend ?? 0, at: Date.now() };
      this.sums.set(id, cached);
    }
    return cached.spend + this.unflushed(token, group);
  }

  /** A flush moved spend into the log: sums read before it are stale. */
  onFlushed(keyModels: ReadonlyMap<string, number>): void {
    for (const id of this.sums.keys()) {
      const pair = id.slice(0, id.lastIndexOf("\u0000"));
      if (keyModels.has(pair)) this.sums.delete(id);
    }
  }
}
