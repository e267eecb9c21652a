import { and, asc, count, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Database } from "../database.ts";
import type { KeyRow, NewBudgetRow, NewKeyRow, NewTeamMemberRow, NewUserRow, UserRow } from "../rows.ts";
import { archiveDeletedKeys, escapeLike, type Page } from "./keys.ts";

export interface UserFilter {
  role?: string;
  user_ids?: readonly string[];
  sso_user_ids?: readonly string[];
  /** Case-insensitive substring of the email. */
  email_search?: string;
  /** Users that belong to this team. */
  team_id?: string;
}

export interface NewUserRecords {
  user: NewUserRow;
  key?: NewKeyRow | null;
  budgets?: NewBudgetRow[];
  memberships?: NewTeamMemberRow[];
}

export type UserSortField = "user_id" | "user_email" | "created_at" | "spend" | "user_alias" | "user_role";

export interface UserStore {
  /** Creates the user with its first key, team memberships and their budget rows, in one transaction. */
  insertUser(records: NewUserRecords): Promise<{ user: UserRow; key: KeyRow | null }>;
  getUser(userId: string): Promise<UserRow | null>;
  getUserByEmail(email: string): Promise<UserRow | null>;
  updateUser(userId: string, patch: Partial<NewUserRow>): Promise<UserRow | null>;
  /** Deletes the users with their keys (archived) and team memberships, atomically. */
  deleteUsers(userIds: readonly string[], deletedBy: string | null): Promise<number>;
  listUsers(
    filter: UserFilter,
    page: Page,
    sort: { by: UserSortField; order: "asc" | "desc" },
  ): Promise<{ rows: (UserRow & { key_count: number })[]; total: number }>;
}

export function createUserStore(database: Database): UserStore {
  const { db, tables } = database;
  const u = tables.users;

  const where = (f: UserFilter): SQL | undefined => {
    const parts: SQL[] = [];
    if (f.role !== undefined) parts.push(eq(u.user_role, f.role));
    if (f.user_ids !== undefined) parts.push(inArray(u.user_id, [...f.user_ids]));
    if (f.sso_user_ids !== undefined) parts.push(inArray(u.sso_user_id, [...f.sso_user_ids]));
    if (f.email_search !== undefined) parts.push(sql`lower(${u.user_email}) like ${`%${escapeLike(f.email_search.toLowerCase())}%`} escape '\\'`);
    if (f.team_id !== undefined) {
      parts.push(
        inArray(u.user_id, db.select({ id: tables.teamMembers.user_id }).from(tables.teamMembers).where(eq(tables.teamMembers.team_id, f.team_id))),
      );
    }
    return and(...parts);
  };

  return {
    insertUser({ user, key, budgets = [], memberships = [] }) {
      return database.transaction(async (tx) => {
        const [inserted] = await tx.insert(u).values(user).returning();
        if (budgets.length > 0) await tx.insert(tables.budgets).values(budgets);
        if (memberships.length > 0) await tx.insert(tables.teamMembers).values(memberships);
        const [insertedKey] = key ? await tx.insert(tables.keys).values(key).returning() : [];
        return { user: inserted!, key: insertedKey ?? null };
      });
    },
    async getUser(userId) {
      const [row] = await db.select().from(u).where(eq(u.user_id, userId)).limit(1);
      return row ?? null;
    },
    async getUserByEmail(email) {
      const [row] = await db
        .select()
        .from(u)
        .where(sql`lower(${u.user_email}) = ${email.toLowerCase()}`)
        .limit(1);
      return row ?? null;
    },
    async updateUser(userId, patch) {
      const [row] = await database.write((w) => w.update(u).set(patch).where(eq(u.user_id, userId)).returning());
      return row ?? null;
    },
    deleteUsers(userIds, deletedBy) {
      const ids = [...userIds];
      return database.transaction(async (tx) => {
        const keys = await tx.delete(tables.keys).where(inArray(tables.keys.user_id, ids)).returning();
        await archiveDeletedKeys(tx, tables, keys, deletedBy);
        await tx.delete(tables.teamMembers).where(inArray(tables.teamMembers.user_id, ids));
        const deleted = await tx.delete(u).where(inArray(u.user_id, ids)).returning({ id: u.user_id });
        return deleted.length;
      });
    },
    async listUsers(filter, page, sort) {
      const cond = where(filter);
      const column = u[sort.by];
      // Qualified by hand: drizzle renders columns of a single-table select unqualified, and an
      // unqualified "user_id" inside the subquery would compare keys.user_id with itself.
      const keyCount = sql<number>`(select count(*) from ${tables.keys} where ${tables.keys}.${sql.identifier("user_id")} = ${u}.${sql.identifier("user_id")})`;
      const [rows, [total]] = await Promise.all([
        db
          .select({ user: u, key_count: keyCount })
          .from(u)
          .where(cond)
          .orderBy(sort.order === "asc" ? asc(column) : desc(column), asc(u.user_id))
          .limit(page.limit)
          .offset(page.offset),
        db.select({ n: count() }).from(u).where(cond),
      ]);
      return { rows: rows.map((r) => ({ ...r.user, key_count: Number(r.key_count) })), total: total?.n ?? 0 };
    },
  };
}
