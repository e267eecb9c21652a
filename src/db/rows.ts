/** Row types, inferred once from the schema so every layer agrees on them. */
import type * as schema from "./schema.pg.ts";

export type KeyRow = typeof schema.keys.$inferSelect;
export type NewKeyRow = typeof schema.keys.$inferInsert;
export type UserRow = typeof schema.users.$inferSelect;
export type NewUserRow = typeof schema.users.$inferInsert;
export type TeamRow = typeof schema.teams.$inferSelect;
export type NewTeamRow = typeof schema.teams.$inferInsert;
export type TeamMemberRow = typeof schema.teamMembers.$inferSelect;
export type NewTeamMemberRow = typeof schema.teamMembers.$inferInsert;
export type CustomerRow = typeof schema.customers.$inferSelect;
export type NewCustomerRow = typeof schema.customers.$inferInsert;
export type BudgetRow = typeof schema.budgets.$inferSelect;
export type NewBudgetRow = typeof schema.budgets.$inferInsert;
export type DeprecatedKeyRow = typeof schema.deprecatedKeys.$inferSelect;
export type SpendLogRow = typeof schema.spendLogs.$inferSelect;
export type NewSpendLogRow = typeof schema.spendLogs.$inferInsert;
