import { and, asc, count, desc, eq, inArray, isNotNull, or, type SQL, sql } from "drizzle-orm";
import type { Database, Db, Tables } from "../database.ts";
import type { JsonObject } from "../json.ts";
import type { DeprecatedKeyRow, KeyRow, NewBudgetRow, NewKeyRow } from "../rows.ts";

export interface KeyFilter {
  user_id?: string;
  team_id?: string;
  organization_id?: string;
  token?: string;
  key_alias?: string;
  /** Case-insensitive substring of the alias. */
  alias_search?: string;
  /** Keys of this user, or of any of these teams (a non-admin's view with team keys). */
  user_or_teams?: { user_id: string; team_ids: readonly string[] };
}

export type DeletedKey = JsonObject & { token: string; deleted_at: string; deleted_by: string | null };

export type KeySortField = "spend" | "max_budget" | "created_at" | "updated_at" | "token" | "key_alias";

export interface Page {
  offset: number;
  limit: number;
}

export interface KeyStore {
  /** Inserts the key, and first the budget row it links to when given, atomically. */
  insertKey(row: NewKeyRow, budget?: NewBudgetRow): Promise<KeyRow>;
  getKey(token: string): Promise<KeyRow | null>;
  getKeys(tokens: readonly string[]): Promise<KeyRow[]>;
  getKeysByAlias(aliases: readonly string[]): Promise<KeyRow[]>;
  /** Applies `patch` and returns the new row, or null when no key has that token. */
  updateKey(token: string, patch: Partial<NewKeyRow>): Promise<KeyRow | null>;
  /** Archives the rows in deleted_keys and deletes them, atomically. */
  deleteKeys(tokens: readonly string[], deletedBy: string | null): Promise<KeyRow[]>;
  listKeys(filter: KeyFilter, page: Page, sort: { by: KeySortField; order: "asc" | "desc" }): Promise<{ rows: KeyRow[]; total: number }>;
  listKeyAliases(filter: KeyFilter, page: Page): Promise<{ aliases: string[]; total: number }>;
  /** Deleted keys (newest first) as archived rows, with when and by whom. */
  listDeletedKeys(filter: KeyFilter, page: Page): Promise<{ rows: DeletedKey[]; total: number }>;
  /**
   * Moves a key to a new token (hash) and applies `patch`, in one transaction. With
   * `graceUntil`, the old token keeps authenticating as the new key until then.
   */
  rotateKey(oldToken: string, newToken: string, patch: Partial<NewKeyRow>, graceUntil: Date | null): Promise<KeyRow | null>;
  /** A still-valid grace-period entry for an old token, if any. */
  getDeprecatedKey(token: string, now: Date): Promise<DeprecatedKeyRow | null>;
}

