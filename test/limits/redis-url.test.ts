import { describe, expect, test } from "bun:test";
import { redactRedisUrl, redisUrlFromConfig } from "../../src/limits/index.ts";

describe("redisUrlFromConfig", () => {
  test("nothing configured → null (in-memory counters)", () => {
    expect(redisUrlFromConfig({}, {})).toBeNull();
    expect(redisUrlFromConfig({ litellm_settings: { cache: true, cache_params: { type: "local" } } }, {})).toBeNull();
    expect(redisUrlFromConfig({ router_settings: { routing_strategy: "simple-shuffle" } }, { REDIS_HOST: "r" })).toBeNull();
  });

  test("env REDIS_URL wins over the config", () => {
    const config = { litellm_settings: { cache: true, cache_params: { type: "redis", host: "cache-host" } } };
    expect(redisUrlFromConfig(config, { REDIS_URL: "redis://env-host:6380" })).toBe("redis://env-host:6380");
  });

  test("cache_params type redis: host, port and an escaped password", () => {
    const config = { litellm_settings: { cache: true, cache_params: { type: "redis", host: "cache-host", port: 6380, password: "p@ss/w:rd" } } };
    expect(redisUrlFromConfig(config, {})).toBe("redis://:p%40ss%2Fw%3Ard@cache-host:6380");
  });

  test("cache_params url is used as given; no type + cache: true means redis", () => {
    expect(redisUrlFromConfig({ litellm_settings: { cache_params: { type: "redis", url: "rediss://h:1" } } }, {})).toBe("rediss://h:1");
    expect(redisUrlFromConfig({ litellm_settings: { cache: true, cache_params: { host: "h" } } }, {})).toBe("redis://h:6379");
  });

  test("a host-less redis cache falls back to REDIS_HOST / REDIS_PORT / REDIS_PASSWORD, then localhost", () => {
    const config = { litellm_settings: { cache: true, cache_params: { type: "redis" } } };
    expect(redisUrlFromConfig(config, { REDIS_HOST: "envhost", REDIS_PORT: "7000", REDIS_PASSWORD: "pw" })).toBe("redis://:pw@envhost:7000");
    expect(redisUrlFromConfig(config, {})).toBe("redis://127.0.0.1:6379");
  });

  test("router_settings redis_host / redis_port / redis_password, or redis_url", () => {
    expect(redisUrlFromConfig({ router_settings: { redis_host: "rh", redis_port: 6390, redis_password: "x" } }, {})).toBe("redis://:x@rh:6390");
    expect(redisUrlFromConfig({ router_settings: { redis_url: "redis://ru:1" } }, {})).toBe("redis://ru:1");
  });

  test("cache_params comes before router_settings", () => {
    const config = {
      litellm_settings: { cache: true, cache_params: { type: "redis", host: "cache-host" } },
      router_settings: { redis_host: "router-host" },
    };
    expect(redisUrlFromConfig(config, {})).toBe("redis://cache-host:6379");
  });

  test("redactRedisUrl hides the password for logs", () => {
    expect(redactRedisUrl("redis://:secret@h:6379")).toBe("redis://:***@h:6379");
    expect(redactRedisUrl("redis://h:6379")).toBe("redis://h:6379");
  });
});
