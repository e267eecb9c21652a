import { type AnyColumn, and, asc, desc, eq, gte, isNotNull, lt, ne, type SQL, sql } from "drizzle-orm";
import type { Database, Dialect } from "../database.ts";
import type { SpendLogRow } from "../rows.ts";
import type { Page } from "./keys.ts";

/** Which spend-log rows a report reads. Every field given must match (AND). */
export interface SpendLogFilter {
  /** Key hash (the column holds sha256 tokens, never plaintext). */
  api_key?: string;
  /** Internal user id of the key owner. */
  user?: string;
  request_id?: string;
  model_group?: string;
  team_id?: string;
  end_user?: string;
  /** Inclusive lower bound of `start_time`. */
  from?: Date;
  /** Exclusive upper bound of `start_time`. */
  to?: Date;
  /** Only rows where these columns are set (not null, not empty). */
  present?: readonly ("api_key" | "user" | "team_id" | "end_user")[];
}

/** What spend can be grouped by. `day` is the UTC calendar day of `start_time`, as `YYYY-MM-DD`. */
export type SpendDimension = "day" | "api_key" | "user" | "model" | "model_group" | "team_id" | "end_user";

/** One group: its dimension values, and the sums over its rows (spend in USD). */
export type SpendGroup<D extends SpendDimension> = { [K in D]: string | null } & {
  spend: number;
  total_tokens: number;
  requests: number;
};

export interface GroupOptions {
  /** `spend`: biggest first (ties by dimension); `dimensions` (default): by the dimensions in order, ascending. */
  order?: "spend" | "dimensions";
  limit?: number;
}

export interface SpendReportStore {
  /** Spend-log rows, newest first. */
  listSpendLogs(filter: SpendLogFilter, page: Page): Promise<SpendLogRow[]>;
  /** Sums spend, tokens and rows of the matching spend logs per distinct combination of `by`. */
  groupSpendLogs<D extends SpendDimension>(filter: SpendLogFilter, by: readonly D[], options?: GroupOptions): Promise<SpendGroup<D>[]>;
  /** Stored spend of every key, by token. */
  listKeySpend(): Promise<{ token: string; spend: number }[]>;
  /**
   * Sets the spend of every key and every team to 0, in one transaction; spend logs,
   * users, memberships and customers are left as they are. Returns what was reset.
   */
  resetKeyAndTeamSpend(at: Date): Promise<{ keys: string[]; teams: string[] }>;
}

/** The UTC day of a timestamp column as `YYYY-MM-DD`: the one dialect-specific expression here. */
function utcDay(dialect: Dialect, column: AnyColumn): SQL<string> {
  return dialect === "postgres"
    ? sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;
}

export function createSpendReportStore(database: Database): SpendReportStore {
  const { db, tables } = database;
  const sl = tables.spendLogs;

  const where = (f: SpendLogFilter): SQL | undefined => {
    const parts: SQL[] = [];
    if (f.api_key !== undefined) parts.push(eq(sl.api_key, f.api_key));
    if (f.user !== undefined) parts.push(eq(sl.user, f.user));
    if (f.request_id !== undefined) parts.push(eq(sl.request_id, f.request_id));
    if (f.team_id !== undefined) parts.push(eq(sl.team_id, f.team_id));
    if (f.end_user !== undefined) parts.push(eq(sl.end_user, f.end_user));
    if (f.model_group !== undefined) parts.push(eq(sl.model_group, f.model_group));
    if (f.from !== undefined) parts.push(gte(sl.start_time, f.from));
    if (f.to !== undefined) parts.push(lt(sl.start_time, f.to));
    for (const column of f.present ?? []) parts.push(and(isNotNull(sl[column]), ne(sl[column], ""))!);
    return and(...parts);
  };

  const dimension = (d: SpendDimension): SQL<string | null> => (d === "day" ? utcDay(database.dialect, sl.start_time) : sql<string | null>`${sl[d]}`);

  return {
    listSpendLogs(filter, page) {
      return db.select().from(sl).where(where(filter)).orderBy(desc(sl.start_time), asc(sl.request_id)).limit(page.limit).offset(page.offset);
    },

    async groupSpendLogs<D extends SpendDimension>(filter: SpendLogFilter, by: readonly D[], options: GroupOptions = {}) {
      const spend = sql<number>`coalesce(sum(${sl.spend}), 0)`.mapWith(Number);
      const fields: Record<string, SQL> = {
        spend,
        total_tokens: sql<number>`coalesce(sum(${sl.total_tokens}), 0)`.mapWith(Number),
        requests: sql<number>`count(*)`.mapWith(Number),
      };
      const groups = by.map(dimension);
      by.forEach((d, i) => (fields[d] = groups[i]!));
      const dims = groups.map((g) => asc(g));
      let query = db.select(fields).from(sl).where(where(filter)).$dynamic();
      if (groups.length > 0) query = query.groupBy(...groups);
      query = query.orderBy(...(options.order === "spend" ? [desc(spend), ...dims] : dims));
      const rows = options.limit !== undefined ? await query.limit(options.limit) : await query;
      return rows as SpendGroup<D>[];
    },

    listKeySpend() {
      return db.select({ token: tables.keys.token, spend: tables.keys.spend }).from(tables.keys);
    },

    resetKeyAndTeamSpend(at) {
      return database.transaction(async (tx) => {
        const keys = await tx.update(tables.keys).set({ spend: 0, updated_at: at }).returning({ id: tables.keys.token });
        const teams = await tx.update(tables.teams).set({ spend: 0, updated_at: at }).returning({ id: tables.teams.team_id });
        return { keys: keys.map((k) => k.id), teams: teams.map((t) => t.id) };
      });
    },
  };
}
