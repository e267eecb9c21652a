/**
 * How the info routes show spend not yet flushed to the DB (API.md Part 1, "Spend
 * visibility"): each function returns the USD to add to the stored `spend` of a row.
 * The ledger provides it; without one, the stored numbers are shown as they are.
 */
import { memberKey } from "../db/store/spend.ts";

export interface LiveSpend {
  key(token: string): number;
  user(userId: string): number;
  team(teamId: string): number;
  customer(customerId: string): number;
  /** Spend of `userId` inside `teamId` (the membership row's counter). */
  member(teamId: string, userId: string): number;
}

export const NO_LIVE_SPEND: LiveSpend = Object.freeze({
  key: () => 0,
  user: () => 0,
  team: () => 0,
  customer: () => 0,
  member: () => 0,
});

/** Live spend from the ledger's unflushed counters. */
export function ledgerLiveSpend(unflushed: (entity: "keys" | "users" | "teams" | "customers" | "members", id: string) => number): LiveSpend {
  return {
    key: (token) => unflushed("keys", token),
    user: (id) => unflushed("users", id),
    team: (id) => unflushed("teams", id),
    customer: (id) => unflushed("customers", id),
    member: (teamId, userId) => unflushed("members", memberKey(teamId, userId)),
  };
}
