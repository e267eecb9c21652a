/**
 * The spend ledger: where settled calls become money on keys, users, teams, team
 * members and customers, and rows in the spend log.
 *
 * Invariants:
 * - `record` prices the call, appends it to the local journal (synchronously, so a
 *   crash after the client saw the answer loses nothing) and adds it to the
 *   in-process "unflushed" counters; it never touches the database.
 * - `flush` (every `proxy_batch_write_at` seconds and at shutdown) writes everything
 *   recorded so far in ONE transaction, which also moves this journal's checkpoint;
 *   a failed flush keeps its entries for the next one.
 * - `replay` at start-up applies journal entries past the checkpoint, so each call is
 *   counted exactly once, crash or not.
 * - Stored spend + `unflushed(...)` is the live spend of an entity on this instance.
 */
import type { Logger } from "../log.ts";
import type { NewSpendLogRow } from "../db/rows.ts";
import { emptyIncrements, memberKey, type SpendEntity, type SpendIncrements } from "../db/store/spend.ts";
import type { Store } from "../db/store/index.ts";
import type { Journal } from "./journal.ts";
import type { SettledCall, SpendRecorder } from "./settlement.ts";

/** A priced call. */
export interface LedgerEntry {
  call: SettledCall;
  cost: number;
}

type CallTimes = "start_time" | "end_time" | "completion_start_time";

/**
 * A priced call as journaled: its times as epoch milliseconds, because JSON.stringify
 * of an object holding Dates took 3 µs a call against 0.7 µs without (every call pays it).
 * Journals written before this carry ISO strings, which `revive` reads as well.
 */
export interface JournaledEntry {
  call: Omit<SettledCall, CallTimes> & { start_time: number | string; end_time: number | string; completion_start_time: number | string | null };
  cost: number;
}

export interface LedgerOptions {
  store: Pick<Store, "applySpend" | "getCheckpoint">;
  journal: Journal<JournaledEntry>;
  price: (call: SettledCall) => number;
  /** `disable_spend_logs`: entity spend is still counted, no log rows are written. */
  writeSpendLogs: boolean;
  log: Logger;
  /** Called after each committed flush with what it added (budgets re-read their bases). */
  onFlushed?: (applied: SpendIncrements, keyModels: ReadonlyMap<string, number>) => void;
}

export class Ledger implements SpendRecorder {
  private pending: { seq: number; entry: LedgerEntry }[] = [];
  private readonly unflushedSpend: SpendIncrements = emptyIncrements();
  /** Unflushed spend per key and model group (`token\0group`), for per-model key budgets. */
  private readonly unflushedKeyModels = new Map<string, number>();
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: LedgerOptions) {}

  /** Resolves once the call is journaled (see Journal.append). */
  record(call: SettledCall): Promise<void> {
    const entry: LedgerEntry = { call, cost: this.options.price(call) };
    const seq = this.options.journal.append(journaled(entry));
    this.track(seq, entry);
    return this.options.journal.written();
  }

  /** Queues an entry for the next flush and counts it as unflushed. */
  private track(seq: number, entry: LedgerEntry): void {
    this.pending.push({ seq, entry });
    accumulate(entry, this.unflushedSpend, this.unflushedKeyModels);
  }

  /** Spend of one key on one model group recorded here but not yet in the spend log. */
  unflushedKeyModel(token: string, group: string): number {
    return this.unflushedKeyModels.get(`${token}\u0000${group}`) ?? 0;
  }

  /** Spend recorded on this instance but not yet in the database. */
  unflushed(entity: SpendEntity, id: string): number {
    return this.unflushedSpend[entity].get(id) ?? 0;
  }

  unflushedMember(teamId: string, userId: string): number {
    return this.unflushed("members", memberKey(teamId, userId));
  }

  /** Writes everything recorded so far; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Closes the journal (after a final flush). */
  close(): void {
    this.options.journal.close();
  }

  /** Applies journal entries the database has not seen (after a crash), then flushes them. */
  async replay(): Promise<number> {
    const { journal, store } = this.options;
    const checkpoint = await store.getCheckpoint(journal.instanceId);
    journal.continueAfter(checkpoint);
    const missing = journal.readAll().filter((e) => e.seq > checkpoint);
    for (const { seq, data } of missing) this.track(seq, revive(data));
    if (missing.length > 0) await this.flush();
    else journal.discard(journal.sealedSegments());
    return missing.length;
  }

  private async flushOnce(): Promise<void> {
    if (this.pending.length === 0) return;
    const { journal, store } = this.options;
    const batch = this.pending;
    this.pending = [];
    journal.seal();
    // Every sealed segment holds only entries of this batch or already applied ones.
    const segments = journal.sealedSegments();
    const increments = emptyIncrements();
    const keyModels = new Map<string, number>();
    const logs: NewSpendLogRow[] = [];
    for (const { entry } of batch) {
      accumulate(entry, increments, keyModels);
      if (this.options.writeSpendLogs) logs.push(spendLogRow(entry));
    }
    const seq = batch[batch.length - 1]!.seq;
    try {
      await store.applySpend({ logs, increments, checkpoint: { instanceId: journal.instanceId, seq } });
    } catch (err) {
      this.pending = batch.concat(this.pending);
      this.options.log.error("spend flush failed; will retry", { entries: batch.length, error: String(err) });
      return;
    }
    journal.discard(segments);
    for (const entity of Object.keys(increments) as SpendEntity[]) {
      for (const [id, amount] of increments[entity]) add(this.unflushedSpend[entity], id, -amount, true);
    }
    for (const [id, amount] of keyModels) add(this.unflushedKeyModels, id, -amount, true);
    this.options.onFlushed?.(increments, keyModels);
  }
}

