import { and, asc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import type { Database } from "../database.ts";
import type { KeyRow, NewBudgetRow, NewTeamMemberRow, NewTeamRow, NewUserRow, TeamMemberRow, TeamRow } from "../rows.ts";
import { archiveDeletedKeys } from "./keys.ts";

export interface TeamFilter {
  /** Teams this user is a member of. */
  user_id?: string;
  /** Teams of this organization; `null` = teams that belong to none. */
  organization_id?: string | null;
}

/**
 * What creating a team or adding members writes, in one transaction: users created
 * for members that did not exist yet, budget rows, and the memberships linking to them.
 */
export interface NewMemberRecords {
  users?: NewUserRow[];
  budgets?: NewBudgetRow[];
  memberships: NewTeamMemberRow[];
}

/** A membership with its user's email (null when the user row is gone). */
export type TeamMemberWithEmail = TeamMemberRow & { user_email: string | null };

export interface TeamStore {
  getTeam(teamId: string): Promise<TeamRow | null>;
  getTeams(teamIds: readonly string[]): Promise<TeamRow[]>;
  getTeamMember(teamId: string, userId: string): Promise<TeamMemberRow | null>;
  getMembershipsOfUser(userId: string): Promise<TeamMemberRow[]>;
  /** The memberships of several users in one read (a page of /user/list). */
  getMembershipsOfUsers(userIds: readonly string[]): Promise<TeamMemberRow[]>;
  /** Inserts the team with its members (and their users and budgets), atomically. */
  insertTeam(team: NewTeamRow, members: NewMemberRecords): Promise<TeamRow>;
  /** Applies `patch`, inserting `budget` first when given; null when no team has that id. */
  updateTeam(teamId: string, patch: Partial<NewTeamRow>, budget?: NewBudgetRow): Promise<TeamRow | null>;
  /** Deletes the teams with their keys (archived) and memberships, atomically; returns the deleted keys. */
  deleteTeams(teamIds: readonly string[], deletedBy: string | null): Promise<KeyRow[]>;
  /** Unordered; the caller sorts. */
  listTeams(filter: TeamFilter): Promise<TeamRow[]>;
  /** Memberships of these teams, oldest first. */
  listTeamMembers(teamIds: readonly string[]): Promise<TeamMemberWithEmail[]>;
  listTeamKeys(teamIds: readonly string[]): Promise<KeyRow[]>;
  addTeamMembers(records: NewMemberRecords): Promise<TeamMemberRow[]>;
  /** Applies `patch` to one membership, inserting `budget` first when given; null when not a member. */
  updateTeamMember(teamId: string, userId: string, patch: Partial<NewTeamMemberRow>, budget?: NewBudgetRow): Promise<TeamMemberRow | null>;
  /** False when the user was not a member. */
  deleteTeamMember(teamId: string, userId: string): Promise<boolean>;
}

export function createTeamStore(database: Database): TeamStore {
  const { db, tables } = database;
  const t = tables.teams;
  const tm = tables.teamMembers;
  const member = (teamId: string, userId: string) => and(eq(tm.team_id, teamId), eq(tm.user_id, userId));

  return {
    async getTeam(teamId) {
      const [row] = await db.select().from(t).where(eq(t.team_id, teamId)).limit(1);
      return row ?? null;
    },
    async getTeams(teamIds) {
      if (teamIds.length === 0) return [];
      return db.select().from(t).where(inArray(t.team_id, [...teamIds]));
    },
    async getTeamMember(teamId, userId) {
      const [row] = await db.select().from(tm).where(member(teamId, userId)).limit(1);
      return row ?? null;
    },
    getMembershipsOfUser(userId) {
      return db.select().from(tm).where(eq(tm.user_id, userId));
    },
    async getMembershipsOfUsers(userIds) {
      if (userIds.length === 0) return [];
      return db.select().from(tm).where(inArray(tm.user_id, [...userIds]));
    },
    insertTeam(team, { users = [], budgets = [], memberships }) {
      return database.transaction(async (tx) => {
        if (budgets.length > 0) await tx.insert(tables.budgets).values(budgets);
        const [inserted] = await tx.insert(t).values(team).returning();
        if (users.length > 0) await tx.insert(tables.users).values(users);
        if (memberships.length > 0) await tx.insert(tm).values(memberships);
        return inserted!;
      });
    },
    updateTeam(teamId, patch, budget) {
      return database.transaction(async (tx) => {
        if (budget) await tx.insert(tables.budgets).values(budget);
        const [row] = await tx.update(t).set(patch).where(eq(t.team_id, teamId)).returning();
        return row ?? null;
      });
    },
    deleteTeams(teamIds, deletedBy) {
      const ids = [...teamIds];
      if (ids.length === 0) return Promise.resolve([]);
      return database.transaction(async (tx) => {
        const keys = await tx.delete(tables.keys).where(inArray(tables.keys.team_id, ids)).returning();
        await archiveDeletedKeys(tx, tables, keys, deletedBy);
        await tx.delete(tm).where(inArray(tm.team_id, ids));
        await tx.delete(t).where(inArray(t.team_id, ids));
        return keys;
      });
    },
    listTeams(filter) {
      const parts: SQL[] = [];
      if (filter.user_id !== undefined) parts.push(inArray(t.team_id, db.select({ id: tm.team_id }).from(tm).where(eq(tm.user_id, filter.user_id))));
      if (filter.organization_id === null) parts.push(isNull(t.organization_id));
      else if (filter.organization_id !== undefined) parts.push(eq(t.organization_id, filter.organization_id));
      return db.select().from(t).where(and(...parts));
    },
    async listTeamMembers(teamIds) {
      if (teamIds.length === 0) return [];
      const rows = await db
        .select({ member: tm, user_email: tables.users.user_email })
        .from(tm)
        .leftJoin(tables.users, eq(tm.user_id, tables.users.user_id))
        .where(inArray(tm.team_id, [...teamIds]))
        .orderBy(asc(tm.created_at), asc(tm.user_id));
      return rows.map((r) => ({ ...r.member, user_email: r.user_email }));
    },
    async listTeamKeys(teamIds) {
      if (teamIds.length === 0) return [];
      return db
        .select()
        .from(tables.keys)
        .where(inArray(tables.keys.team_id, [...teamIds]))
        .orderBy(asc(tables.keys.created_at), asc(tables.keys.token));
    },
    addTeamMembers({ users = [], budgets = [], memberships }) {
      return database.transaction(async (tx) => {
        if (users.length > 0) await tx.insert(tables.users).values(users);
        if (budgets.length > 0) await tx.insert(tables.budgets).values(budgets);
        return memberships.length > 0 ? tx.insert(tm).values(memberships).returning() : [];
      });
    },
    updateTeamMember(teamId, userId, patch, budget) {
      return database.transaction(async (tx) => {
        if (budget) await tx.insert(tables.budgets).values(budget);
        // Memberships have no updated_at: with nothing to change, read the row instead.
        const [row] =
          Object.keys(patch).length > 0
            ? await tx.update(tm).set(patch).where(member(teamId, userId)).returning()
            : await tx.select().from(tm).where(member(teamId, userId)).limit(1);
        return row ?? null;
      });
    },
    async deleteTeamMember(teamId, userId) {
      const deleted = await database.write((w) => w.delete(tm).where(member(teamId, userId)).returning({ id: tm.user_id }));
      return deleted.length > 0;
    },
  };
}
