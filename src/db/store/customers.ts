import { asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../database.ts";
import type { CustomerRow, NewBudgetRow, NewCustomerRow } from "../rows.ts";

/** End users ("customers", LiteLLM_EndUserTable): the callers of a key, named per request. */
export interface CustomerStore {
  /** Inserts the customer, and first the budget row it links to when given, atomically. */
  insertCustomer(row: NewCustomerRow, budget?: NewBudgetRow): Promise<CustomerRow>;
  getCustomer(userId: string): Promise<CustomerRow | null>;
  getCustomers(userIds: readonly string[]): Promise<CustomerRow[]>;
  /** Applies `patch`, inserting `budget` first when given; null when no customer has that id. */
  updateCustomer(userId: string, patch: Partial<NewCustomerRow>, budget?: NewBudgetRow): Promise<CustomerRow | null>;
  /** Returns how many rows were deleted. */
  deleteCustomers(userIds: readonly string[]): Promise<number>;
  /** Every customer, by id. */
  listCustomers(): Promise<CustomerRow[]>;
  /** Sets `blocked` on these customers, creating the ones that do not exist yet. */
  setCustomersBlocked(userIds: readonly string[], blocked: boolean, at: Date): Promise<CustomerRow[]>;
}

export function createCustomerStore(database: Database): CustomerStore {
  const { db, tables } = database;
  const c = tables.customers;
  return {
    insertCustomer(row, budget) {
      return database.transaction(async (tx) => {
        if (budget) await tx.insert(tables.budgets).values(budget);
        const [inserted] = await tx.insert(c).values(row).returning();
        return inserted!;
      });
    },
    async getCustomer(userId) {
      const [row] = await db.select().from(c).where(eq(c.user_id, userId)).limit(1);
      return row ?? null;
    },
    async getCustomers(userIds) {
      if (userIds.length === 0) return [];
      return db.select().from(c).where(inArray(c.user_id, [...userIds]));
    },
    updateCustomer(userId, patch, budget) {
      return database.transaction(async (tx) => {
        if (budget) await tx.insert(tables.budgets).values(budget);
        const [row] = await tx.update(c).set(patch).where(eq(c.user_id, userId)).returning();
        return row ?? null;
      });
    },
    async deleteCustomers(userIds) {
      if (userIds.length === 0) return 0;
      const deleted = await database.write((w) => w.delete(c).where(inArray(c.user_id, [...userIds])).returning({ id: c.user_id }));
      return deleted.length;
    },
    listCustomers() {
      return db.select().from(c).orderBy(asc(c.created_at), asc(c.user_id));
    },
    async setCustomersBlocked(userIds, blocked, at) {
      const ids = [...new Set(userIds)];
      if (ids.length === 0) return [];
      const rows = ids.map((user_id) => ({ user_id, blocked, created_at: at, updated_at: at }));
      const written = await database.write((w) =>
        w
          .insert(c)
          .values(rows)
          .onConflictDoUpdate({ target: c.user_id, set: { blocked, updated_at: at } })
          .returning(),
      );
      const byId = new Map(written.map((r) => [r.user_id, r]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
  };
}
