/**
 * In-process cache of authenticated keys, by sha256 token (and, with the same rules,
 * of end-user policies: src/proxy/customers.ts). Hits cost no DB round trip; misses
 * (unknown tokens) are cached too, briefly, so a flood of bad keys cannot hammer the
 * database; the oldest entry makes room once `maxEntries` are held.
 *
 * Invariant: every management write that changes what a key may do (block, update,
 * delete, regenerate, owner or team change) invalidates the affected tokens before
 * its response is sent, so the change is effective on this instance at once.
 */
import { setBounded } from "../util/bounded-map.ts";

export interface KeyCacheOptions {
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries: number;
}

interface Entry<V> {
  value: V | null;
  expiresAt: number;
}

export class KeyCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;

  /**
   * Bumped by every invalidation. A loader that read the store while it changed must not
   * cache what it read: compare the epoch before and after the read.
   */
  get epoch(): number {
    return this.generation;
  }

  constructor(private readonly options: KeyCacheOptions) {}

  /** `undefined` = not cached; `null` = cached as unknown. */
  get(token: string, now = Date.now()): V | null | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  set(token: string, value: V | null, now = Date.now()): void {
    const ttl = value === null ? this.options.negativeTtlMs : this.options.ttlMs;
    setBounded(this.entries, token, { value, expiresAt: now + ttl }, this.options.maxEntries);
  }

  invalidate(...tokens: string[]): void {
    this.generation += 1;
    for (const token of tokens) this.entries.delete(token);
  }

  /** Drops every cached key the predicate selects (e.g. all keys of a user whose role changed). */
  invalidateWhere(predicate: (value: V) => boolean): void {
    this.generation += 1;
    for (const [token, entry] of this.entries) {
      if (entry.value !== null && predicate(entry.value)) this.entries.delete(token);
    }
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
