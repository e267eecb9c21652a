/** Liveness and readiness probes (public, no key). */
import { Elysia } from "elysia";
import type { Store } from "../db/store/index.ts";
import { VERSION } from "../version.ts";

// LiteLLM answers with a JSON string, and probes written for it compare the JSON body.
const PING_TIMEOUT_MS = 2_000;

const alive = () => Response.json("I'm alive!");

export function healthRoutes(store: Store) {
  return new Elysia({ tags: ["health"] })
    .get("/health/liveliness", alive, { detail: { summary: "Liveness probe", security: [] } })
    .get("/health/liveness", alive, { detail: { summary: "Liveness probe (alias)", security: [] } })
    .get(
      "/health/readiness",
      async ({ set }) => {
        // A database that hangs must not hang the probe.
        const db = await Promise.race([store.ping().then(() => "connected"), Bun.sleep(PING_TIMEOUT_MS).then(() => "disconnected")]).catch(() => "disconnected");
        if (db !== "connected") set.status = 503;
        return {
          status: db === "connected" ? "healthy" : "unhealthy",
          db,
          db_dialect: store.dialect,
          cache: null,
          litellm_version: VERSION,
          success_callbacks: [],
        };
      },
      { detail: { summary: "Readiness probe: 503 when the database does not answer", security: [] } },
    );
}
