/**
 * Virtual key management (API.md §1.2): the logic behind /key/*, free of HTTP.
 * Every write invalidates the affected cache entries before it returns.
 */
import type { AuthInvalidator } from "../../auth/invalidation.ts";
import { generateKey, hashKey, KEY_PREFIX, keyName, toToken } from "../../auth/key-format.ts";
import type { Principal } from "../../auth/principal.ts";
import type { LiveSpend } from "../live-spend.ts";
import { canReadAll, isAdmin } from "../../auth/roles.ts";
import { isUniqueViolation } from "../../db/database.ts";
import type { BudgetRow, KeyRow, NewBudgetRow, NewKeyRow } from "../../db/rows.ts";
import type { Store } from "../../db/store/index.ts";
import { ApiError, badRequest, forbidden, notFound } from "../../errors.ts";
import { HookTimeoutError, withHookTimeout } from "../../hooks/load.ts";
import type { CustomKeyGenerate, KeyGenerateDecision, OperatorHooks } from "../../hooks/types.ts";
import { addDuration } from "../../util/duration.ts";
import { ownsKey, requireAdmin, requireWriter } from "../access.ts";
import { durationField, keyColumns } from "./fields.ts";
import type { KeyGeneratePolicy } from "./generate-policy.ts";
import type { GenerateKeyRequest, RegenerateKeyRequest, UpdateKeyRequest } from "./model.ts";
import { presentKey, presentKeyInfo } from "./present.ts";
import { newBudgetRow } from "../budgets/fields.ts";

export interface KeyServiceOptions {
  store: Store;
  invalidate: AuthInvalidator;
  /** Adds spend not yet flushed to the database. */
  liveSpend: LiveSpend;
  /** Config defaults, upper bounds and who may mint keys. */
  policy: KeyGeneratePolicy;
  /** `general_settings.custom_key_generate` (may veto a key before anything is stored) and its deadline. */
  hooks: OperatorHooks;
  /** IANA zone that budget resets align to (`litellm_settings.timezone`). */
  timeZone: string;
  /** Default regenerate grace period (`LITELLM_KEY_ROTATION_GRACE_PERIOD`). */
  defaultGracePeriod: string | null;
  now?: () => Date;
}

const EMPTY_KEY_COLUMNS = {
  models: [],
  aliases: {},
  config: {},
  permissions: {},
  metadata: {},
  model_max_budget: {},
  model_spend: {},
  allowed_routes: [],
  allowed_cache_controls: [],
  extra: {},
} satisfies Partial<NewKeyRow>;

export function assertCustomKey(field: string, key: string): void {
  if (!key.startsWith(KEY_PREFIX)) {
    throw badRequest(`Invalid ${field}. LiteLLM Virtual Key must start with '${KEY_PREFIX}'.`, field);
  }
}

export type KeyService = ReturnType<typeof createKeyService>;

