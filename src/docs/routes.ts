/**
 * The API reference: @elysiajs/swagger generates /openapi.json from the route
 * schemas; /docs is Swagger UI served from assets embedded in the binary, because
 * the plugin's own page loads them from a CDN and tollgate must work offline.
 */
import { swagger } from "@elysiajs/swagger";
import { Elysia } from "elysia";
import css from "swagger-ui-dist/swagger-ui.css" with { type: "text" };
import bundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import { ErrorEnvelope } from "../management/docs.ts";
import { VERSION } from "../version.ts";

const SPEC_PATH = "/openapi.json";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>tollgate API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>`;

// Kept out of the page so a Content-Security-Policy without 'unsafe-inline' allows it.
const INIT = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(SPEC_PATH)}, dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: false });`;

const asset = (body: string, type: string) => () =>
  new Response(body, { headers: { "content-type": `${type}; charset=utf-8`, "cache-control": "public, max-age=86400" } });

export function docsRoutes() {
  return new Elysia()
    .use(
      swagger({
        path: "/docs",
        specPath: SPEC_PATH,
        provider: "swagger-ui",
        exclude: [/^\/docs/],
        documentation: {
          info: { title: "tollgate", version: VERSION, description: "LLM gateway with virtual keys, compatible with the LiteLLM proxy API." },
          components: {
            securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Master key or virtual key (sk-…)" } },
            // TypeBox schemas are JSON Schema objects; the OpenAPI types just do not know it.
            schemas: { ErrorEnvelope: ErrorEnvelope as unknown as Record<string, never> },
          },
          security: [{ bearer: [] }],
        },
      }),
    )
    // Registered after the plugin, so this page replaces the plugin's CDN-backed one.
    .get("/docs", asset(PAGE, "text/html"), { detail: { hide: true } })
    .get("/docs/assets/swagger-ui.css", asset(css, "text/css"), { detail: { hide: true } })
    .get("/docs/assets/swagger-ui-bundle.js", asset(bundle, "text/javascript"), { detail: { hide: true } })
    .get("/docs/assets/init.js", asset(INIT, "text/javascript"), { detail: { hide: true } });
}
