import { defineConfig } from "drizzle-kit";

// `bun run db:generate` writes SQLite migrations here from src/db/schema.sqlite.ts.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.sqlite.ts",
  out: "./drizzle/sqlite",
});