export function createKeyStore(database: Database): KeyStore {
  const { db, tables } = database;
  const k = tables.keys;

  const where = (f: KeyFilter): SQL | undefined => {
    const parts: SQL[] = [];
    if (f.user_id !== undefined) parts.push(eq(k.user_id, f.user_id));
    if (f.team_id !== undefined) parts.push(eq(k.team_id, f.team_id));
    if (f.organization_id !== undefined) parts.push(eq(k.organization_id, f.organization_id));
    if (f.token !== undefined) parts.push(eq(k.token, f.token));
    if (f.key_alias !== undefined) parts.push(eq(k.key_alias, f.key_alias));
    if (f.alias_search !== undefined) {
      parts.push(sql`lower(${k.key_alias}) like ${`%${escapeLike(f.alias_search.toLowerCase())}%`} escape '\\'`);
    }
    if (f.user_or_teams) {
      const { user_id, team_ids } = f.user_or_teams;
      parts.push(team_ids.length > 0 ? or(eq(k.user_id, user_id), inArray(k.team_id, [...team_ids]))! : eq(k.user_id, user_id));
    }
    return and(...parts);
  };

  // The authentication miss path and every key route look keys up by token:
  // prepared once, so no request pays for building and preparing the SQL again.
  const getKeyByToken = db.select().from(k).where(eq(k.token, sql.placeholder("token"))).limit(1).prepare("tollgate_get_key");

  return {
    async insertKey(row, budget) {
      if (!budget) {
        const [inserted] = await database.write((w) => w.insert(k).values(row).returning());
        return inserted!;
      }
      return database.transaction(async (tx) => {
        await tx.insert(tables.budgets).values(budget);
        const [inserted] = await tx.insert(k).values(row).returning();
        return inserted!;
      });
    },
    async getKey(token) {
      const [row] = await getKeyByToken.execute({ token });
      return row ?? null;
    },
    async getKeys(tokens) {
      if (tokens.length === 0) return [];
      return db.select().from(k).where(inArray(k.token, [...tokens]));
    },
    async getKeysByAlias(aliases) {
      if (aliases.length === 0) return [];
      return db.select().from(k).where(inArray(k.key_alias, [...aliases]));
    },
    async updateKey(token, patch) {
      const [row] = await database.write((w) => w.update(k).set(patch).where(eq(k.token, token)).returning());
      return row ?? null;
    },
    deleteKeys(tokens, deletedBy) {
      if (tokens.length === 0) return Promise.resolve([]);
      return database.transaction(async (tx) => {
        const rows = await tx.delete(k).where(inArray(k.token, [...tokens])).returning();
        await archiveDeletedKeys(tx, tables, rows, deletedBy);
        return rows;
      });
    },
    async listKeys(filter, page, sort) {
      const cond = where(filter);
      const column = k[sort.by];
      const order = sort.order === "asc" ? asc(column) : desc(column);
      const [rows, [total]] = await Promise.all([
        db.select().from(k).where(cond).orderBy(order, asc(k.token)).limit(page.limit).offset(page.offset),
        db.select({ n: count() }).from(k).where(cond),
      ]);
      return { rows, total: total?.n ?? 0 };
    },
    async listKeyAliases(filter, page) {
      const cond = and(where(filter), isNotNull(k.key_alias));
      const [rows, [total]] = await Promise.all([
        db.selectDistinct({ alias: k.key_alias }).from(k).where(cond).orderBy(asc(k.key_alias)).limit(page.limit).offset(page.offset),
        db.select({ n: sql<number>`count(distinct ${k.key_alias})` }).from(k).where(cond),
      ]);
      return { aliases: rows.map((r) => r.alias ?? ""), total: Number(total?.n ?? 0) };
    },
    async listDeletedKeys(filter, page) {
      const d = tables.deletedKeys;
      const parts: SQL[] = [];
      if (filter.user_id !== undefined) parts.push(eq(d.user_id, filter.user_id));
      if (filter.team_id !== undefined) parts.push(eq(d.team_id, filter.team_id));
      if (filter.token !== undefined) parts.push(eq(d.token, filter.token));
      if (filter.key_alias !== undefined) parts.push(eq(d.key_alias, filter.key_alias));
      if (filter.user_or_teams) {
        const { user_id, team_ids } = filter.user_or_teams;
        parts.push(team_ids.length > 0 ? or(eq(d.user_id, user_id), inArray(d.team_id, [...team_ids]))! : eq(d.user_id, user_id));
      }
      const cond = and(...parts);
      const [rows, [total]] = await Promise.all([
        db.select().from(d).where(cond).orderBy(desc(d.deleted_at)).limit(page.limit).offset(page.offset),
        db.select({ n: count() }).from(d).where(cond),
      ]);
      return {
        rows: rows.map((r) => ({ ...r.row, token: r.token, deleted_at: r.deleted_at.toISOString(), deleted_by: r.deleted_by })),
        total: total?.n ?? 0,
      };
    },
    rotateKey(oldToken, newToken, patch, graceUntil) {
      return database.transaction(async (tx) => {
        const [row] = await tx
          .update(k)
          .set({ ...patch, token: newToken })
          .where(eq(k.token, oldToken))
          .returning();
        if (!row) return null;
        // Earlier grace entries pointing at the old token now follow the key to its new one.
        await tx.update(tables.deprecatedKeys).set({ active_token: newToken }).where(eq(tables.deprecatedKeys.active_token, oldToken));
        if (graceUntil) {
          await tx.insert(tables.deprecatedKeys).values({ token: oldToken, active_token: newToken, revoke_at: graceUntil, created_at: new Date() });
        }
        return row;
      });
    },
    async getDeprecatedKey(token, now) {
      const [row] = await db.select().from(tables.deprecatedKeys).where(eq(tables.deprecatedKeys.token, token)).limit(1);
      return row && row.revoke_at > now ? row : null;
    },
  };
}

/**
 * Copies deleted key rows into deleted_keys (LiteLLM keeps them for audit) and drops
 * their grace-period aliases. Call inside the transaction that deleted them.
 */
export async function archiveDeletedKeys(tx: Db, tables: Tables, rows: readonly KeyRow[], deletedBy: string | null): Promise<void> {
  if (rows.length === 0) return;
  const deleted_at = new Date();
  await tx.insert(tables.deletedKeys).values(
    rows.map((r) => ({
      token: r.token,
      key_alias: r.key_alias,
      user_id: r.user_id,
      team_id: r.team_id,
      spend: r.spend,
      row: JSON.parse(JSON.stringify(r)) as JsonObject,
      deleted_at,
      deleted_by: deletedBy,
    })),
  );
  const tokens = rows.map((r) => r.token);
  await tx.delete(tables.deprecatedKeys).where(inArray(tables.deprecatedKeys.active_token, tokens));
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
