import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import postgres from "postgres";
import { describeStores } from "../support/harness.ts";

/** Every text value stored anywhere in the database, as one string. */
async function dumpDatabase(dialect: string, sqlitePath: string, databaseUrl: string | null): Promise<string> {
  if (dialect === "sqlite") {
    // The raw file bytes, WAL included: nothing may hide in pages not yet checkpointed.
    const dir = dirname(sqlitePath);
    return readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString("latin1"))
      .join("\n");
  }
  const sql = postgres(databaseUrl!, { max: 1 });
  try {
    const tables = await sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public'`;
    const parts: string[] = [];
    for (const { tablename } of tables) parts.push(JSON.stringify(await sql.unsafe(`select * from "${tablename}"`)));
    return parts.join("\n");
  } finally {
    await sql.end();
  }
}

describeStores("plaintext keys are never stored", (h) => {
  test("generated, user, regenerated and deleted keys leave only hashes behind", async () => {
    const plaintexts: string[] = [];
    const generated = await h().post("/key/generate", { key_alias: "secret-check" });
    plaintexts.push(generated.body.key);
    const custom = await h().post("/key/generate", { key: "sk-my-custom-plaintext-key-42" });
    plaintexts.push(custom.body.key);
    const user = await h().post("/user/new", { user_email: "hash@example.com" });
    plaintexts.push(user.body.key);
    const rotated = await h().post("/key/regenerate", { key: generated.body.key, grace_period: "1h" });
    plaintexts.push(rotated.body.key);
    await h().post("/key/delete", { keys: [custom.body.key] });

    const { sqlitePath, databaseUrl } = h().testDb;
    const dump = await dumpDatabase(h().dialect, sqlitePath, databaseUrl);
    expect(dump).toContain(rotated.body.token);
    for (const plaintext of plaintexts) {
      expect(plaintext).toStartWith("sk-");
      expect(dump.includes(plaintext)).toBe(false);
      // Not even the random part without its prefix.
      expect(dump.includes(plaintext.slice(3))).toBe(false);
    }
  });
});
