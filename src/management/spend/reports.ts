/**
 * The proxy-wide spend reports (`/global/spend/keys|teams|models|end_users|report`).
 * All of them read the spend logs, so they show calls once the ledger has flushed
 * them (within `proxy_batch_write_at`), not before. "Last 30 days" means from UTC
 * midnight 30 days ago, as LiteLLM's `Last30d…` views.
 */
import { toToken } from "../../auth/key-format.ts";
import type { Principal } from "../../auth/principal.ts";
import type { SpendLogFilter, Store } from "../../db/store/index.ts";
import { ApiError, badRequest } from "../../errors.ts";
import { requireGlobalSpendReader } from "./access.ts";
import { dayRange, lastDays } from "./dates.ts";
import type { SpendReportGroup, SpendReportParams } from "./model.ts";
import { reportByDay } from "./present.ts";

export interface SpendReportsOptions {
  store: Store;
  now?: () => Date;
}

/** The most rows a top-N report returns. */
export const MAX_TOP = 1000;
/** LiteLLM's cap on /global/spend/end_users. */
const END_USERS_LIMIT = 100;
const WINDOW_DAYS = 30;
const UNASSIGNED = "Unassigned";

function topLimit(value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) throw new ApiError("validation", `limit must be a whole number from 1 to ${MAX_TOP}, got ${n}`, { param: "limit" });
  return n;
}

function instant(value: string | null | undefined, param: string): Date | undefined {
  if (value == null) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new ApiError("validation", `${param} is not a date-time: ${JSON.stringify(value)}`, { param });
  return date;
}

