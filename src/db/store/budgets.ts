import { eq, inArray } from "drizzle-orm";
import type { Database } from "../database.ts";
import type { BudgetRow, NewBudgetRow } from "../rows.ts";

/** Budget rows (LiteLLM_BudgetTable) that keys, members and customers link to by budget_id. */
export interface BudgetStore {
  insertBudget(row: NewBudgetRow): Promise<BudgetRow>;
  getBudget(budgetId: string): Promise<BudgetRow | null>;
  getBudgets(budgetIds: readonly string[]): Promise<BudgetRow[]>;
  updateBudget(budgetId: string, patch: Partial<NewBudgetRow>): Promise<BudgetRow | null>;
}

export function createBudgetStore(database: Database): BudgetStore {
  const { db, tables } = database;
  return {
    async insertBudget(row) {
      const [inserted] = await database.write((w) => w.insert(tables.budgets).values(row).returning());
      return inserted!;
    },
    async getBudget(budgetId) {
      const [row] = await db.select().from(tables.budgets).where(eq(tables.budgets.budget_id, budgetId)).limit(1);
      return row ?? null;
    },
    async getBudgets(budgetIds) {
      if (budgetIds.length === 0) return [];
      return db.select().from(tables.budgets).where(inArray(tables.budgets.budget_id, [...budgetIds]));
    },
    async updateBudget(budgetId, patch) {
      const [row] = await database.write((w) => w.update(tables.budgets).set(patch).where(eq(tables.budgets.budget_id, budgetId)).returning());
      return row ?? null;
    },
  };
}
