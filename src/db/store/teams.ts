import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../database.ts";
import type { TeamMemberRow, TeamRow } from "../rows.ts";

/**
 * Team reads the key and user APIs need (ownership and membership checks, team
 * echoes). The /team/* management routes extend this surface.
 */
export interface TeamStore {
  getTeam(teamId: string): Promise<TeamRow | null>;
  getTeams(teamIds: readonly string[]): Promise<TeamRow[]>;
  getTeamMember(teamId: string, userId: string): Promise<TeamMemberRow | null>;
  getMembershipsOfUser(userId: string): Promise<TeamMemberRow[]>;
}

export function createTeamStore(database: Database): TeamStore {
  const { db, tables } = database;
  const tm = tables.teamMembers;
  return {
    async getTeam(teamId) {
      const [row] = await db.select().from(tables.teams).where(eq(tables.teams.team_id, teamId)).limit(1);
      return row ?? null;
    },
    async getTeams(teamIds) {
      if (teamIds.length === 0) return [];
      return db.select().from(tables.teams).where(inArray(tables.teams.team_id, [...teamIds]));
    },
    async getTeamMember(teamId, userId) {
      const [row] = await db
        .select()
        .from(tm)
        .where(and(eq(tm.team_id, teamId), eq(tm.user_id, userId)))
        .limit(1);
      return row ?? null;
    },
    getMembershipsOfUser(userId) {
      return db.select().from(tm).where(eq(tm.user_id, userId));
    },
  };
}
