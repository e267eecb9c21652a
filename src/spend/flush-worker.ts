/**
 * Runs the ledger's flushes on a worker thread with its own database connection
 * (flush.worker.ts). A flush of a busy second is thousands of spend-log rows; on the
 * serving thread it stalled every request behind it (SQLite writes are synchronous)
 * and cost a tenth of that thread's time. Only the flush request (segment names, the
 * checkpoint) crosses threads: the worker reads the calls from the journal files.
 *
 * A worker that dies fails its flush, which the ledger retries; the next flush starts
 * a new worker.
 */
import type { OpenOptions } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { FlushRequest } from "./flush.ts";

type FlushWorkerMessage = { kind: "flush"; location: OpenOptions; request: FlushRequest } | { kind: "close" };
export type FlushWorkerRequest = FlushWorkerMessage & { id: number };
export type FlushWorkerReply = { id: number; ok: true } | { id: number; ok: false; error: string };

/**
 * In the compiled binary the worker is a second entry point, named relative to src/
 * (scripts/build.ts); run from source it is the file beside this one.
 */
const WORKER = Bun.main.startsWith("/$bunfs/") ? "./spend/flush.worker.ts" : new URL("./flush.worker.ts", import.meta.url).href;

/** Bun's Worker has ref() and unref(), as Node's does; the DOM typings do not know them. */
const handle = (worker: Worker) => worker as Worker & { ref(): void; unref(): void };

export interface FlushWorker {
  apply(request: FlushRequest): Promise<void>;
  /** Closes the worker's database connection and ends the thread. */
  close(): Promise<void>;
}

export function startFlushWorker(location: OpenOptions, log: Logger): FlushWorker {
  let worker: Worker | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };

  const thread = (): Worker => {
    if (worker) return worker;
    const started = new Worker(WORKER);
    started.onmessage = ({ data }: MessageEvent<FlushWorkerReply>) => {
      const caller = waiting.get(data.id);
      waiting.delete(data.id);
      if (waiting.size === 0) handle(started).unref();
      if (data.ok) caller?.resolve();
      else caller?.reject(new Error(data.error));
    };
    started.onerror = (event) => {
      log.error("spend flush worker failed; a new one starts with the next flush", { error: event.message });
      if (worker === started) worker = null;
      started.terminate();
      failAll(new Error(`spend flush worker failed: ${event.message}`));
    };
    handle(started).unref();
    worker = started;
    return started;
  };

  const send = (message: FlushWorkerMessage, to: Worker) =>
    new Promise<void>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, { resolve, reject });
      // An idle worker does not keep the process alive, a busy one does: a flush awaited
      // before the server listens (the replay at start-up) must not find the loop empty.
      handle(to).ref();
      to.postMessage({ ...message, id });
    });

  return {
    apply: (request) => send({ kind: "flush", location, request }, thread()),
    async close() {
      if (!worker) return;
      const closing = worker;
      worker = null;
      try {
        await send({ kind: "close" }, closing);
      } finally {
        closing.terminate();
      }
    },
  };
}
