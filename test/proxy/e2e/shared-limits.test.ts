/**
 * Two tollgate instances on one Postgres database and one Redis share a key's rpm
 * limit (API.md §7 #9: limits must not multiply by the number of instances).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Config } from "../../../src/config/index.ts";
import { createLimitStore } from "../../../src/limits/index.ts";
import { silentLogger } from "../../../src/log.ts";
import { deleteKeysUnder, REDIS_TEST_URL, redisAvailable, runPrefix } from "../../limits/redis-support.ts";
import { postgresAvailable } from "../../support/databases.ts";
import { Harness } from "../../support/harness.ts";
import { type MockOpenAI, startMockOpenAI } from "../../support/mock-openai.ts";
import { chat, UPSTREAM_KEY } from "../../support/proxy.ts";

const run = postgresAvailable && redisAvailable ? describe : describe.skip;

run("two instances sharing Postgres and Redis [postgres]", () => {
  let mock: MockOpenAI;
  let a: Harness;
  let b: Harness;
  const prefix = `${runPrefix}shared-rpm:`;

  beforeAll(async () => {
    mock = startMockOpenAI();
    const config = { model_list: [{ model_name: "gpt-4o", litellm_params: { model: "openai/gpt-4o", api_base: `${mock.url}/v1`, api_key: UPSTREAM_KEY } }] } as Config;
    const limitStore = () => createLimitStore({ redisUrl: REDIS_TEST_URL, log: silentLogger, keyPrefix: prefix });
    a = await Harness.start("postgres", { config, limitStore: limitStore() });
    b = await Harness.start("postgres", { config, shareDatabaseOf: a, limitStore: limitStore() });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await mock?.close();
    await deleteKeysUnder(prefix);
  });

  test("a key's rpm limit counts calls on both instances together", async () => {
    const key = (await a.post("/key/generate", { rpm_limit: 4 })).body.key as string;
    const statuses: number[] = [];
    for (const h of [a, b, a, b, a, b]) statuses.push((await chat(h, key, "gpt-4o")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});
