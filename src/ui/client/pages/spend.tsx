/**
 * Spend over a range of UTC days: the total, charts per day, model, key and team, and
 * the latest requests. Everything here reads the spend logs, which get a call once the
 * ledger flushes it (within proxy_batch_write_at seconds).
 *
 * Sources: /spend/logs?start_date&end_date (per-day totals, split by model and key;
 * scoped by the server to what the caller may see), /spend/logs with summarize=false
 * (the rows), /global/spend/report?group_by=team (per team; global spend readers only)
 * and group_by=api_key (key aliases), /key/list (aliases of one's own keys) and
 * /global/spend (all-time total; it ignores the range).
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiFailure, get } from "../api.ts";
import { type AsyncState, useAsync } from "../components/async.ts";
import { Badge } from "../components/bits.tsx";
import { type Bar, BarChart } from "../components/chart.tsx";
import { AsyncView, Empty, ErrorNotice, Loading } from "../components/feedback.tsx";
import { count, dateTime, isoDay, usd } from "../components/format.ts";
import { type Column, Table } from "../components/table.tsx";
import { href, navigate, type Route } from "../router.ts";
import { seesEverything, useSession } from "../session.ts";

/** One day of /spend/logs?start_date&end_date: spend per key hash sits in top-level fields. */
type DaySummary = { startTime: string; spend: number; users: Record<string, number>; models: Record<string, number> } & Record<string, unknown>;

interface SpendLogRow {
  request_id: string;
  api_key: string;
  spend: number;
  prompt_tokens: number;
  completion_tokens: number;
  model: string;
  model_group: string | null;
  status: string;
  startTime: string;
  metadata: { error_information?: { error_message?: string; error_code?: string } } | null;
}

interface TeamReportDay {
  group_by_day: string;
  teams: { team_id: string | null; team_name: string; total_spend: number }[];
}

interface KeyReportDay {
  group_by_day: string;
  api_keys: { api_key: string; key_alias: string | null; total_spend: number }[];
}

interface DateRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const REQUESTS_PAGE_SIZE = 25;
/** Longer ranges are charted one bar per month: a bar per day would be thinner than a pixel. */
const MAX_DAILY_BARS = 92;
/** The longest range the spend routes accept. */
const MAX_RANGE_DAYS = 3660;
/** Fields of a day summary that are not a key's spend. */
const SUMMARY_FIELDS = new Set(["startTime", "spend", "users", "models"]);

export function SpendPage({ route }: { route: Route }) {
  const session = useSession();
  const range = readRange(route.params);
  const problem = rangeProblem(range);

  const rangeInUrl = route.params.has("from") || route.params.has("to");
  useEffect(() => {
    // Put the default range in the URL (without a history entry) so a shared link shows the same days.
    if (!rangeInUrl) location.replace(href("spend", [], { ...range }));
  }, [rangeInUrl]);

  return (
    <section aria-labelledby="spend-title">
      <div class="page-head">
        <h1 id="spend-title">Spend</h1>
      </div>
      <RangeForm key={`${range.from}|${range.to}`} range={range} />
      <p class="hint">
        Days are UTC. A call shows up here once tollgate has written its spend log, a few seconds after it ends.
        {!seesEverything(session) && " You see the calls of your own user (or of your key, when it belongs to no user)."}
      </p>
      {problem ? <ErrorNotice error={problem} /> : <SpendReport range={range} page={Math.max(1, Number(route.params.get("page")) || 1)} />}
    </section>
  );
}

function RangeForm({ range }: { range: DateRange }) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const apply = (event: Event) => {
    event.preventDefault();
    navigate(href("spend", [], { from, to }));
  };
  return (
    <form class="range-form" onSubmit={apply} aria-label="Date range">
      <div class="range">
        <label>
          From
          <input type="date" value={from} max={to || undefined} onInput={(e) => setFrom(e.currentTarget.value)} required />
        </label>
        <label>
          To
          <input type="date" value={to} min={from || undefined} onInput={(e) => setTo(e.currentTarget.value)} required />
        </label>
        <button type="submit">Show</button>
      </div>
      <nav class="presets" aria-label="Quick ranges">
        {[7, 30, 90].map((days) => (
          <a key={days} href={href("spend", [], { ...lastDays(days) })}>
            Last {days} days
          </a>
        ))}
      </nav>
    </form>
  );
}

