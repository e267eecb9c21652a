/**
 * Opens the database tollgate stores its state in: PostgreSQL (postgres.js, pooled)
 * when a URL is given, otherwise an embedded SQLite file in WAL mode.
 *
 * Both dialects are exposed through one drizzle handle typed as the Postgres one.
 * That is sound because the two schema files are column-for-column identical with
 * identical row types (test/db/schema-parity.test.ts), and the store only uses query
 * builders both dialects share (select/insert/update/delete, returning, onConflict).
 * It is the one place the dialect is hidden; nothing outside db/ knows which is in use.
 */
import { Database as SqliteClient } from "bun:sqlite";
import { sql } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/bun-sqlite";
import type { MigrationMeta } from "drizzle-orm/migrator";
import type { PgDatabase } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg, type PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { toMigrationMeta } from "./migrate.ts";
import { pgBulkInsertIgnoringConflicts } from "./pg-bulk-insert.ts";
import { sqliteBulkInsert } from "./sqlite-bulk-insert.ts";
import { pgMigrations, sqliteMigrations } from "./migrations.gen.ts";
import * as pgSchema from "./schema.pg.ts";
import * as sqliteSchema from "./schema.sqlite.ts";

export type Db = PgDatabase<PostgresJsQueryResultHKT>;
export type Tables = typeof pgSchema;
export type Dialect = "postgres" | "sqlite";

export interface Database {
  readonly dialect: Dialect;
  readonly db: Db;
  readonly tables: Tables;
  /** Runs `fn` atomically: all of its statements commit together or none do. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs a single write. On SQLite writes are serialised with transactions (one connection). */
  write<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Inserts many rows, skipping those whose primary key exists, as fast as the driver
   * allows (the ledger writes thousands of spend-log rows per flush). Takes every row
   * of `rows` exactly once, even when none is inserted. Call inside `transaction` with
   * its `tx`.
   */
  bulkInsert(tx: Db, table: "spendLogs", rows: Iterable<Record<string, unknown>>): Promise<void>;
  migrate(): Promise<void>;
  /**
   * Cross-instance messages (Postgres LISTEN/NOTIFY). On SQLite, one process owns the
   * file, so there is no one to tell: notify does nothing and listen never fires.
   */
  notify(channel: string, payload: string): Promise<void>;
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string | null;
  sqlitePath: string;
  /** Postgres pool size. */
  poolSize?: number;
}

export function openDatabase(options: OpenOptions): Database {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openSqlite(options.sqlitePath);
}

/** drizzle's migrator entry point; internal in drizzle's types but stable across 0.x. */
interface DrizzleInternals {
  dialect: { migrate(migrations: MigrationMeta[], session: unknown, config: object): unknown };
  session: unknown;
}

function runDrizzleMigrator(db: unknown, migrations: MigrationMeta[]): unknown {
  const { dialect, session } = db as DrizzleInternals;
  return dialect.migrate(migrations, session, { migrationsTable: "__drizzle_migrations" });
}

function openPostgres(url: string, poolSize: number): Database {
  const client = postgres(url, { max: poolSize, onnotice: () => {} });
  const db = drizzlePg({ client });
  // Serialises concurrent start-ups of several instances against one database.
  const MIGRATION_LOCK = 7_405_917_001;
  return {
    dialect: "postgres",
    db,
    tables: pgSchema,
    transaction: (fn) => db.transaction((tx) => fn(tx)),
    write: (fn) => fn(db),
    bulkInsert: (tx, table, rows) => pgBulkInsertIgnoringConflicts(tx, pgSchema[table], rows),
    async migrate() {
      // One dedicated connection holds the lock and runs the migration, so a small
      // pool cannot deadlock waiting for a second connection.
      const session = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await session`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await runDrizzleMigrator(drizzlePg({ client: session }), toMigrationMeta(pgMigrations));
        await session`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      } finally {
        await session.end({ timeout: 5 });
      }
    },
    async notify(channel, payload) {
      await client.notify(channel, payload);
    },
    async listen(channel, onMessage) {
      // postgres.js keeps one connection for LISTEN and re-subscribes after reconnects.
      const { unlisten } = await client.listen(channel, onMessage);
      return unlisten;
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

function openSqlite(path: string): Database {
  const client = new SqliteClient(path, { create: true, strict: true });
  client.run("PRAGMA journal_mode = WAL");
  client.run("PRAGMA synchronous = NORMAL");
  client.run("PRAGMA busy_timeout = 5000");
  client.run("PRAGMA foreign_keys = ON");
  // The spend log grows by a row per call and five indexes with it; SQLite's default
  // 2 MiB page cache made each flushed row re-read index pages (~2x the cost per row).
  // The cache is allocated as used, so a small database never takes the 64 MiB.
  client.run("PRAGMA cache_size = -65536");
  const db = drizzleSqlite({ client }) as unknown as Db;

  // One connection: a transaction's statements must not interleave with another
  // request's writes, so transactions and writes run one at a time in arrival order.
  let tail: Promise<unknown> = Promise.resolve();
  const serialise = <T>(run: () => Promise<T>): Promise<T> => {
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };

  return {
    dialect: "sqlite",
    db,
    tables: sqliteSchema as unknown as Tables,
    transaction: (fn) =>
      serialise(async () => {
        client.run("BEGIN IMMEDIATE");
        try {
          const result = await fn(db);
          client.run("COMMIT");
          return result;
        } catch (err) {
          client.run("ROLLBACK");
          throw err;
        }
      }),
    write: (fn) => serialise(() => fn(db)),
    bulkInsert: (_tx, table, rows) => sqliteBulkInsert(client, sqliteSchema[table], rows),
    async migrate() {
      runDrizzleMigrator(db, toMigrationMeta(sqliteMigrations));
    },
    notify: async () => {},
    listen: async () => async () => {},
    async ping() {
      client.query("select 1").get();
    },
    async close() {
      await tail;
      client.close();
    },
  };
}

/** True when `err` (or its cause, as drizzle wraps driver errors) is a unique-key violation. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  }
  return false;
}
