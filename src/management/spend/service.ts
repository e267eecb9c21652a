/**
 * Spend reporting (API.md §2.5): the logic behind /spend/* and /global/spend*, free of HTTP.
 *
 * Where the numbers come from:
 * - Reports over calls (`/spend/logs`, `/global/spend/keys|teams|models|end_users|report`)
 *   read the spend logs, which the ledger writes when it flushes: a call shows up there
 *   within `proxy_batch_write_at` seconds (default 1), not before.
 * - Entity totals (`/spend/keys`, `/spend/users`, `/global/spend`) are the stored
 *   counters plus what this instance recorded but has not flushed yet (`liveSpend`), so
 *   they are live, like /key/info.
 */
import { toToken } from "../../auth/key-format.ts";
import type { Principal } from "../../auth/principal.ts";
import type { Store } from "../../db/store/index.ts";
import type { Deployment } from "../../proxy/types.ts";
import type { CostCalculator } from "../../spend/prices/index.ts";
import { requireReadAll } from "../access.ts";
import { presentKey } from "../keys/present.ts";
import { type LiveSpend, NO_LIVE_SPEND } from "../live-spend.ts";
import { paging } from "../paging.ts";
import { requireGlobalSpendReader, requireMasterKey, scopeSpendLogs } from "./access.ts";
import { createSpendCalculation } from "./calculate.ts";
import { dayRange, daysOf } from "./dates.ts";
import type { SpendListParams, SpendLogsParams } from "./model.ts";
import { presentSpendLog, summarizeDays } from "./present.ts";
import { createSpendReports } from "./reports.ts";

export interface SpendServiceOptions {
  store: Store;
  calculator: Pick<CostCalculator, "cost" | "priceFor">;
  /** The config's model groups (`model_name` → deployments), for /spend/calculate. */
  deployments: ReadonlyMap<string, readonly Deployment[]>;
  /** `litellm_settings.max_budget`, reported by /global/spend (0 when unset, as LiteLLM). */
  maxBudget?: number | null;
  /** Spend recorded on this instance but not yet flushed (the ledger's); none by default. */
  liveSpend?: LiveSpend;
  /** Runs before /global/spend/reset: writes pending spend (ledger.flush) so the reset zeroes it too. */
  flushPending?: () => Promise<void>;
  /** Runs after /global/spend/reset with what was zeroed, for in-process copies of stored spend (budget bases). */
  onReset?: (reset: { keys: string[]; teams: string[] }) => void;
  countPromptTokens?: (body: Record<string, unknown>) => Promise<number>;
  now?: () => Date;
}

/** The most rows one page of a spend listing holds. */
export const MAX_PAGE = 1000;

export type SpendService = ReturnType<typeof createSpendService>;

export function createSpendService(options: SpendServiceOptions) {
  const { store } = options;
  const live = options.liveSpend ?? NO_LIVE_SPEND;
  const now = options.now ?? (() => new Date());
  const reports = createSpendReports({ store, now });
  const calculation = createSpendCalculation(options);
  const page = (p: number | undefined, size: number | undefined, sizeParam: string) => paging(p, size, { sizeParam, defaultSize: MAX_PAGE, maxSize: MAX_PAGE });

  return {
    ...reports,
    ...calculation,

    /**
     * With both dates and `summarize` (default): one object per day of the range, days
     * without spend included at 0. Otherwise the rows, newest first, a page at a time.
     */
    async logs(principal: Principal, query: SpendLogsParams) {
      const range = dayRange(query.start_date, query.end_date);
      const filter = scopeSpendLogs(principal, {
        ...range,
        api_key: query.api_key !== undefined ? toToken(query.api_key) : undefined,
        user: query.user_id,
        request_id: query.request_id,
      });
      if (range !== null && query.summarize !== false) {
        return summarizeDays(daysOf(range), await store.groupSpendLogs(filter, ["day", "api_key", "user", "model"]));
      }
      const rows = await store.listSpendLogs(filter, page(query.page, query.page_size, "page_size"));
      return rows.map(presentSpendLog);
    },

    /** Every key with its live spend, biggest spend first. */
    async keys(principal: Principal, query: SpendListParams) {
      requireReadAll(principal, "/spend/keys");
      const { rows } = await store.listKeys({}, page(query.page, query.size, "size"), { by: "spend", order: "desc" });
      return rows.map((k) => ({ ...presentKey(k, null), spend: k.spend + live.key(k.token) }));
    },

    /** Every user (or the one asked for) with its live spend, biggest spend first. */
    async users(principal: Principal, query: SpendListParams & { user_id?: string }) {
      requireReadAll(principal, "/spend/users");
      const p = page(query.page, query.size, "size");
      const { rows } = await store.listUsers(query.user_id !== undefined ? { user_ids: [query.user_id] } : {}, p, { by: "spend", order: "desc" });
      return rows.map(({ password_hash: _secret, key_count: _count, ...user }) => ({ ...user, spend: user.spend + live.user(user.user_id) }));
    },

    /** `{spend, max_budget}`: the live spend of every key, summed (master-key calls belong to no key). */
    async globalSpend(principal: Principal) {
      requireGlobalSpendReader(principal, "/global/spend");
      const keys = await store.listKeySpend();
      const spend = keys.reduce((sum, k) => sum + k.spend + live.key(k.token), 0);
      return { spend, max_budget: options.maxBudget ?? 0 };
    },

    /** Zeroes the spend of every key and team; spend logs, users and customers are kept. */
    async reset(principal: Principal) {
      requireMasterKey(principal, "/global/spend/reset");
      await options.flushPending?.();
      const reset = await store.resetKeyAndTeamSpend(now());
      options.onReset?.(reset);
      return { message: "Spend for all API Keys and Teams reset successfully", status: "success" };
    },
  };
}
