/**
 * Arrange and assert helpers for the management suites: users, keys and teams are
 * created through the API (as a client would); `insertTeam` seeds a team row straight
 * into the database for suites that only need one to exist.
 */
import { expect } from "bun:test";
import type { ApiResponse, Harness } from "./harness.ts";
import { MASTER_KEY } from "./harness.ts";

let sequence = 0;

/** An id no other test in the same database uses. */
export function uniqueId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

export interface TestUser {
  user_id: string;
  /** Plaintext of the user's auto-created key ("" with auto_create_key: false). */
  key: string;
  /** sha256 of `key`, as stored. */
  token: string;
}

/** POST /user/new as the master key; throws (failing the arrange step) unless it answers 200. */
export async function createUser(h: Harness, body: Record<string, unknown> = {}): Promise<TestUser> {
  const res = await h.post("/user/new", { user_id: uniqueId("user"), ...body }, MASTER_KEY);
  if (res.status !== 200) throw new Error(`arrange: /user/new answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { user_id: res.body.user_id, key: res.body.key, token: res.body.token };
}

/** POST /key/generate (by default as the master key); throws unless it answers 200. */
export async function createKey(h: Harness, body: Record<string, unknown> = {}, by: string = MASTER_KEY): Promise<{ key: string; token: string }> {
  const res = await h.post("/key/generate", body, by);
  if (res.status !== 200) throw new Error(`arrange: /key/generate answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { key: res.body.key, token: res.body.token };
}

/** POST /team/new as the master key; throws unless it answers 200. Returns the team object. */
export async function createTeam(h: Harness, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await h.post("/team/new", { team_id: uniqueId("team"), ...body }, MASTER_KEY);
  if (res.status !== 200) throw new Error(`arrange: /team/new answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface TeamSeed {
  models?: string[];
  model_aliases?: Record<string, string>;
  blocked?: boolean;
}

/** Seeds a team row directly, bypassing /team/new. */
export async function insertTeam(h: Harness, teamId: string, teamAlias: string | null = null, seed: TeamSeed = {}): Promise<void> {
  const { tables } = h.database;
  const at = new Date();
  await h.database.write((db) =>
    db.insert(tables.teams).values({
      team_id: teamId,
      team_alias: teamAlias,
      metadata: {},
      models: seed.models ?? [],
      model_aliases: seed.model_aliases ?? {},
      blocked: seed.blocked ?? false,
      model_max_budget: {},
      model_spend: {},
      created_at: at,
      updated_at: at,
    }),
  );
}

/** Tokens of every stored key owned by `userId`. */
export async function storedKeyTokens(h: Harness, userId: string): Promise<string[]> {
  const { rows } = await h.store.listKeys({ user_id: userId }, { offset: 0, limit: 1000 }, { by: "created_at", order: "asc" });
  return rows.map((r) => r.token);
}

export interface ExpectedError {
  status: number;
  type: string;
  /** Substring or pattern the message must match. */
  message?: string | RegExp;
  /** Exact `param`; leave out to accept any. */
  param?: string | null;
}

/** Asserts the LiteLLM error envelope: exactly {message, type, param, code} with code = status as a string. */
export function expectError(res: ApiResponse, expected: ExpectedError): void {
  expect({ status: res.status, type: res.body?.error?.type }).toEqual({ status: expected.status, type: expected.type });
  expect(Object.keys(res.body).sort()).toEqual(["error"]);
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(res.body.error.code).toBe(String(expected.status));
  expect(typeof res.body.error.message).toBe("string");
  if (expected.message !== undefined) {
    if (typeof expected.message === "string") expect(res.body.error.message).toContain(expected.message);
    else expect(res.body.error.message).toMatch(expected.message);
  }
  if (expected.param !== undefined) expect(res.body.error.param).toBe(expected.param);
}

/** A team with an admin member, a plain member, and an outsider who belongs to no team. */
export async function teamWithPeople(h: Harness, body: Record<string, unknown> = {}) {
  const [admin, member, outsider] = [await createUser(h), await createUser(h), await createUser(h)];
  const team = await createTeam(h, {
    members_with_roles: [
      { role: "admin", user_id: admin.user_id },
      { role: "user", user_id: member.user_id },
    ],
    ...body,
  });
  return { teamId: team.team_id as string, admin, member, outsider };
}
