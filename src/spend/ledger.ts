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

/**
 * The spend of one batch of recorded calls, per entity and per key and model group:
 * what the batch adds to the database once flushed.
 */
class BatchTally {
  readonly spend: SpendIncrements = emptyIncrements();
  /** Per key and model group (`keyModelKey`), for per-model key budgets. */
  readonly keyModels = new Map<string, number>();
  calls = 0;

  add(entry: LedgerEntry): void {
    accumulate(entry, this.spend, this.keyModels);
    this.calls++;
  }

  /** Takes in an earlier batch whose flush failed (its calls come first). */
  absorb(earlier: BatchTally): void {
    for (const entity of Object.keys(earlier.spend) as SpendEntity[]) {
      for (const [id, amount] of earlier.spend[entity]) addTo(this.spend[entity], id, amount);
    }
    for (const [id, amount] of earlier.keyModels) addTo(this.keyModels, id, amount);
    this.calls += earlier.calls;
  }
}

export class Ledger implements SpendRecorder {
  /**
   * Unflushed spend is kept per batch: the one filling now and the one a flush is
   * writing. A committed flush drops its batch whole, so the calls themselves need not
   * be kept (they are in the journal), and nothing is subtracted: no rounding dust.
   */
  private filling = new BatchTally();
  private inFlight: BatchTally | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: LedgerOptions) {}

  /** Resolves once the call is journaled (see Journal.append). */
  record(call: SettledCall): Promise<void> {
    const entry: LedgerEntry = { call, cost: this.options.price(call) };
    this.options.journal.append(journaled(entry));
    this.filling.add(entry);
    return this.options.journal.written();
  }

  /** Spend of one key on one model group recorded here but not yet in the spend log. */
  unflushedKeyModel(token: string, group: string): number {
    const id = keyModelKey(token, group);
    return (this.filling.keyModels.get(id) ?? 0) + (this.inFlight?.keyModels.get(id) ?? 0);
  }

  /** Spend recorded on this instance but not yet in the database. */
  unflushed(entity: SpendEntity, id: string): number {
    return (this.filling.spend[entity].get(id) ?? 0) + (this.inFlight?.spend[entity].get(id) ?? 0);
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
    for (const { data } of missing) this.filling.add(revive(data));
    if (missing.length > 0) await this.flush();
    else journal.discard(journal.sealedSegments());
    return missing.length;
  }

  private async flushOnce(): Promise<void> {
    if (this.filling.calls === 0) return;
    const { journal, store } = this.options;
    const batch = (this.inFlight = this.filling);
    this.filling = new BatchTally();
    journal.seal();
    // Every sealed segment holds only entries of this batch or already applied ones, and
    // every entry journaled so far is in this batch (or applied): the batch ends at the
    // journal's last seq.
    const segments = journal.sealedSegments();
    const request: FlushRequest = { journalDir: journal.dir, instanceId: journal.instanceId, segments, upTo: journal.lastSeq, writeSpendLogs: this.options.writeSpendLogs };
    try {
      await (this.options.applyFlush ?? ((r: FlushRequest) => applyFlush(store, r)))(request);
    } catch (err) {
      this.inFlight = null;
      this.filling.absorb(batch);
      this.options.log.error("spend flush failed; will retry", { entries: batch.calls, error: String(err) });
      return;
    }
    this.inFlight = null;
    journal.discard(segments);
    this.options.onFlushed?.(batch.spend, batch.keyModels);
  }
}
