/** Shared builders for the router tests: deployments, a seeded random, a fake clock. */
import type { LitellmParams } from "../../../src/config/index.ts";
import type { Deployment } from "../../../src/proxy/types.ts";

/** A deployment of `group` with the given router-relevant params. */
export const deployment = (id: string, params: Partial<LitellmParams> = {}, group = "gpt-4o"): Deployment => ({
  id,
  modelName: group,
  provider: "openai",
  model: "gpt-4o",
  apiBase: `https://${id}.example.test/v1`,
  apiKey: null,
  apiVersion: null,
  params: { model: "openai/gpt-4o", ...params },
  modelInfo: { id },
});

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A clock the test moves by hand; starts at the beginning of a minute. */
export const fakeClock = (start = 1_700_000_040_000) => {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
};
