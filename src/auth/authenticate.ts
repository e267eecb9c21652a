/**
 * Turns a presented key into a Principal, or the typed 401 LiteLLM clients expect.
 * A cached key costs one sha256 and one Map lookup; only a miss reads the Store.
 */
import type { Store } from "../db/store/index.ts";
import { ApiError } from "../errors.ts";
import type { ExtractedKey } from "./extract-key.ts";
import type { KeyCache } from "./key-cache.ts";
import { KEY_PREFIX, keyName, maskKey, secretChecker, sha256 } from "./key-format.ts";
import { type CachedKey, NO_KEY_BUDGETS, type Principal } from "./principal.ts";
import { isUserRole } from "./roles.ts";
import { isRouteAllowed } from "./routes.ts";

export interface AuthenticatorOptions {
  store: Store;
  cache: KeyCache<CachedKey>;
  masterKey: string | null;
  /** The user id the master key acts as (`general_settings.litellm_proxy_admin_name`). */
  adminUserId: string;
  now?: () => Date;
}

export type Authenticator = (presented: ExtractedKey, path: string) => Promise<Principal>;

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { store, cache, masterKey, adminUserId } = options;
  const now = options.now ?? (() => new Date());
  const isMasterKey = masterKey === null ? () => false : secretChecker(masterKey);

  const masterPrincipal: Principal = Object.freeze({
    via: "master_key",
    role: "proxy_admin",
    userId: adminUserId,
    token: null,
    key: null,
    team: null,
    user: null,
    budgets: NO_KEY_BUDGETS,
  });

  /**
   * Loads in flight, by token: concurrent misses on one token (a flood of one unknown
   * key, a burst from a client whose key just left the cache) share one store read.
   * A request joins only a load that started after the latest invalidation.
   */
  const inflight = new Map<string, { epoch: number; promise: Promise<CachedKey | null> }>();

  async function lookup(token: string): Promise<CachedKey | null> {
    const cached = cache.get(token);
    if (cached !== undefined) return cached;
    const epoch = cache.epoch;
    const joined = inflight.get(token);
    if (joined && joined.epoch === epoch) return joined.promise;
    const flight = { epoch, promise: load(token) };
    inflight.set(token, flight);
    try {
      const entry = await flight.promise;
      // A management write invalidated while we read: what we read may predate it, so serve it once but do not cache it.
      if (cache.epoch === epoch) cache.set(token, entry);
      return entry;
    } finally {
      if (inflight.get(token) === flight) inflight.delete(token);
    }
  }

  async function load(token: string): Promise<CachedKey | null> {
    const key = await store.getKey(token);
    if (key) return withContext(key, null);
    // An old hash inside a regenerate grace period authenticates as the key it became.
    const grace = await store.getDeprecatedKey(token, now());
    if (!grace) return null;
    const active = await store.getKey(grace.active_token);
    return active ? withContext(active, grace.revoke_at) : null;
  }

  async function withContext(key: NonNullable<Awaited<ReturnType<Store["getKey"]>>>, graceUntil: Date | null): Promise<CachedKey> {
    const [team, owner, membership, keyBudgetRow] = await Promise.all([
      key.team_id ? store.getTeam(key.team_id) : null,
      key.user_id ? store.getUser(key.user_id) : null,
      key.team_id && key.user_id ? store.getTeamMember(key.team_id, key.user_id) : null,
      key.budget_id ? store.getBudget(key.budget_id) : null,
    ]);
    const memberBudget = membership?.budget_id ? await store.getBudget(membership.budget_id) : null;
    return {
      key,
      team,
      ownerRole: isUserRole(owner?.user_role) ? owner.user_role : null,
      owner: owner ? { user_id: owner.user_id, models: owner.models, max_budget: owner.max_budget, soft_budget: owner.soft_budget, budget_reset_at: owner.budget_reset_at, rpm_limit: owner.rpm_limit, tpm_limit: owner.tpm_limit } : null,
      budgets: {
        keyBudgetRow: keyBudgetRow?.max_budget ?? null,
        keySoftBudget: keyBudgetRow?.soft_budget ?? null,
        member: memberBudget?.max_budget ?? null,
        memberRpm: memberBudget?.rpm_limit ?? null,
        memberTpm: memberBudget?.tpm_limit ?? null,
      },
      graceUntil,
    };
  }

  return async function authenticate(presented, path) {
    if (!presented.ok) {
      throw presented.reason === "missing"
        ? new ApiError("auth", "Authentication Error, No api key passed in.")
        : new ApiError("auth", "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix.");
    }
    const plaintext = presented.key;
    // One hash serves both checks: against the master key, and as the key's token.
    const digest = sha256(plaintext);
    if (isMasterKey(digest)) return masterPrincipal;
    if (!plaintext.startsWith(KEY_PREFIX)) {
      throw new ApiError("auth", `LiteLLM Virtual Key expected. Received=${maskKey(plaintext)}, expected to start with '${KEY_PREFIX}'.`);
    }

    const token = digest.toString("hex");
    const entry = await lookup(token);
    const at = now();
    if (entry === null || (entry.graceUntil !== null && entry.graceUntil <= at)) {
      throw new ApiError(
        "token_not_found",
        `Authentication Error, Invalid proxy server token passed. Received API Key = ${keyName(plaintext)}, Key Hash (Token) =${token}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
      );
    }

    const { key, team } = entry;
    if (key.blocked) throw new ApiError("auth", "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.");
    if (key.expires && key.expires < at) {
      throw new ApiError(
        "expired_key",
        `Authentication Error - Expired Key. Key Expiry time ${key.expires.toISOString()} and current time ${at.toISOString()}`,
        { param: keyName(plaintext) },
      );
    }
    // API.md §3.2: the route allow-list (step 19) is checked before the team (step 20).
    if (!isRouteAllowed(key.allowed_routes, path)) {
      throw new ApiError("forbidden", `Virtual key is not allowed to call this route. Only allowed to call routes: ${JSON.stringify(key.allowed_routes)}. Tried to call route: ${path}`);
    }
    if (team?.blocked) {
      throw new ApiError("auth", `Authentication Error, Team=${team.team_id} is blocked. Update via \`/team/unblock\` if you're an admin.`);
    }
    return {
      via: "virtual_key",
      role: entry.ownerRole ?? "internal_user",
      userId: key.user_id,
      token: key.token,
      key,
      team,
      user: entry.owner,
      budgets: entry.budgets,
    };
  };
}