function SpendReport({ range, page }: { range: DateRange; page: number }) {
  const dates = { start_date: range.from, end_date: range.to };
  const days = useAsync(() => get<DaySummary[]>("/spend/logs", dates), [range.from, range.to]);
  const teams = useAsync(() => get<TeamReportDay[]>("/global/spend/report", { ...dates, group_by: "team" }), [range.from, range.to]);
  const aliases = useAsync(() => loadKeyAliases(range), [range.from, range.to]);
  const allTime = useAsync(() => get<{ spend: number }>("/global/spend"), []);

  return (
    <>
      <div class="cards">
        <div class="card">
          <h2>Total spend</h2>
          <AsyncView state={days} what="the total">
            {(data) => (
              <>
                <p class="stat">{usd(sumOf(data.map((d) => d.spend)))}</p>
                <p class="stat-note">
                  {range.from} to {range.to}, {data.length} {data.length === 1 ? "day" : "days"}
                </p>
              </>
            )}
          </AsyncView>
        </div>
        <div class="card">
          <h2>All keys, all time</h2>
          <ReportView state={allTime} what="the all-time total">
            {(data) => (
              <>
                <p class="stat">{usd(data.spend)}</p>
                <p class="stat-note">Every key's spend since it was created or reset; this ignores the range.</p>
              </>
            )}
          </ReportView>
        </div>
      </div>

      <ChartPanel id="spend-per-day" title="Spend per day" note={dayCount(range) > MAX_DAILY_BARS ? "The range is long, so each bar is a month." : undefined}>
        <AsyncView state={days} what="spend per day">
          {(data) =>
            sumOf(data.map((d) => d.spend)) === 0 ? (
              <Empty title={`No spend from ${range.from} to ${range.to}.`} />
            ) : (
              <BarChart title="Spend per day" bars={dayBars(data)} format={usd} orientation="vertical" nameHeading="Day" valueHeading="Spend" />
            )
          }
        </AsyncView>
      </ChartPanel>

      <div class="panels">
        <ChartPanel id="spend-per-model" title="Spend per model" note="By the model the provider ran.">
          <AsyncView state={days} what="spend per model">
            {(data) => <RankedChart title="Spend per model" nameHeading="Model" bars={modelBars(data)} empty="No spend on any model in this range." />}
          </AsyncView>
        </ChartPanel>
        <ChartPanel id="spend-per-key" title="Spend per key">
          <AsyncView state={days} what="spend per key">
            {(data) =>
              aliases.data === undefined ? (
                <Loading what="Loading key names" />
              ) : (
                <RankedChart title="Spend per key" nameHeading="Key" bars={keyBars(data, aliases.data)} empty="No spend on any key in this range." />
              )
            }
          </AsyncView>
        </ChartPanel>
        <ChartPanel id="spend-per-team" title="Spend per team">
          <ReportView state={teams} what="spend per team">
            {(data) => <RankedChart title="Spend per team" nameHeading="Team" bars={teamBars(data)} empty="No spend on any team in this range." />}
          </ReportView>
        </ChartPanel>
      </div>

      <LatestRequests range={range} page={page} aliases={aliases.data ?? new Map()} />
    </>
  );
}

function ChartPanel({ id, title, note, children }: { id: string; title: string; note?: string; children: ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {note && <p class="panel-note">{note}</p>}
      {children}
    </section>
  );
}

function RankedChart({ title, nameHeading, bars, empty }: { title: string; nameHeading: string; bars: Bar[]; empty: string }) {
  if (bars.length === 0) return <Empty title={empty} />;
  return <BarChart title={title} bars={bars} format={usd} orientation="horizontal" nameHeading={nameHeading} valueHeading="Spend" />;
}

/**
 * Like AsyncView, but a refusal (403: the caller's role may not read this report) is
 * said as a plain fact in the API's words, not as a failure to retry.
 */
