import { defineConfig } from "drizzle-kit";

// `bun run db:generate` writes Postgres migrations here from src/db/schema.pg.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.pg.ts",
  out: "./drizzle/pg",
});