export function createSpendReports(options: SpendReportsOptions) {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const last30 = (): SpendLogFilter => lastDays(now(), WINDOW_DAYS);

  async function keyNames(tokens: readonly string[]) {
    return new Map((await store.getKeys(tokens)).map((k) => [k.token, k]));
  }

  async function teamAliases(teamIds: readonly string[]) {
    return new Map((await store.getTeams(teamIds)).map((t) => [t.team_id, t.team_alias]));
  }

  return {
    /** Keys by spend over the last 30 days: `[{api_key, total_spend, key_alias, key_name}]`. */
    async topKeys(principal: Principal, limit: number | undefined) {
      requireGlobalSpendReader(principal, "/global/spend/keys");
      const groups = await store.groupSpendLogs({ ...last30(), present: ["api_key"] }, ["api_key"], { order: "spend", limit: topLimit(limit, MAX_TOP) });
      const keys = await keyNames(groups.map((g) => g.api_key ?? ""));
      return groups.map((g) => {
        const key = keys.get(g.api_key ?? "");
        return { api_key: g.api_key, total_spend: g.spend, key_alias: key?.key_alias ?? null, key_name: key?.key_name ?? null };
      });
    },

    /** Models by spend over the last 30 days: `[{model, total_spend}]`. */
    async topModels(principal: Principal, limit: number | undefined) {
      requireGlobalSpendReader(principal, "/global/spend/models");
      const groups = await store.groupSpendLogs(last30(), ["model"], { order: "spend", limit: topLimit(limit, 10) });
      return groups.map((g) => ({ model: g.model, total_spend: g.spend }));
    },

    /**
     * Team spend over the last 30 days, LiteLLM's shape: `daily_spend` has one object
     * per day with spend per team id (`Unassigned` for calls of no team), `teams` the
     * ids seen, `total_spend_per_team` the totals, biggest first.
     */
    async teams(principal: Principal) {
      requireGlobalSpendReader(principal, "/global/spend/teams");
      const groups = await store.groupSpendLogs(last30(), ["day", "team_id"]);
      const aliases = await teamAliases(groups.flatMap((g) => (g.team_id ? [g.team_id] : [])));
      const daily = new Map<string, Record<string, string | number>>();
      const totals = new Map<string, number>();
      for (const g of groups) {
        const team = g.team_id ?? UNASSIGNED;
        const day = g.day ?? "";
        let entry = daily.get(day);
        if (!entry) daily.set(day, (entry = { date: day }));
        entry[team] = ((entry[team] as number | undefined) ?? 0) + g.spend;
        totals.set(team, (totals.get(team) ?? 0) + g.spend);
      }
      return {
        daily_spend: [...daily.values()],
        teams: [...totals.keys()],
        total_spend_per_team: [...totals.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([team_id, total_spend]) => ({ team_id, team_alias: aliases.get(team_id) ?? null, total_spend })),
      };
    },

    /** The top 100 end users by spend: `[{end_user, total_spend, total_count}]`; default window the last 30 days. */
    async endUsers(principal: Principal, query: { api_key?: string | null; from?: Date; to?: Date }) {
      requireGlobalSpendReader(principal, "/global/spend/end_users");
      const filter: SpendLogFilter = { from: query.from ?? last30().from, to: query.to, present: ["end_user"] };
      if (query.api_key != null) filter.api_key = toToken(query.api_key);
      const groups = await store.groupSpendLogs(filter, ["end_user"], { order: "spend", limit: END_USERS_LIMIT });
      return groups.map((g) => ({ end_user: g.end_user, total_spend: g.spend, total_count: g.requests }));
    },

    /** GET form: `start_date`/`end_date` days; POST form (LiteLLM's): `startTime`/`endTime` instants. */
    parseEndUserWindow(query: { start_date?: string; end_date?: string; startTime?: string | null; endTime?: string | null }) {
      if (query.start_date !== undefined || query.end_date !== undefined) {
        const range = dayRange(query.start_date, query.end_date);
        return { from: range?.from, to: range?.to };
      }
      return { from: instant(query.startTime, "startTime"), to: instant(query.endTime, "endTime") };
    },

    /** Spend per day, then per team, customer or key, with the model lines behind each total. */
    async report(principal: Principal, query: SpendReportParams) {
      requireGlobalSpendReader(principal, "/global/spend/report");
      if (query.start_date === undefined || query.end_date === undefined) throw badRequest("Please provide start_date and end_date", query.start_date === undefined ? "start_date" : "end_date");
      const range = dayRange(query.start_date, query.end_date)!;
      const filter: SpendLogFilter = { ...range };
      if (query.api_key !== undefined) filter.api_key = toToken(query.api_key);
      if (query.internal_user_id !== undefined) filter.user = query.internal_user_id;
      if (query.team_id !== undefined) filter.team_id = query.team_id;
      if (query.customer_id !== undefined) filter.end_user = query.customer_id;
      return reportFor(query.group_by ?? "team", filter);
    },
  };

  async function reportFor(groupBy: SpendReportGroup, filter: SpendLogFilter) {
    if (groupBy === "api_key") {
      const groups = await store.groupSpendLogs(filter, ["day", "api_key", "model"]);
      const keys = await keyNames([...new Set(groups.flatMap((g) => (g.api_key ? [g.api_key] : [])))]);
      return reportByDay(
        groups.map((g) => ({
          day: g.day ?? "",
          group: g.api_key ?? "",
          fields: { api_key: g.api_key, key_alias: keys.get(g.api_key ?? "")?.key_alias ?? null },
          line: { model: g.model, spend: g.spend, total_tokens: g.total_tokens },
        })),
        "api_keys",
      );
    }
    const column = groupBy === "team" ? "team_id" : "end_user";
    const groups = await store.groupSpendLogs(filter, ["day", column, "model", "api_key"]);
    const line = (g: (typeof groups)[number]) => ({ model: g.model, api_key: g.api_key, spend: g.spend, total_tokens: g.total_tokens });
    if (groupBy === "customer") {
      return reportByDay(
        groups.map((g) => ({ day: g.day ?? "", group: g.end_user ?? "", fields: { customer: g.end_user }, line: line(g) })),
        "customers",
      );
    }
    const aliases = await teamAliases([...new Set(groups.flatMap((g) => (g.team_id ? [g.team_id] : [])))]);
    return reportByDay(
      groups.map((g) => ({
        day: g.day ?? "",
        group: g.team_id ?? "",
        fields: { team_id: g.team_id, team_name: g.team_id === null ? "Unassigned Team" : (aliases.get(g.team_id) ?? g.team_id) },
        line: line(g),
      })),
      "teams",
    );
  }
}