function ReportView<T>({ state, what, children }: { state: AsyncState<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (state.error instanceof ApiFailure && state.error.status === 403) {
    return <p class="notice info">Not available to you: {state.error.message}</p>;
  }
  return (
    <AsyncView state={state} what={what}>
      {children}
    </AsyncView>
  );
}

function LatestRequests({ range, page, aliases }: { range: DateRange; page: number; aliases: ReadonlyMap<string, string> }) {
  const rows = useAsync(
    () => get<SpendLogRow[]>("/spend/logs", { start_date: range.from, end_date: range.to, summarize: false, page, page_size: REQUESTS_PAGE_SIZE }),
    [range.from, range.to, page],
  );
  const go = (next: number) => navigate(href("spend", [], { ...range, page: next > 1 ? next : undefined }));

  const columns: Column<SpendLogRow>[] = [
    { label: "Time", render: (r) => <time dateTime={r.startTime}>{dateTime(r.startTime)}</time> },
    { label: "Key", render: (r) => <KeyName hash={r.api_key} aliases={aliases} /> },
    {
      label: "Model",
      render: (r) =>
        r.model_group && r.model_group !== r.model ? (
          <div class="stack">
            <span>{r.model}</span>
            <span class="muted">as {r.model_group}</span>
          </div>
        ) : (
          r.model
        ),
    },
    { label: "Prompt tokens", render: (r) => count(r.prompt_tokens), numeric: true },
    { label: "Completion tokens", render: (r) => count(r.completion_tokens), numeric: true },
    { label: "Cost", render: (r) => usd(r.spend), numeric: true },
    { label: "Status", render: (r) => <RequestStatus row={r} /> },
  ];

  return (
    <section class="panel" aria-labelledby="latest-requests">
      <h2 id="latest-requests">Latest requests</h2>
      <p class="panel-note">Newest first, {REQUESTS_PAGE_SIZE} a page.</p>
      <AsyncView state={rows} what="requests">
        {(data) =>
          data.length === 0 ? (
            <Empty title={page > 1 ? "No older requests in this range." : `No requests from ${range.from} to ${range.to}.`} />
          ) : (
            <>
              <Table caption="Latest requests" columns={columns} rows={data} rowKey={(r) => r.request_id} />
              {(page > 1 || data.length === REQUESTS_PAGE_SIZE) && (
                <nav class="pager" aria-label="Requests pages">
                  <button type="button" class="secondary" disabled={page <= 1} onClick={() => go(page - 1)}>
                    ← Newer
                  </button>
                  <span>Page {page}</span>
                  <button type="button" class="secondary" disabled={data.length < REQUESTS_PAGE_SIZE} onClick={() => go(page + 1)}>
                    Older →
                  </button>
                </nav>
              )}
            </>
          )
        }
      </AsyncView>
    </section>
  );
}

function KeyName({ hash, aliases }: { hash: string; aliases: ReadonlyMap<string, string> }) {
  if (!hash) return <span class="muted">master key</span>;
  const alias = aliases.get(hash);
  return alias ? <span title={hash}>{alias}</span> : <code title={hash}>{shortHash(hash)}</code>;
}

function RequestStatus({ row }: { row: SpendLogRow }) {
  if (row.status === "success") return <Badge tone="ok">success</Badge>;
  const error = row.metadata?.error_information;
  return (
    <div class="stack">
      <Badge tone="danger">{row.status}</Badge>
      {error?.error_message && (
        <small class="muted">
          {error.error_code ? `${error.error_code}: ` : ""}
          {error.error_message}
        </small>
      )}
    </div>
  );
}

/**
 * Key aliases by key hash: from the per-key report of the range (global spend readers:
 * every key that spent) and from /key/list (anyone: their own keys). Either may be
 * refused; a key with no known alias is shown by a shortened hash.
 */
async function loadKeyAliases(range: DateRange): Promise<Map<string, string>> {
  const [report, keys] = await Promise.allSettled([
    get<KeyReportDay[]>("/global/spend/report", { start_date: range.from, end_date: range.to, group_by: "api_key" }),
    get<{ keys: { token: string; key_alias: string | null }[] }>("/key/list", { size: 100, return_full_object: true, include_team_keys: true }),
  ]);
  const aliases = new Map<string, string>();
  if (keys.status === "fulfilled") for (const k of keys.value.keys) if (k.key_alias) aliases.set(k.token, k.key_alias);
  if (report.status === "fulfilled") for (const day of report.value) for (const k of day.api_keys) if (k.key_alias) aliases.set(k.api_key, k.key_alias);
  return aliases;
}

function dayBars(days: readonly DaySummary[]): Bar[] {
  if (days.length <= MAX_DAILY_BARS) return days.map((d) => ({ label: shortDay(d.startTime), detail: d.startTime, value: d.spend }));
  const months = new Map<string, number>();
  for (const d of days) months.set(d.startTime.slice(0, 7), (months.get(d.startTime.slice(0, 7)) ?? 0) + d.spend);
  return [...months].map(([month, value]) => ({ label: shortMonth(month), detail: month, value }));
}

function modelBars(days: readonly DaySummary[]): Bar[] {
  const totals = new Map<string, number>();
  for (const d of days) for (const [model, spend] of Object.entries(d.models)) add(totals, model, spend);
  return ranked(totals, (model) => ({ label: model }));
}

/** Calls made with the master key belong to no key: they are the day's spend that no key field accounts for. */
function keyBars(days: readonly DaySummary[], aliases: ReadonlyMap<string, string>): Bar[] {
  const totals = new Map<string, number>();
  let keyless = 0;
  for (const d of days) {
    let keyed = 0;
    for (const [field, value] of Object.entries(d)) {
      if (SUMMARY_FIELDS.has(field) || typeof value !== "number") continue;
      add(totals, field, value);
      keyed += value;
    }
    keyless += d.spend - keyed;
  }
  const bars = ranked(totals, (hash) => ({ label: aliases.get(hash) ?? shortHash(hash), detail: aliases.has(hash) ? `${aliases.get(hash)} (${shortHash(hash)})` : hash }));
  // Sums of floating-point spend leave crumbs; a remainder under a hundredth of a cent is rounding, not a call.
  if (keyless > 1e-6) bars.push({ label: "master key (no key)", value: keyless });
  return bars.sort((a, b) => b.value - a.value);
}

function teamBars(days: readonly TeamReportDay[]): Bar[] {
  const totals = new Map<string, number>();
  const names = new Map<string, string>();
  for (const day of days) {
    for (const team of day.teams) {
      const id = team.team_id ?? "";
      add(totals, id, team.total_spend);
      names.set(id, team.team_name);
    }
  }
  return ranked(totals, (id) => {
    const name = names.get(id) ?? id;
    return { label: name, detail: id && name !== id ? `${name} (${id})` : name };
  });
}

/** Bars by spend, biggest first; groups with no spend left out. */
function ranked(totals: ReadonlyMap<string, number>, describe: (name: string) => Omit<Bar, "value">): Bar[] {
  return [...totals]
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => ({ ...describe(name), value }));
}

