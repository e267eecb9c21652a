/**
 * The flush worker on its own: it applies a sealed journal segment to the database
 * through its own connection, exactly once however often it is asked, and a flush it
 * cannot apply fails (so the ledger keeps the calls) instead of hanging.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../src/log.ts";
import { startFlushWorker } from "../../src/spend/flush-worker.ts";
import { Journal } from "../../src/spend/journal.ts";
import { journaled, type JournaledEntry } from "../../src/spend/ledger-entry.ts";
import { settledCall } from "../../src/spend/settlement.ts";
import { describeStores } from "../support/harness.ts";
import { createKey } from "../support/management.ts";

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describeStores("flush worker", (h) => {
  test("applies a sealed segment once: the rows and the key's spend, and a repeat of the same flush adds nothing", async () => {
    const { token } = await createKey(h());
    const worker = startFlushWorker({ databaseUrl: h().testDb.databaseUrl, sqlitePath: h().testDb.sqlitePath }, silentLogger);
    const journal = new Journal<JournaledEntry>(tempDir("flush-worker-"));
    try {
      const calls = [0.25, 0.5, 1.25].map((cost) => ({ call: settledCall({ model_group: "flush-worker-model", api_key: token, prompt_tokens: 3 }), cost }));
      for (const entry of calls) journal.append(journaled(entry));
      const segment = journal.seal();
      const request = { journalDir: journal.dir, instanceId: journal.instanceId, segments: [segment], upTo: 3, writeSpendLogs: true };

      await worker.apply(request);
      await worker.apply(request); // a flush retried after its answer was lost

      const rows = (await h().database.db.select().from(h().database.tables.spendLogs)).filter((r) => r.model_group === "flush-worker-model");
      expect(rows.map((r) => r.request_id).sort()).toEqual(calls.map((c) => c.call.call_id).sort());
      expect((await h().store.getKey(token))?.spend).toBe(2);
      expect(await h().store.getCheckpoint(journal.instanceId)).toBe(3);
    } finally {
      journal.close();
      await worker.close();
    }
  });
});

describe("flush worker failures", () => {
  test("a flush the worker cannot apply rejects with the reason, and the worker still closes", async () => {
    const journal = new Journal<JournaledEntry>(tempDir("flush-worker-"));
    journal.append(journaled({ call: settledCall({ model_group: "gpt-4o" }), cost: 1 }));
    const segment = journal.seal();
    const worker = startFlushWorker({ databaseUrl: null, sqlitePath: join(tempDir("flush-worker-db-"), "missing", "db.sqlite") }, silentLogger);
    try {
      const failed = worker.apply({ journalDir: journal.dir, instanceId: journal.instanceId, segments: [segment], upTo: 1, writeSpendLogs: true });
      await expect(failed).rejects.toThrow(/unable to open database/);
    } finally {
      await worker.close();
      journal.close();
    }
  });
});
