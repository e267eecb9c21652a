/**
 * The ledger's local journal: every settled call is appended here, synchronously,
 * before its response completes, so a crash (even `kill -9`) loses nothing the
 * client saw succeed. Entries carry a sequence number; the database remembers the
 * highest number it has applied for this journal, so a replay after a crash applies
 * each entry exactly once.
 *
 * Layout of the journal directory (one per instance; a lock file keeps a second
 * process out):
 *   instance-id          stable id of this journal, the key of its DB checkpoint
 *   current.jsonl        entries being appended
 *   sealed-<seq>.jsonl   entries handed to a flush, deleted once the flush committed
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface JournalEntry<T> {
  seq: number;
  data: T;
}

const CURRENT = "current.jsonl";
const WRITTEN = Promise.resolve();

export class JournalLockedError extends Error {}

export class Journal<T> {
  readonly instanceId: string;
  private fd: number;
  private seq = 0;
  private buffer: string[] = [];
  private pendingWrite: Promise<void> | null = null;
  private readonly lockPath: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.lockPath = join(dir, "lock");
    this.acquireLock();
    const idPath = join(dir, "instance-id");
    if (!existsSync(idPath)) writeFileSync(idPath, crypto.randomUUID());
    this.instanceId = readFileSync(idPath, "utf8").trim();
    this.fd = openSync(join(dir, CURRENT), "a");
  }

  /** Every entry still on disk (sealed and current), in order; a torn last line is skipped. */
  readAll(): JournalEntry<T>[] {
    const files = readdirSync(this.dir)
      .filter((f) => f.startsWith("sealed-"))
      .sort((a, b) => Number(a.slice(7, -6)) - Number(b.slice(7, -6)));
    const entries = [...files, CURRENT].flatMap((file) => [...journalEntries<T>(join(this.dir, file))]);
    // A loop, not Math.max(...seqs): a journal of a million entries would overflow the stack.
    for (const entry of entries) if (entry.seq > this.seq) this.seq = entry.seq;
    return entries;
  }

  /** The seq of the newest entry appended or read back: what a flush sealed now brings the database up to. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Continues numbering after `seq` (the database checkpoint), if that is higher. */
  continueAfter(seq: number): void {
    this.seq = Math.max(this.seq, seq);
  }

  /**
   * Appends an entry. Entries of one turn of the event loop are written together, in
   * one write at the end of that turn (a write per entry was the biggest cost the
   * ledger added to a call); `written()` resolves once they are in the OS, safe from a
   * process crash, and callers hold their response until then.
   */
  append(data: T): number {
    const seq = ++this.seq;
    this.buffer.push(`${JSON.stringify({ seq, data })}\n`);
    this.pendingWrite ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        this.pendingWrite = null;
        try {
          this.writeBuffered();
          resolve();
        } catch (err) {
          reject(err);
        }
      }),
    );
    return seq;
  }

  /** Resolves once every entry appended so far has been written. */
  written(): Promise<void> {
    return this.pendingWrite ?? WRITTEN;
  }

  private writeBuffered(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join("");
    this.buffer = [];
    writeSync(this.fd, text);
  }

  /** Closes the current file as a sealed segment and starts a new one; returns the segment's name. */
  seal(): string {
    this.writeBuffered();
    const name = `sealed-${this.seq}.jsonl`;
    closeSync(this.fd);
    renameSync(join(this.dir, CURRENT), join(this.dir, name));
    this.fd = openSync(join(this.dir, CURRENT), "a");
    return name;
  }

  /** Deletes segments whose every entry the database has applied. */
  discard(names: readonly string[]): void {
    for (const name of names) rmSync(join(this.dir, name), { force: true });
  }

  /** Every sealed segment on disk (after a replay, all of them are applied). */
  sealedSegments(): string[] {
    return readdirSync(this.dir).filter((f) => f.startsWith("sealed-"));
  }

  close(): void {
    this.writeBuffered();
    closeSync(this.fd);
    rmSync(this.lockPath, { force: true });
  }

  private acquireLock(): void {
    if (existsSync(this.lockPath)) {
      const pid = Number(readFileSync(this.lockPath, "utf8"));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new JournalLockedError(`spend journal ${this.dir} is in use by process ${pid}; give each tollgate instance its own TOLLGATE_JOURNAL_DIR`);
      }
    }
    writeFileSync(this.lockPath, String(process.pid));
  }
}

/**
 * The entries of one journal file, parsed as they are taken (a flush streams them into
 * the database while it parses the next ones); a line cut short by a crash mid-write is
 * skipped (its call never completed for the client).
 */
export function* journalEntries<T>(path: string): Generator<JournalEntry<T>> {
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line === "") continue;
    let entry: JournalEntry<T>;
    try {
      entry = JSON.parse(line) as JournalEntry<T>;
    } catch {
      continue; // torn line
    }
    yield entry;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