function add(map: Map<string, number>, id: string, amount: number, dropZero = false): void {
  const next = (map.get(id) ?? 0) + amount;
  // Flushing subtracts exactly what was added, but floating point may leave dust.
  if (dropZero && Math.abs(next) < 1e-12) map.delete(id);
  else map.set(id, next);
}

/** The entities a call's cost is added to (API.md §4.2). */
function forEachIncrement(entry: LedgerEntry, apply: (entity: SpendEntity, id: string, amount: number) => void): void {
  const { call, cost } = entry;
  if (cost === 0) return;
  if (call.api_key) apply("keys", call.api_key, cost);
  if (call.user_id) apply("users", call.user_id, cost);
  if (call.team_id) apply("teams", call.team_id, cost);
  if (call.team_id && call.user_id) apply("members", memberKey(call.team_id, call.user_id), cost);
  if (call.end_user) apply("customers", call.end_user, cost);
}

/** Adds a call's cost to its entities and to its key's spend on its model group. */
function accumulate(entry: LedgerEntry, spend: SpendIncrements, keyModels: Map<string, number>): void {
  forEachIncrement(entry, (entity, id, amount) => add(spend[entity], id, amount));
  const { call, cost } = entry;
  if (cost !== 0 && call.api_key) add(keyModels, `${call.api_key}\u0000${call.model_group}`, cost);
}

function journaled({ call, cost }: LedgerEntry): JournaledEntry {
  return {
    call: { ...call, start_time: call.start_time.getTime(), end_time: call.end_time.getTime(), completion_start_time: call.completion_start_time?.getTime() ?? null },
    cost,
  };
}

function revive({ call, cost }: JournaledEntry): LedgerEntry {
  return {
    cost,
    call: {
      ...call,
      start_time: new Date(call.start_time),
      end_time: new Date(call.end_time),
      completion_start_time: call.completion_start_time === null ? null : new Date(call.completion_start_time),
    },
  };
}

/** The spend-log row of a call (API.md §4.3). `request_id` is the call id: unique and stable. */
export function spendLogRow({ call, cost }: LedgerEntry): NewSpendLogRow {
  return {
    request_id: call.call_id,
    call_type: call.call_type,
    api_key: call.api_key ?? "",
    spend: cost,
    total_tokens: call.prompt_tokens + call.completion_tokens,
    prompt_tokens: call.prompt_tokens,
    completion_tokens: call.completion_tokens,
    cached_tokens: call.cached_tokens,
    start_time: call.start_time,
    end_time: call.end_time,
    completion_start_time: call.completion_start_time,
    model: call.model ?? call.model_group,
    model_id: call.model_id,
    model_group: call.model_group,
    custom_llm_provider: call.provider,
    api_base: call.api_base,
    user: call.user_id,
    end_user: call.end_user,
    team_id: call.team_id,
    organization_id: null,
    status: call.status,
    metadata: {
      response_id: call.request_id,
      user_api_key_user_id: call.user_id,
      user_api_key_team_id: call.team_id,
      usage_object: {
        prompt_tokens: call.prompt_tokens,
        completion_tokens: call.completion_tokens,
        cached_tokens: call.cached_tokens,
        cache_creation_tokens: call.cache_creation_tokens,
        reasoning_tokens: call.reasoning_tokens,
        estimated: call.usage_estimated,
      },
      attempted_retries: call.attempted_retries,
      stream: call.stream,
      ...(call.error ? { error_information: { error_message: call.error, error_code: String(call.http_status) } } : {}),
      ...(call.metadata as Record<string, never>),
    },
    request_tags: Array.isArray(call.metadata.tags) ? (call.metadata.tags as string[]) : [],
    cache_hit: "False",
    messages: call.messages ?? null,
    response: call.response ?? null,
  };
}
