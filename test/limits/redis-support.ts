/**
 * Redis for the rate-limit tests: the local server (or TOLLGATE_TEST_REDIS_URL), a key
 * prefix unique to this run, and cleanup of every key under it. Outside CI an
 * unreachable Redis skips the Redis half with one loud line; in CI (`CI=true`) it fails.
 */
import { RedisClient } from "bun";

export const REDIS_TEST_URL = process.env.TOLLGATE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export const runPrefix = `tollgate-test:${process.pid}:${Date.now().toString(36)}:`;

export function adminClient(): RedisClient {
  return new RedisClient(REDIS_TEST_URL, { autoReconnect: false, connectionTimeout: 2000 });
}

async function redisAnswers(): Promise<boolean> {
  const client = adminClient();
  try {
    const pong: unknown = await Promise.race([client.send("PING", []), Bun.sleep(3000).then(() => "timeout")]);
    return pong === "PONG";
  } catch {
    return false;
  } finally {
    client.close();
  }
}

export const redisAvailable = await redisAnswers();
if (!redisAvailable) {
  if (process.env.CI === "true") throw new Error(`Redis is required in CI but does not answer at ${REDIS_TEST_URL}`);
  console.warn(`\n!!! Redis does not answer at ${REDIS_TEST_URL}: the Redis half of the rate-limit suite is SKIPPED !!!\n`);
}

/** Every key under `prefix`, with its PTTL in ms (-1 = no expiry). */
export async function keysUnder(client: RedisClient, prefix: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  let cursor = "0";
  do {
    const reply: unknown = await client.send("SCAN", [cursor, "MATCH", `${prefix}*`, "COUNT", "1000"]);
    if (!Array.isArray(reply)) throw new Error("unexpected SCAN reply");
    const [next, keys] = reply as [unknown, unknown];
    cursor = String(next);
    if (Array.isArray(keys)) {
      for (const key of keys) {
        const ttl: unknown = await client.send("PTTL", [String(key)]);
        found.set(String(key), Number(ttl));
      }
    }
  } while (cursor !== "0");
  return found;
}

export async function deleteKeysUnder(prefix: string): Promise<void> {
  const client = adminClient();
  try {
    const keys = [...(await keysUnder(client, prefix)).keys()];
    if (keys.length > 0) await client.send("DEL", keys);
  } finally {
    client.close();
  }
}
