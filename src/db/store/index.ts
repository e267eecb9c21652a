/**
 * The Store: every read and write of tollgate's state goes through it. One
 * implementation serves both dialects (see ../database.ts); callers never know
 * which database is underneath.
 */
import type { Database } from "../database.ts";
import { type BudgetWindowStore, createBudgetWindowStore } from "./budget-windows.ts";
import { type BudgetStore, createBudgetStore } from "./budgets.ts";
import { type CustomerStore, createCustomerStore } from "./customers.ts";
import { createKeyStore, type KeyStore } from "./keys.ts";
import { createSpendStore, type SpendStore } from "./spend.ts";
import { createSpendReportStore, type SpendReportStore } from "./spend-reports.ts";
import { createTeamStore, type TeamStore } from "./teams.ts";
import { createUserStore, type UserStore } from "./users.ts";

export type { KeyFilter, KeySortField, Page } from "./keys.ts";
export type { NewMemberRecords, TeamFilter, TeamMemberWithEmail } from "./teams.ts";
export type { UserFilter, UserSortField } from "./users.ts";
export type { GroupOptions, SpendDimension, SpendGroup, SpendLogFilter } from "./spend-reports.ts";

export interface Store extends KeyStore, UserStore, TeamStore, CustomerStore, BudgetStore, BudgetWindowStore, SpendStore, SpendReportStore {
  readonly dialect: Database["dialect"];
  /** Tells other instances sharing this database; see Database.notify. */
  notify: Database["notify"];
  listen: Database["listen"];
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createStore(database: Database): Store {
  return {
    dialect: database.dialect,
    ...createKeyStore(database),
    ...createUserStore(database),
    ...createTeamStore(database),
    ...createCustomerStore(database),
    ...createBudgetStore(database),
    ...createBudgetWindowStore(database),
    ...createSpendStore(database),
    ...createSpendReportStore(database),
    notify: (channel, payload) => database.notify(channel, payload),
    listen: (channel, onMessage) => database.listen(channel, onMessage),
    ping: () => database.ping(),
    close: () => database.close(),
  };
}
