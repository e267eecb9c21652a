import type { KeyCache } from "./key-cache.ts";
import type { CachedKey } from "./principal.ts";

/**
 * Management writes report what they changed here, before they answer, so the key
 * cache never serves a stale decision on this instance. Other instances learn of
 * the change through the same interface (see the Postgres notifier).
 */
export interface AuthInvalidator {
  keys(tokens: readonly string[]): void;
  users(userIds: readonly string[]): void;
  teams(teamIds: readonly string[]): void;
}

export function cacheInvalidator(cache: KeyCache<CachedKey>): AuthInvalidator {
  return {
    keys(tokens) {
      cache.invalidate(...tokens);
      // Old hashes in a grace period are cached under their own token.
      const changed = new Set(tokens);
      cache.invalidateWhere((entry) => changed.has(entry.key.token));
    },
    users(userIds) {
      const changed = new Set(userIds);
      cache.invalidateWhere((entry) => entry.key.user_id !== null && changed.has(entry.key.user_id));
    },
    teams(teamIds) {
      const changed = new Set(teamIds);
      cache.invalidateWhere((entry) => entry.key.team_id !== null && changed.has(entry.key.team_id));
    },
  };
}
