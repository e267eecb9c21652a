import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Config } from "../../../src/config/index.ts";
import { postgresAvailable } from "../../support/databases.ts";
import { Harness } from "../../support/harness.ts";
import { type MockOpenAI, startMockOpenAI } from "../../support/mock-openai.ts";

/** Polls `check` until it holds or `ms` pass; returns how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await Bun.sleep(20);
  }
  throw new Error(`condition not met within ${ms} ms`);
}

const run = postgresAvailable ? describe : describe.skip;

run("two instances on one Postgres database [postgres]", () => {
  let mock: MockOpenAI;
  let a: Harness;
  let b: Harness;
  const chat = (h: Harness, key: string) =>
    h.request("POST", "/v1/chat/completions", { key, body: { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] } });

  beforeAll(async () => {
    mock = startMockOpenAI();
    const config = { model_list: [{ model_name: "gpt-4o", litellm_params: { model: "openai/gpt-4o", api_base: `${mock.url}/v1`, api_key: "sk-up" } }] } as Config;
    a = await Harness.start("postgres", { config });
    b = await Harness.start("postgres", { config, shareDatabaseOf: a });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await mock?.close();
  });

  test("a key blocked on one instance is refused by the other within a second, though cached there", async () => {
    const key = (await a.post("/key/generate", {})).body.key as string;
    expect((await chat(b, key)).status).toBe(200); // B has it cached now

    await a.post("/key/block", { key });
    const tookMs = await within(1_000, async () => (await chat(b, key)).status === 401);
    expect(tookMs).toBeLessThan(1_000);

    await a.post("/key/unblock", { key });
    await within(1_000, async () => (await chat(b, key)).status === 200);
  });

  test("a model restriction added on one instance applies on the other", async () => {
    const key = (await a.post("/key/generate", {})).body.key as string;
    expect((await chat(b, key)).status).toBe(200);
    await a.post("/key/update", { key, models: ["some-other-model"] });
    await within(1_000, async () => (await chat(b, key)).status === 401);
  });

  test("a key deleted on one instance stops working on the other", async () => {
    const key = (await a.post("/key/generate", {})).body.key as string;
    expect((await chat(b, key)).status).toBe(200);
    await a.post("/key/delete", { keys: [key] });
    await within(1_000, async () => (await chat(b, key)).status === 401);
  });
});
