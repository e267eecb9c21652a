import { count, eq, inArray } from "drizzle-orm";
import type { Database } from "../database.ts";
import type { BudgetRow, NewBudgetRow } from "../rows.ts";

/** Budget rows (LiteLLM_BudgetTable) that keys, members and customers link to by budget_id. */
export interface BudgetStore {
  insertBudget(row: NewBudgetRow): Promise<BudgetRow>;
  getBudget(budgetId: string): Promise<BudgetRow | null>;
  getBudgets(budgetIds: readonly string[]): Promise<BudgetRow[]>;
  updateBudget(budgetId: string, patch: Partial<NewBudgetRow>): Promise<BudgetRow | null>;
  /** Every budget row, oldest first. */
  listBudgets(): Promise<BudgetRow[]>;
  /** Deletes the row and returns it; null when no budget has that id. */
  deleteBudget(budgetId: string): Promise<BudgetRow | null>;
  /** How many keys, customers, team memberships and teams (member budget) link to the budget. */
  countBudgetLinks(budgetId: string): Promise<number>;
}

export function createBudgetStore(database: Database): BudgetStore {
  const { db, tables } = database;
  const b = tables.budgets;
  return {
    async insertBudget(row) {
      const [inserted] = await database.write((w) => w.insert(b).values(row).returning());
      return inserted!;
    },
    async getBudget(budgetId) {
      const [row] = await db.select().from(b).where(eq(b.budget_id, budgetId)).limit(1);
      return row ?? null;
    },
    async getBudgets(budgetIds) {
      if (budgetIds.length === 0) return [];
      return db.select().from(b).where(inArray(b.budget_id, [...budgetIds]));
    },
    async updateBudget(budgetId, patch) {
      const [row] = await database.write((w) => w.update(b).set(patch).where(eq(b.budget_id, budgetId)).returning());
      return row ?? null;
    },
    listBudgets() {
      return db.select().from(b).orderBy(b.created_at, b.budget_id);
    },
    async deleteBudget(budgetId) {
      const [row] = await database.write((w) => w.delete(b).where(eq(b.budget_id, budgetId)).returning());
      return row ?? null;
    },
    async countBudgetLinks(budgetId) {
      const counts = await Promise.all([
        db.select({ n: count() }).from(tables.keys).where(eq(tables.keys.budget_id, budgetId)),
        db.select({ n: count() }).from(tables.customers).where(eq(tables.customers.budget_id, budgetId)),
        db.select({ n: count() }).from(tables.teamMembers).where(eq(tables.teamMembers.budget_id, budgetId)),
        db.select({ n: count() }).from(tables.teams).where(eq(tables.teams.team_member_budget_id, budgetId)),
      ]);
      return counts.reduce((sum, [row]) => sum + Number(row?.n ?? 0), 0);
    },
  };
}
