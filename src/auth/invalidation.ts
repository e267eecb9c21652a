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
  /** End users (customers): blocked state and budgets cached by the request path. */
  customers(customerIds: readonly string[]): void;
  /** Everything cached: for rare writes whose reach is hard to trace (a shared budget row). */
  everything(): void;
}

/** Caches keyed by end-user id that invalidations must reach too. */
export interface CustomerCache {
  invalidate(ids: readonly string[] | "all"): void;
}

export function cacheInvalidator(cache: KeyCache<CachedKey>, customers: CustomerCache): AuthInvalidator {
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
    customers(customerIds) {
      customers.invalidate(customerIds);
    },
    everything() {
      cache.clear();
      customers.invalidate("all");
    },
  };
}

const CHANNEL = "tollgate_auth_invalidation";
/** NOTIFY payloads are limited to 8000 bytes: 100 tokens of 64 hex characters fit easily. */
const BATCH = 100;

interface InvalidationMessage {
  origin: string;
  kind: "keys" | "users" | "teams" | "customers" | "everything";
  ids: string[];
}

export interface SharedChannel {
  notify(channel: string, payload: string): Promise<void>;
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
}

/**
 * Applies every invalidation locally at once, then tells the other instances on the
 * same database, which apply it within the notification's delivery time (well under
 * a second). Should a notification be lost, the cache TTL still bounds staleness.
 */
export function sharedInvalidator(local: AuthInvalidator, channel: SharedChannel, onError: (err: unknown) => void) {
  const origin = crypto.randomUUID();
  const send = (kind: InvalidationMessage["kind"], ids: readonly string[]) => {
    for (let i = 0; i < ids.length; i += BATCH) {
      const message: InvalidationMessage = { origin, kind, ids: ids.slice(i, i + BATCH) };
      channel.notify(CHANNEL, JSON.stringify(message)).catch(onError);
    }
  };
  const invalidator: AuthInvalidator = {
    keys(tokens) {
      local.keys(tokens);
      send("keys", tokens);
    },
    users(userIds) {
      local.users(userIds);
      send("users", userIds);
    },
    teams(teamIds) {
      local.teams(teamIds);
      send("teams", teamIds);
    },
    customers(customerIds) {
      local.customers(customerIds);
      send("customers", customerIds);
    },
    everything() {
      local.everything();
      send("everything", ["*"]);
    },
  };
  /** Starts applying other instances' invalidations here; resolves once listening. */
  const subscribe = () =>
    channel.listen(CHANNEL, (payload) => {
      try {
        const message = JSON.parse(payload) as InvalidationMessage;
        if (message.origin === origin) return;
        if (message.kind === "everything") local.everything();
        else local[message.kind](message.ids);
      } catch (err) {
        onError(err);
      }
    });
  return { invalidator, subscribe };
}
