import { expect, test } from "bun:test";
import { getTableConfig as pgTableConfig } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig } from "drizzle-orm/sqlite-core";
import * as pg from "../../src/db/schema.pg.ts";
import * as sqlite from "../../src/db/schema.sqlite.ts";

/** Table name → column name → [nullable, has default, primary key]. */
function shape(config: { name: string; columns: { name: string; notNull: boolean; hasDefault: boolean; primary: boolean }[] }) {
  return [config.name, Object.fromEntries(config.columns.map((c) => [c.name, [c.notNull, c.hasDefault, c.primary]]))] as const;
}

test("the Postgres and SQLite schemas have the same tables and columns", () => {
  const pgTables = Object.fromEntries(Object.values(pg).map((table) => shape(pgTableConfig(table))));
  const sqliteTables = Object.fromEntries(Object.values(sqlite).map((table) => shape(sqliteTableConfig(table))));
  expect(Object.keys(pgTables).sort()).toEqual(["budgets", "customers", "deleted_keys", "deprecated_keys", "keys", "ledger_checkpoints", "spend_logs", "team_members", "teams", "users"]);
  expect(sqliteTables).toEqual(pgTables);
});

test("the two schemas export the same table objects under the same names", () => {
  expect(Object.keys(sqlite).sort()).toEqual(Object.keys(pg).sort());
});
