/**
 * Fresh databases for end-to-end tests: a SQLite file in a temp dir, or a uniquely
 * named Postgres database on the local server (dropped afterwards). Outside CI, an
 * unreachable Postgres skips the Postgres half with one loud line; in CI it fails.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

export type Dialect = "sqlite" | "postgres";

export const PG_ADMIN_URL = process.env.TOLLGATE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  dialect: Dialect;
  databaseUrl: string | null;
  sqlitePath: string;
  drop(): Promise<void>;
}

async function postgresAnswers(): Promise<boolean> {
  const sql = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export const postgresAvailable = await postgresAnswers();
if (!postgresAvailable) {
  if (process.env.CI === "true") throw new Error(`Postgres is required in CI but does not answer at ${PG_ADMIN_URL}`);
  console.warn(`\n!!! Postgres does not answer at ${PG_ADMIN_URL}: the Postgres half of the suite is SKIPPED !!!\n`);
}

let counter = 0;

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-test-"));
    return {
      dialect,
      databaseUrl: null,
      sqlitePath: join(dir, "tollgate.db"),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `tollgate_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    databaseUrl: url.toString(),
    sqlitePath: "",
    drop: async () => {
      const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      await sql.end();
    },
  };
}
