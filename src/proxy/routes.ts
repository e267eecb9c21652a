/** The OpenAI-compatible routes (API.md §3) and the model listings (§2.6): HTTP shapes only. */
import { Elysia, t } from "elysia";
import type { Principal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";
import type { createCompletionHandler } from "./completions.ts";
import type { createHealthCheck } from "./health-check.ts";
import type { ModelListings } from "./model-info.ts";
import type { Endpoint } from "./types.ts";

export interface ProxyRoutesDeps {
  handle: ReturnType<typeof createCompletionHandler>;
  authenticate: (request: Request, path: string) => Promise<Principal | null>;
  listings: ModelListings;
  healthCheck: ReturnType<typeof createHealthCheck>;
}

/** Every path a client may use for each endpoint; `:model` routes take the model from the path. */
const PATHS: Record<Endpoint, { plain: string[]; withModel: string[] }> = {
  chat: { plain: ["/v1/chat/completions", "/chat/completions"], withModel: ["/openai/deployments/:model/chat/completions", "/engines/:model/chat/completions"] },
  completion: { plain: ["/v1/completions", "/completions"], withModel: ["/openai/deployments/:model/completions", "/engines/:model/completions"] },
  embedding: { plain: ["/v1/embeddings", "/embeddings"], withModel: ["/openai/deployments/:model/embeddings", "/engines/:model/embeddings"] },
};

const SUMMARY: Record<Endpoint, string> = { chat: "Chat completion (OpenAI format; SSE with stream: true)", completion: "Text completion (legacy)", embedding: "Embeddings" };

/** Any JSON body: the proxy forwards fields it does not know to the provider. */
const AnyBody = t.Unknown({ description: "OpenAI request body" });

export function proxyRoutes({ handle, authenticate, listings, healthCheck }: ProxyRoutesDeps) {
  const app = new Elysia({ tags: ["llm"] });
  for (const endpoint of ["chat", "completion", "embedding"] as const) {
    const detail = { summary: SUMMARY[endpoint] };
    for (const path of PATHS[endpoint].plain) {
      app.post(path, ({ request, body }) => handle({ endpoint, request, path, body }), { body: AnyBody, parse: "json", detail });
    }
    for (const path of PATHS[endpoint].withModel) {
      app.post(path, ({ request, body, params, path: actual }) => handle({ endpoint, request, path: actual, body, pathModel: params.model }), {
        body: AnyBody,
        params: t.Object({ model: t.String() }),
        parse: "json",
        detail,
      });
    }
  }

  const caller = (request: Request, path: string) => authenticate(request, path);
  return app
    .get("/v1/models", async ({ request, path }) => listings.openAIList(await caller(request, path)), { detail: { summary: "Models this key may call" } })
    .get("/models", async ({ request, path }) => listings.openAIList(await caller(request, path)), { detail: { summary: "Models this key may call" } })
    .get(
      "/v1/models/:id",
      async ({ request, path, params }) => {
        const model = listings.openAIList(await caller(request, path)).data.find((m) => m.id === params.id);
        if (!model) throw new ApiError("not_found", `The model '${params.id}' does not exist or this key may not call it.`, { param: "model" });
        return model;
      },
      { detail: { summary: "One model, if this key may call it" } },
    )
    .get("/model/info", async ({ request, path }) => listings.modelInfo(await caller(request, path)), { detail: { summary: "Deployments this key may call (no secrets)" } })
    .get("/v1/model/info", async ({ request, path }) => listings.modelInfo(await caller(request, path)), { detail: { summary: "Deployments this key may call (no secrets)" } })
    .get("/model_group/info", async ({ request, path, query }) => listings.groupInfo(await caller(request, path), query.model_group), {
      query: t.Object({ model_group: t.Optional(t.String()) }),
      detail: { summary: "Model groups this key may call" },
    })
    .get("/health", async ({ request, path, query }) => healthCheck(await caller(request, path), query.model), {
      query: t.Object({ model: t.Optional(t.String()) }),
      detail: { summary: "Calls each deployment this key may use and reports which answer" },
    });
}
