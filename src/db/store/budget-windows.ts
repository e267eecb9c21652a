import { type AnyColumn, and, eq, isNotNull, isNull, lte, or } from "drizzle-orm";
import type { Database } from "../database.ts";
import { memberKey } from "./spend.ts";

/** An entity (or budget row) whose budget window has ended. */
export interface DueReset {
  kind: "keys" | "users" | "teams" | "budgets";
  id: string;
  budget_duration: string;
}

/** What a reset zeroed: entities whose spend the budget guard must restart from 0. */
export interface ResetResult {
  keys: string[];
  users: string[];
  teams: string[];
  /** `team\0user` member keys and customer ids linked to the reset budget rows. */
  members: string[];
  customers: string[];
}

export interface BudgetWindowStore {
  /** Keys, users, teams and budget rows whose `budget_reset_at` has passed. */
  dueBudgetResets(now: Date): Promise<DueReset[]>;
  /**
   * Starts a new window: spend 0 and the next reset time, for an entity, or for every
   * membership and customer linked to a budget row. Only while still due, so two
   * instances sweeping at once reset a window once.
   */
  resetBudgetWindow(due: DueReset, now: Date, nextResetAt: Date, options?: { unlinkedCustomers?: boolean }): Promise<ResetResult>;
}

export function createBudgetWindowStore(database: Database): BudgetWindowStore {
  const { db, tables: t } = database;
  return {
    async dueBudgetResets(now) {
      const due = async (kind: DueReset["kind"], rows: Promise<{ id: string; budget_duration: string | null }[]>) =>
        (await rows).flatMap((r) => (r.budget_duration ? [{ kind, id: r.id, budget_duration: r.budget_duration }] : []));
      const where = (c: { budget_reset_at: AnyColumn }) => and(isNotNull(c.budget_reset_at), lte(c.budget_reset_at, now));
      const lists = await Promise.all([
        due("keys", db.select({ id: t.keys.token, budget_duration: t.keys.budget_duration }).from(t.keys).where(where(t.keys))),
        due("users", db.select({ id: t.users.user_id, budget_duration: t.users.budget_duration }).from(t.users).where(where(t.users))),
        due("teams", db.select({ id: t.teams.team_id, budget_duration: t.teams.budget_duration }).from(t.teams).where(where(t.teams))),
        due("budgets", db.select({ id: t.budgets.budget_id, budget_duration: t.budgets.budget_duration }).from(t.budgets).where(where(t.budgets))),
      ]);
      return lists.flat();
    },

    resetBudgetWindow(due, now, nextResetAt, options = {}) {
      return database.transaction(async (tx) => {
        const result: ResetResult = { keys: [], users: [], teams: [], members: [], customers: [] };
        const fresh = { spend: 0, budget_reset_at: nextResetAt };
        switch (due.kind) {
          case "keys":
            result.keys = (await tx.update(t.keys).set(fresh).where(and(eq(t.keys.token, due.id), lte(t.keys.budget_reset_at, now))).returning({ id: t.keys.token })).map((r) => r.id);
            break;
          case "users":
            result.users = (await tx.update(t.users).set(fresh).where(and(eq(t.users.user_id, due.id), lte(t.users.budget_reset_at, now))).returning({ id: t.users.user_id })).map((r) => r.id);
            break;
          case "teams":
            result.teams = (await tx.update(t.teams).set(fresh).where(and(eq(t.teams.team_id, due.id), lte(t.teams.budget_reset_at, now))).returning({ id: t.teams.team_id })).map((r) => r.id);
            break;
          case "budgets": {
            const moved = await tx
              .update(t.budgets)
              .set({ budget_reset_at: nextResetAt })
              .where(and(eq(t.budgets.budget_id, due.id), lte(t.budgets.budget_reset_at, now)))
              .returning({ id: t.budgets.budget_id });
            if (moved.length === 0) break;
            const members = await tx.update(t.teamMembers).set({ spend: 0 }).where(eq(t.teamMembers.budget_id, due.id)).returning({ team: t.teamMembers.team_id, user: t.teamMembers.user_id });
            // The default end-user budget binds every customer without a budget of its own.
            const linked = options.unlinkedCustomers ? or(eq(t.customers.budget_id, due.id), isNull(t.customers.budget_id)) : eq(t.customers.budget_id, due.id);
            const customers = await tx.update(t.customers).set({ spend: 0 }).where(linked).returning({ id: t.customers.user_id });
            result.members = members.map((m) => memberKey(m.team, m.user));
            result.customers = customers.map((c) => c.id);
            break;
          }
        }
        return result;
      });
    },
  };
}