/** Runs the operator's veto: refusal → 403 with its message; a failure or a hang → a clear 500. */
async function askCustomKeyGenerate(hook: CustomKeyGenerate, req: GenerateKeyRequest, timeoutMs: number): Promise<void> {
  let verdict: KeyGenerateDecision;
  try {
    verdict = await withHookTimeout("custom_key_generate", () => hook(structuredClone(req)), timeoutMs);
  } catch (err) {
    throw new ApiError("internal", err instanceof HookTimeoutError ? err.message : `custom_key_generate failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (verdict?.decision !== true) throw forbidden(verdict?.message ?? "Key generation was refused by custom_key_generate.");
}

export function createKeyService(options: KeyServiceOptions) {
  const { store, invalidate, timeZone } = options;
  const live = (row: KeyRow): KeyRow => ({ ...row, spend: row.spend + options.liveSpend.key(row.token) });
  const now = options.now ?? (() => new Date());

  async function budgetOf(row: KeyRow): Promise<BudgetRow | null> {
    return row.budget_id ? store.getBudget(row.budget_id) : null;
  }

  async function requireKey(keyOrHash: string): Promise<KeyRow> {
    const row = await store.getKey(toToken(keyOrHash));
    if (!row) throw notFound(`Key not found: ${keyOrHash.startsWith(KEY_PREFIX) ? keyName(keyOrHash) : keyOrHash}`, "key");
    return row;
  }

  /** May this caller see the key? Admins and viewers see all; others their own and their teams'. */
  async function canView(principal: Principal, row: KeyRow): Promise<boolean> {
    if (canReadAll(principal.role) || ownsKey(principal, row)) return true;
    return row.team_id !== null && principal.userId !== null && (await store.getTeamMember(row.team_id, principal.userId)) !== null;
  }

  function requireOwnership(principal: Principal, row: KeyRow, action: string): void {
    if (!isAdmin(principal.role) && !ownsKey(principal, row)) throw forbidden(`You are not authorized to ${action} this key`);
  }

  /** Rejects references to rows that do not exist, and team keys for non-members. */
  async function checkReferences(principal: Principal, req: { team_id?: string | null; budget_id?: string | null; soft_budget?: number | null }) {
    if (req.soft_budget != null && req.budget_id) throw badRequest("Pass soft_budget or budget_id, not both: soft_budget creates the key's own budget row.", "soft_budget");
    if (req.budget_id && !(await store.getBudget(req.budget_id))) throw badRequest(`Budget not found: budget_id=${req.budget_id}`, "budget_id");
    if (!req.team_id) return;
    if (!(await store.getTeam(req.team_id))) throw badRequest(`Team not found: team_id=${req.team_id}`, "team_id");
    if (!isAdmin(principal.role)) {
      const member = principal.userId ? await store.getTeamMember(req.team_id, principal.userId) : null;
      if (!member) throw badRequest(`User=${principal.userId ?? "(none)"} is not a member of team=${req.team_id}, so cannot manage its keys.`, "team_id");
    }
  }

  async function assertAliasFree(alias: string | null | undefined, exceptToken?: string): Promise<void> {
    if (!alias) return;
    const [holder] = await store.getKeysByAlias([alias]);
    if (holder && holder.token !== exceptToken) throw aliasTaken(alias);
  }

  const aliasTaken = (alias: string) => badRequest(`Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`, "key_alias");

  function newBudget(softBudget: number, at: Date, by: string | null): NewBudgetRow {
    return newBudgetRow({ soft_budget: softBudget }, at, by);
  }

  return {
    /** Builds the row for a new key; /user/new uses it for the user's first key. */
    async prepareKey(principal: Principal, req: GenerateKeyRequest) {
      if (req.key != null) assertCustomKey("key", req.key);
      const at = now();
      const plaintext = req.key ?? generateKey();
      const columns = keyColumns(req, { now: at, timeZone });
      const budget = req.soft_budget != null ? newBudget(req.soft_budget, at, principal.userId) : null;
      const row: NewKeyRow = {
        ...EMPTY_KEY_COLUMNS,
        ...columns,
        token: hashKey(plaintext),
        key_name: keyName(plaintext),
        budget_id: budget?.budget_id ?? columns.budget_id ?? null,
        created_at: at,
        updated_at: at,
        created_by: principal.userId,
        updated_by: principal.userId,
      };
      return { plaintext, row, budget };
    },

    async generate(principal: Principal, req: GenerateKeyRequest) {
      requireWriter(principal);
      if (!isAdmin(principal.role)) {
        if (principal.userId === null) throw forbidden("Only keys that belong to a user can generate keys.");
        if (req.user_id != null && req.user_id !== principal.userId) {
          throw forbidden(`User can only create keys for themselves. Got user_id=${req.user_id}, Your ID=${principal.userId}`);
        }
        req = { ...req, user_id: principal.userId };
      }
      const membership = req.team_id && principal.userId ? await store.getTeamMember(req.team_id, principal.userId) : null;
      options.policy.checkCaller(principal, req, membership);
      req = options.policy.apply(req);
      if (options.hooks.customKeyGenerate) await askCustomKeyGenerate(options.hooks.customKeyGenerate, req, options.hooks.timeoutMs);
      await checkReferences(principal, req);
      await assertAliasFree(req.key_alias);
      const { plaintext, row, budget } = await this.prepareKey(principal, req);
      if (await store.getKey(row.token)) throw badRequest("A key with this value already exists.", "key");
      let stored: KeyRow;
      try {
        stored = await store.insertKey(row, budget ?? undefined);
      } catch (err) {
        if (isUniqueViolation(err)) throw req.key_alias ? aliasTaken(req.key_alias) : badRequest("A key with this value already exists.", "key");
        throw err;
      }
      // A custom key presented before it existed is cached as unknown; forget that now.
      invalidate.keys([stored.token]);
      return { ...presentKey(stored, await budgetOf(stored)), key: plaintext, duration: req.duration ?? null };
    },

    async update(principal: Principal, req: UpdateKeyRequest) {
      requireWriter(principal);
      const current = await requireKey(req.key);
      requireOwnership(principal, current, "update");
      if (!isAdmin(principal.role) && req.user_id !== undefined && req.user_id !== principal.userId) {
        throw forbidden("You can not reassign a key to another user.");
      }
      if ((req.temp_budget_increase == null) !== (req.temp_budget_expiry == null)) {
        throw badRequest("temp_budget_increase and temp_budget_expiry must be set together.", "temp_budget_increase");
      }
      if (req.temp_budget_expiry != null && Number.isNaN(Date.parse(req.temp_budget_expiry))) {
        throw badRequest(`temp_budget_expiry is not a date: ${req.temp_budget_expiry}`, "temp_budget_expiry");
      }
      if (req.team_id !== undefined && req.team_id !== current.team_id) await checkReferences(principal, { team_id: req.team_id });
      await checkReferences(principal, { budget_id: req.budget_id });
      await assertAliasFree(req.key_alias, current.token);

      const at = now();
      const patch: Partial<NewKeyRow> = {
        ...keyColumns(req, { now: at, timeZone, current: { metadata: current.metadata, extra: current.extra } }),
        updated_at: at,
        updated_by: principal.userId,
      };
      if (req.soft_budget !== undefined) {
        if (current.budget_id) await store.updateBudget(current.budget_id, { soft_budget: req.soft_budget, updated_at: at, updated_by: principal.userId });
        else if (req.soft_budget !== null) patch.budget_id = (await store.insertBudget(newBudget(req.soft_budget, at, principal.userId))).budget_id;
      }
      let row: KeyRow | null;
      try {
        row = await store.updateKey(current.token, patch);
      } catch (err) {
        if (isUniqueViolation(err) && req.key_alias) throw aliasTaken(req.key_alias);
        throw err;
      }
      if (!row) throw notFound("Key not found", "key");
      invalidate.keys([row.token]);
      return { key: req.key, ...presentKey(row, await budgetOf(row)) };
    },

    async delete(principal: Principal, req: { keys?: string[] | null; key_aliases?: string[] | null }) {
      requireWriter(principal);
      const byKey = req.keys && req.keys.length > 0;
      if (!byKey && !(req.key_aliases && req.key_aliases.length > 0)) throw badRequest("Pass a non-empty 'keys' or 'key_aliases' list.", "keys");
      const requested = new Set(byKey ? req.keys!.map(toToken) : req.key_aliases!);
      const rows = byKey ? await store.getKeys([...requested]) : await store.getKeysByAlias([...requested]);
      if (rows.length === 0) throw notFound("No keys found", "keys");
      if (rows.length !== requested.size) {
        throw badRequest(`Not all keys passed in were deleted: ${requested.size - rows.length} of ${requested.size} not found. Nothing was deleted.`, "keys");
      }
      for (const row of rows) requireOwnership(principal, row, "delete");
      const tokens = rows.map((r) => r.token);
      await store.deleteKeys(tokens, principal.userId);
      invalidate.keys(tokens);
      return { deleted_keys: byKey ? req.keys! : req.key_aliases! };
    },

    async info(principal: Principal, keyParam: string | undefined) {
      const token = keyParam !== undefined ? toToken(keyParam) : principal.token;
      if (token === null) throw badRequest("Pass ?key=<key or hash>: the master key has no key record of its own.", "key");
      const row = await store.getKey(token);
      if (!row) throw notFound("Key not found in database", "key");
      if (!(await canView(principal, row))) throw forbidden("You are not allowed to view this key.");
      return { key: keyParam ?? token, info: presentKeyInfo(live(row), await budgetOf(row)) };
    },

    async infoMany(principal: Principal, keys: string[]) {
      if (!canReadAll(principal.role)) throw forbidden(`Only proxy admins can call /v2/key/info. Your role=${principal.role}`);
      const rows = await store.getKeys(keys.map(toToken));
      const budgets = new Map((await store.getBudgets(rows.flatMap((r) => (r.budget_id ? [r.budget_id] : [])))).map((b) => [b.budget_id, b]));
      return { key: keys, info: rows.map((r) => presentKeyInfo(live(r), (r.budget_id && budgets.get(r.budget_id)) || null)) };
    },

    async regenerate(principal: Principal, keyParam: string | undefined, req: RegenerateKeyRequest) {
      requireWriter(principal);
      const keyRef = keyParam ?? req.key;
      if (!keyRef) throw badRequest("Pass the key to regenerate in the path or as 'key'.", "key");
      const current = await requireKey(keyRef);
      requireOwnership(principal, current, "regenerate");
      if (req.new_master_key != null) {
        throw badRequest("Rotating the master key through the API is not supported: change general_settings.master_key and restart.", "new_master_key");
      }
      if (req.new_key != null) assertCustomKey("new_key", req.new_key);
      await assertAliasFree(req.key_alias, current.token);
      const grace = durationField("grace_period", req.grace_period ?? options.defaultGracePeriod);

      const at = now();
      const plaintext = req.new_key ?? generateKey();
      const newToken = hashKey(plaintext);
      if (await store.getKey(newToken)) throw badRequest("A key with this value already exists.", "new_key");
      const patch: Partial<NewKeyRow> = {
        ...keyColumns(req, { now: at, timeZone, current: { metadata: current.metadata, extra: current.extra } }),
        key_name: keyName(plaintext),
        rotation_count: current.rotation_count + 1,
        last_rotation_at: at,
        updated_at: at,
        updated_by: principal.userId,
      };
      const row = await store.rotateKey(current.token, newToken, patch, grace ? addDuration(at, grace) : null);
      if (!row) throw notFound("Key not found", "key");
      invalidate.keys([current.token, newToken]);
      return { ...presentKey(row, await budgetOf(row)), key: plaintext };
    },

    async resetSpend(principal: Principal, keyParam: string, resetTo: number) {
      requireAdmin(principal, "/key/{key}/reset_spend");
      const current = await requireKey(keyParam);
      if (!Number.isFinite(resetTo) || resetTo < 0) throw badRequest(`reset_to must be a non-negative number, got ${resetTo}`, "reset_to");
      if (resetTo > current.spend) throw badRequest(`reset_to (${resetTo}) must not be above the current spend (${current.spend}).`, "reset_to");
      if (current.max_budget !== null && resetTo > current.max_budget) {
        throw badRequest(`reset_to (${resetTo}) must not be above max_budget (${current.max_budget}).`, "reset_to");
      }
      const row = await store.updateKey(current.token, { spend: resetTo, updated_at: now(), updated_by: principal.userId });
      if (!row) throw notFound("Key not found", "key");
      invalidate.keys([row.token]);
      return { key_hash: row.token, spend: row.spend, previous_spend: current.spend, max_budget: row.max_budget, budget_reset_at: row.budget_reset_at };
    },

    async setBlocked(principal: Principal, keyRef: string, blocked: boolean) {
      requireAdmin(principal, blocked ? "/key/block" : "/key/unblock");
      if (!keyRef.startsWith(KEY_PREFIX) && !/^[0-9a-f]{64}$/.test(keyRef)) throw badRequest("Invalid key format.", "key");
      const current = await requireKey(keyRef);
      const row = await store.updateKey(current.token, { blocked, updated_at: now(), updated_by: principal.userId });
      if (!row) throw notFound("Key not found", "key");
      invalidate.keys([row.token]);
      return presentKey(row, await budgetOf(row));
    },

    canView,
  };
}
