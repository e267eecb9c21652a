/**
 * The flush worker's own thread: its own connection to the database, on which it
 * applies the ledger's flushes (flush.ts) so that the thread serving requests never
 * parses, maps or writes spend-log rows. Spoken to only by flush-worker.ts.
 */
import { type Database, type OpenOptions, openDatabase } from "../db/database.ts";
import { createStore, type Store } from "../db/store/index.ts";
import { applyFlush } from "./flush.ts";
import type { FlushWorkerReply, FlushWorkerRequest } from "./flush-worker.ts";

declare const self: Worker;

let connection: { database: Database; store: Store } | null = null;

function connect(location: OpenOptions) {
  if (!connection) {
    // One connection is all a flush needs; on Postgres the pool would only hold idle ones.
    const database = openDatabase({ ...location, poolSize: 1 });
    connection = { database, store: createStore(database) };
  }
  return connection;
}

self.onmessage = async ({ data }: MessageEvent<FlushWorkerRequest>) => {
  let reply: FlushWorkerReply;
  try {
    if (data.kind === "close") {
      await connection?.database.close();
      connection = null;
    } else {
      await applyFlush(connect(data.location).store, data.request);
    }
    reply = { id: data.id, ok: true };
  } catch (err) {
    reply = { id: data.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  postMessage(reply);
};