function add(totals: Map<string, number>, name: string, value: number): void {
  totals.set(name, (totals.get(name) ?? 0) + value);
}

const sumOf = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0);

const shortHash = (hash: string) => `${hash.slice(0, 10)}…`;

const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { timeZone: "UTC", month: "short", day: "numeric" });

const shortMonth = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString(undefined, { timeZone: "UTC", month: "short", year: "numeric" });

/** The last `days` UTC days, today included. */
function lastDays(days: number): DateRange {
  const now = Date.now();
  return { from: isoDay(new Date(now - (days - 1) * DAY_MS)), to: isoDay(new Date(now)) };
}

function readRange(params: URLSearchParams): DateRange {
  const fallback = lastDays(30);
  return { from: params.get("from") || fallback.from, to: params.get("to") || fallback.to };
}

/** Why the range cannot be shown, in words; undefined when it can. */
function rangeProblem({ from, to }: DateRange): string | undefined {
  const valid = (day: string) => {
    const date = new Date(`${day}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(date.getTime()) && isoDay(date) === day;
  };
  if (!valid(from)) return `“From” (${from}) is not a date. Pick one above.`;
  if (!valid(to)) return `“To” (${to}) is not a date. Pick one above.`;
  if (from > to) return `“To” (${to}) is before “From” (${from}). Pick a later end date.`;
  if (dayCount({ from, to }) > MAX_RANGE_DAYS) return `The range is limited to ${MAX_RANGE_DAYS} days (about ten years). Pick a later start date.`;
  return undefined;
}

function dayCount({ from, to }: DateRange): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}
