/**
 * Which Redis (if any) holds the rate-limit counters. Precedence, first match wins:
 * 1. env `REDIS_URL`;
 * 2. `litellm_settings.cache_params` with `type: redis` (or no type and `cache: true`,
 *    LiteLLM's default cache type): its `url`, else `host`/`port`/`password`;
 * 3. `router_settings.redis_url`, else `redis_host`/`redis_port`/`redis_password`.
 * A host-less Redis section falls back to env `REDIS_HOST`/`REDIS_PORT`/`REDIS_PASSWORD`,
 * then to 127.0.0.1:6379, as LiteLLM's Redis client does. `os.environ/` references are
 * already resolved by the config loader. Returns null when nothing names a Redis.
 */
import type { ConfigFile } from "../config/index.ts";

type Env = Record<string, string | undefined>;

interface RedisParts {
  url?: string;
  host?: string;
  port?: number | string;
  password?: string;
  username?: string;
  ssl?: boolean;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

function toUrl(parts: RedisParts, env: Env): string {
  if (parts.url) return parts.url;
  const host = parts.host ?? text(env.REDIS_HOST) ?? "127.0.0.1";
  const port = parts.port ?? text(env.REDIS_PORT) ?? 6379;
  const password = parts.password ?? text(env.REDIS_PASSWORD);
  const user = parts.username ?? text(env.REDIS_USERNAME);
  const auth = password ? `${user ? encodeURIComponent(user) : ""}:${encodeURIComponent(password)}@` : "";
  const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${parts.ssl ? "rediss" : "redis"}://${auth}${hostPart}:${port}`;
}

export function redisUrlFromConfig(config: Pick<ConfigFile, "litellm_settings" | "router_settings">, env: Env): string | null {
  const fromEnv = text(env.REDIS_URL);
  if (fromEnv) return fromEnv;

  const litellm = config.litellm_settings;
  const cache: Record<string, unknown> | undefined = litellm?.cache_params;
  const cacheType = text(cache?.type) ?? (litellm?.cache === true ? "redis" : undefined);
  if (cache && cacheType === "redis") {
    return toUrl(
      {
        url: text(cache.url),
        host: text(cache.host),
        port: typeof cache.port === "number" ? cache.port : text(cache.port),
        password: text(cache.password),
        username: text(cache.username),
        ssl: cache.ssl === true,
      },
      env,
    );
  }

  const router = config.router_settings;
  if (router && (text(router.redis_url) || text(router.redis_host))) {
    return toUrl(
      { url: text(router.redis_url), host: text(router.redis_host), port: router.redis_port, password: text(router.redis_password) },
      env,
    );
  }
  return null;
}

/** `redis://:secret@host:6379` → `redis://:***@host:6379`, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "redis://(unparseable url)";
  }
}
