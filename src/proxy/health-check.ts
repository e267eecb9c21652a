/**
 * GET /health: calls every deployment the caller may use (or those of `?model=`) with
 * a one-token request and reports which answered. Provider keys never appear.
 */
import type { Principal } from "../auth/principal.ts";
import type { ModelListings } from "./model-info.ts";
import { publicParams } from "./model-info.ts";
import type { Deployment, Endpoint } from "./types.ts";
import { callUpstream } from "./upstream.ts";

const HEALTH_TIMEOUT_MS = 10_000;

const PROBES: Record<Endpoint, Record<string, unknown>> = {
  chat: { messages: [{ role: "user", content: "ping" }], max_tokens: 1 },
  completion: { prompt: "ping", max_tokens: 1 },
  embedding: { input: "ping" },
};

function endpointOf(d: Deployment): Endpoint {
  const mode = d.modelInfo.mode;
  return mode === "embedding" ? "embedding" : mode === "completion" ? "completion" : "chat";
}

export function createHealthCheck(listings: ModelListings, groups: ReadonlyMap<string, readonly Deployment[]>) {
  return async (principal: Principal | null, model?: string) => {
    const names = listings.allowedGroups(principal).filter((g) => (model === undefined || g === model) && !g.includes("*"));
    const deployments = names.flatMap((g) => groups.get(g) ?? []);
    const results = await Promise.all(
      deployments.map(async (d) => {
        const described = { model: d.params.model, model_name: d.modelName, model_id: d.id, api_base: d.apiBase, ...publicParams(d) };
        const endpoint = endpointOf(d);
        try {
          const upstream = await callUpstream(d, {
            endpoint,
            body: { ...PROBES[endpoint], model: d.modelName },
            stream: false,
            dropParams: true,
            timeoutMs: HEALTH_TIMEOUT_MS,
            signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
          });
          await upstream.response.arrayBuffer();
          return { healthy: true, entry: described };
        } catch (err) {
          return { healthy: false, entry: { ...described, error: err instanceof Error ? err.message : String(err) } };
        }
      }),
    );
    const healthy = results.filter((r) => r.healthy).map((r) => r.entry);
    const unhealthy = results.filter((r) => !r.healthy).map((r) => r.entry);
    return { healthy_endpoints: healthy, unhealthy_endpoints: unhealthy, healthy_count: healthy.length, unhealthy_count: unhealthy.length };
  };
}
