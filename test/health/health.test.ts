import { expect, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import type { Config } from "../../src/config/index.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createStore } from "../../src/db/store/index.ts";
import { silentLogger } from "../../src/log.ts";
import { createTestDatabase } from "../support/databases.ts";
import { describeStores } from "../support/harness.ts";

describeStores("health probes", (h) => {
  test("liveliness and liveness are public and answer the JSON string LiteLLM does", async () => {
    for (const path of ["/health/liveliness", "/health/liveness"]) {
      const res = await h().get(path, null);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.body).toBe("I'm alive!");
    }
  });

  test("readiness reports the database as connected", async () => {
    const res = await h().get("/health/readiness", null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "healthy", db: "connected", db_dialect: h().dialect });
  });
});

test("readiness is 503 when the database does not answer", async () => {
  for (const dialect of ["sqlite", "postgres"] as const) {
    const testDb = await createTestDatabase(dialect);
    const database = openDatabase({ databaseUrl: testDb.databaseUrl, sqlitePath: testDb.sqlitePath, poolSize: 1 });
    await database.migrate();
    const { app } = createApp({ config: { model_list: [] } as Config, store: createStore(database), masterKey: null, log: silentLogger });
    await database.close();
    const res = await app.handle(new Request("http://localhost/health/readiness"));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "unhealthy", db: "disconnected" });
    await testDb.drop();
  }
});
