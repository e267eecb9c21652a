/**
 * Route groups usable in a key's `allowed_routes`, and what `key_type` expands to.
 * Entries may also be exact paths, prefixes ending in `/*`, or these group names.
 */
export const ROUTE_GROUPS: Record<string, readonly string[]> = {
  llm_api_routes: [
    "/chat/completions",
    "/v1/chat/completions",
    "/completions",
    "/v1/completions",
    "/embeddings",
    "/v1/embeddings",
    "/openai/deployments/*",
    "/engines/*",
    "/models",
    "/v1/models",
    "/v1/models/*",
    "/model/info",
    "/v1/model/info",
    "/model_group/info",
  ],
  info_routes: ["/key/info", "/v2/key/info", "/key/list", "/key/aliases", "/user/info", "/user/list", "/team/info", "/team/list", "/model/info", "/v1/model/info", "/model_group/info", "/models", "/v1/models", "/health"],
  management_routes: ["/key/*", "/v2/key/*", "/user/*", "/team/*", "/customer/*", "/end_user/*", "/budget/*", "/spend/*", "/global/*"],
};

export const KEY_TYPES = ["llm_api", "management", "read_only", "default"] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** `allowed_routes` implied by a `key_type` (default: no restriction). */
export function routesForKeyType(keyType: KeyType): string[] {
  switch (keyType) {
    case "llm_api":
      return ["llm_api_routes"];
    case "management":
      return ["management_routes"];
    case "read_only":
      return ["info_routes"];
    case "default":
      return [];
  }
}

/** Empty allow-list = every route. */
export function isRouteAllowed(allowedRoutes: readonly string[], path: string): boolean {
  if (allowedRoutes.length === 0) return true;
  return allowedRoutes.some((entry) => (ROUTE_GROUPS[entry] ?? [entry]).some((pattern) => matches(pattern, path)));
}

function matches(pattern: string, path: string): boolean {
  if (pattern === "*" || pattern === "/*") return true;
  if (pattern.endsWith("/*")) return path.startsWith(pattern.slice(0, -1)) || path === pattern.slice(0, -2);
  return path === pattern;
}
