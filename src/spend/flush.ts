/**
 * A ledger flush, applied: the journal segments the flush sealed become spend-log rows
 * and entity increments in ONE transaction that also moves the journal's checkpoint.
 * Entries at or below the stored checkpoint were applied before (a crash between a
 * commit and the segment's deletion) and are skipped, so each call counts once.
 *
 * It reads the calls from the segment files rather than being handed them, so it can
 * run in the flush worker (flush-worker.ts) on its own database connection: the thread
 * that serves requests then never parses, maps or writes a spend-log row.
 */
import { join } from "node:path";
import type { NewSpendLogRow } from "../db/rows.ts";
import type { Store } from "../db/store/index.ts";
import { emptyIncrements } from "../db/store/spend.ts";
import { journalEntries } from "./journal.ts";
import { accumulate, type JournaledEntry, revive, spendLogRow } from "./ledger-entry.ts";

export interface FlushRequest {
  journalDir: string;
  instanceId: string;
  /** Sealed segment files (names inside journalDir). */
  segments: readonly string[];
  /** The batch's last seq: the checkpoint this flush moves to. */
  upTo: number;
  /** False with `disable_spend_logs`: entity spend only. */
  writeSpendLogs: boolean;
}

/** Applies a flush with `store`; throws (and changes nothing) when the transaction fails. */
export async function applyFlush(store: Pick<Store, "applySpend" | "getCheckpoint">, request: FlushRequest): Promise<void> {
  const applied = await store.getCheckpoint(request.instanceId);
  const increments = emptyIncrements();
  const keyModels = new Map<string, number>();
  // The journal is parsed as the rows are written, so parsing overlaps the database's
  // work; the increments are complete once the last row has been taken.
  function* logRows(): Generator<NewSpendLogRow> {
    for (const segment of request.segments) {
      for (const { seq, data } of journalEntries<JournaledEntry>(join(request.journalDir, segment))) {
        if (seq <= applied || seq > request.upTo) continue;
        const entry = revive(data);
        accumulate(entry, increments, keyModels);
        if (request.writeSpendLogs) yield spendLogRow(entry);
      }
    }
  }
  await store.applySpend({ logs: logRows(), increments: () => increments, checkpoint: { instanceId: request.instanceId, seq: request.upTo } });
}
