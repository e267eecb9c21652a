/**
 * The spend ledger: where settled calls become money on keys, users, teams, team
 * members and customers, and rows in the spend log.
 *
 * Invariants:
 * - `record` prices the call, appends it to the local journal and adds it to the
 *   in-process "unflushed" counters; it never touches the database. Its promise
 *   resolves once the entry is written (once per event-loop turn), and the proxy
 *   answers only then, so a crash after the client saw the answer loses nothing.
 * - `flush` (every `proxy_batch_write_at` seconds and at shutdown) seals the journal
 *   and has everything recorded so far written in ONE transaction, which also moves
 *   this journal's checkpoint (flush.ts; on the flush worker in the app); a failed
 *   flush keeps its entries for the next one.
 * - `replay` at start-up applies journal entries past the checkpoint, so each call is
 *   counted exactly once, crash or not.
 * - Stored spend + `unflushed(...)` is the live spend of an entity on this instance.
 */
import type { Logger } from "../log.ts";
import { emptyIncrements, memberKey, type SpendEntity, type SpendIncrements } from "../db/store/spend.ts";
import type { Store } from "../db/store/index.ts";
import type { Journal } from "./journal.ts";
import { applyFlush, type FlushRequest } from "./flush.ts";
import { accumulate, addTo, journaled, type JournaledEntry, keyModelKey, type LedgerEntry, revive } from "./ledger-entry.ts";
import type { SettledCall, SpendRecorder } from "./settlement.ts";

export interface LedgerOptions {
  store: Pick<Store, "applySpend" | "getCheckpoint">;
  journal: Journal<JournaledEntry>;
  price: (call: SettledCall) => number;
  /** `disable_spend_logs`: entity spend is still counted, no log rows are written. */
  writeSpendLogs: boolean;
  /**
   * Where a flush is applied: by default on this thread with `store`; the app hands it
   * to the flush worker (flush-worker.ts). Either way it runs `applyFlush`.
   */
  applyFlush?: (request: FlushRequest) => Promise<void>;
  log: Logger;
  /** Called after each committed flush with what it added (budgets re-read their bases). */
  onFlushed?: (applied: SpendIncrements, keyModels: ReadonlyMap<string, number>) => void;
}

export class Ledger implements SpendRecorder {
  private pending: { seq: number; entry: LedgerEntry }[] = [];
  private readonly unflushedSpend: SpendIncrements = emptyIncrements();
  /** Unflushed spend per key and model group (`keyModelKey`), for per-model key budgets. */
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
    return this.unflushedKeyModels.get(keyModelKey(token, group)) ?? 0;
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
    const request: FlushRequest = { journalDir: journal.dir, instanceId: journal.instanceId, segments, upTo: batch[batch.length - 1]!.seq, writeSpendLogs: this.options.writeSpendLogs };
    try {
      await (this.options.applyFlush ?? ((r: FlushRequest) => applyFlush(store, r)))(request);
    } catch (err) {
      this.pending = batch.concat(this.pending);
      this.options.log.error("spend flush failed; will retry", { entries: batch.length, error: String(err) });
      return;
    }
    journal.discard(segments);
    // What the flush added is what this batch had counted as unflushed.
    const increments = emptyIncrements();
    const keyModels = new Map<string, number>();
    for (const { entry } of batch) accumulate(entry, increments, keyModels);
    for (const entity of Object.keys(increments) as SpendEntity[]) {
      for (const [id, amount] of increments[entity]) addTo(this.unflushedSpend[entity], id, -amount, true);
    }
    for (const [id, amount] of keyModels) addTo(this.unflushedKeyModels, id, -amount, true);
    this.options.onFlushed?.(increments, keyModels);
  }
}
