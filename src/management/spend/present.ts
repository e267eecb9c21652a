/** Response shapes of the spend routes, built from stored rows and grouped sums. */
import type { SpendLogRow } from "../../db/rows.ts";
import type { SpendGroup } from "../../db/store/index.ts";

/** A spend-log row under LiteLLM's column names (`startTime`, `endTime`, … — API.md §4.3). */
export function presentSpendLog(row: SpendLogRow) {
  const { start_time, end_time, completion_start_time, ...columns } = row;
  return {
    ...columns,
    startTime: start_time,
    endTime: end_time,
    completionStartTime: completion_start_time,
    request_duration_ms: end_time.getTime() - start_time.getTime(),
  };
}

/**
 * One day of `/spend/logs?start_date&end_date`: total spend, spend per key hash (as
 * top-level fields, LiteLLM's shape), per user and per model. Master-key calls (no
 * key) and calls of no user count in `spend` only.
 */
export type DaySummary = { startTime: string; spend: number; users: Record<string, number>; models: Record<string, number> } & Record<string, unknown>;

export function summarizeDays(days: readonly string[], groups: readonly SpendGroup<"day" | "api_key" | "user" | "model">[]): DaySummary[] {
  const byDay = new Map<string, DaySummary>(days.map((day) => [day, { startTime: day, spend: 0, users: {}, models: {} }]));
  const add = (map: Record<string, unknown>, id: string | null, amount: number) => {
    if (id) map[id] = ((map[id] as number | undefined) ?? 0) + amount;
  };
  for (const g of groups) {
    const day = byDay.get(g.day ?? "");
    if (!day) continue;
    day.spend += g.spend;
    add(day, g.api_key, g.spend);
    add(day.users, g.user, g.spend);
    add(day.models, g.model, g.spend);
  }
  return [...byDay.values()];
}

export interface ReportLine {
  model: string | null;
  api_key?: string | null;
  spend: number;
  total_tokens: number;
}

/**
 * `/global/spend/report`: per day, per group (team, customer or key), its total and
 * the lines it is made of. Days ascending; groups and lines by spend, biggest first.
 */
export function reportByDay<G extends Record<string, unknown>>(
  rows: readonly { day: string; group: string; fields: G; line: ReportLine }[],
  listName: "teams" | "customers" | "api_keys",
) {
  const days = new Map<string, Map<string, G & { total_spend: number; metadata: ReportLine[] }>>();
  for (const { day, group, fields, line } of rows) {
    let groups = days.get(day);
    if (!groups) days.set(day, (groups = new Map()));
    let entry = groups.get(group);
    if (!entry) groups.set(group, (entry = { ...fields, total_spend: 0, metadata: [] }));
    entry.total_spend += line.spend;
    entry.metadata.push(line);
  }
  const bySpend = (a: { total_spend: number }, b: { total_spend: number }) => b.total_spend - a.total_spend;
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, groups]) => ({
      group_by_day: day,
      [listName]: [...groups.values()].sort(bySpend).map((g) => ({ ...g, metadata: g.metadata.sort((a, b) => b.spend - a.spend) })),
    }));
}
