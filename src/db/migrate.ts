/**
 * Applies the migrations embedded in the binary (src/db/migrations.gen.ts) with
 * drizzle's own migrator logic: the same journal, hashes and bookkeeping table as
 * `drizzle-kit migrate` would use, but fed from memory instead of the drizzle/ folder.
 */
import type { MigrationMeta } from "drizzle-orm/migrator";

export interface EmbeddedMigration {
  tag: string;
  when: number;
  breakpoints: boolean;
  sql: string;
}

/** What drizzle's `readMigrationFiles` would have produced from the folder. */
export function toMigrationMeta(migrations: readonly EmbeddedMigration[]): MigrationMeta[] {
  return migrations.map((m) => ({
    sql: m.sql.split("--> statement-breakpoint"),
    bps: m.breakpoints,
    folderMillis: m.when,
    hash: new Bun.CryptoHasher("sha256").update(m.sql).digest("hex"),
  }));
}
