import { describe, expect, test } from "bun:test";
import { HealthTracker } from "../../../src/proxy/router/health.ts";
import { selectDeployment, type SelectOptions } from "../../../src/proxy/router/select.ts";
import type { Deployment } from "../../../src/proxy/types.ts";
import { deployment, fakeClock, seededRandom } from "./fixtures.ts";

const pickMany = (deployments: Deployment[], options: SelectOptions, n: number): Map<string, number> => {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const picked = selectDeployment(deployments, options).deployment;
    if (picked === null) throw new Error("nothing selected");
    counts.set(picked.id, (counts.get(picked.id) ?? 0) + 1);
  }
  return counts;
};

const share = (counts: Map<string, number>, id: string, n: number): number => (counts.get(id) ?? 0) / n;

describe("simple-shuffle", () => {
  const N = 10_000;

  test("splits traffic by weight", () => {
    const group = [deployment("a", { weight: 1 }), deployment("b", { weight: 3 })];
    const counts = pickMany(group, { health: new HealthTracker(), random: seededRandom(1) }, N);
    expect(share(counts, "a", N)).toBeCloseTo(0.25, 1);
    expect(Math.abs(share(counts, "b", N) - 0.75)).toBeLessThan(0.02);
  });

  test("splits traffic by rpm when no weight is set", () => {
    const group = [deployment("a", { rpm: 100_000 }), deployment("b", { rpm: 400_000 })];
    const counts = pickMany(group, { health: new HealthTracker(), random: seededRandom(2) }, N);
    expect(Math.abs(share(counts, "a", N) - 0.2)).toBeLessThan(0.02);
  });

  test("splits traffic by tpm when neither weight nor rpm is set", () => {
    const group = [deployment("a", { tpm: 1_000_000 }), deployment("b", { tpm: 1_000_000 }), deployment("c", { tpm: 2_000_000 })];
    const counts = pickMany(group, { health: new HealthTracker(), random: seededRandom(3) }, N);
    expect(Math.abs(share(counts, "c", N) - 0.5)).toBeLessThan(0.02);
  });

  test("is uniform without weights", () => {
    const group = [deployment("a"), deployment("b"), deployment("c"), deployment("d")];
    const counts = pickMany(group, { health: new HealthTracker(), random: seededRandom(4) }, N);
    for (const id of ["a", "b", "c", "d"]) expect(Math.abs(share(counts, id, N) - 0.25)).toBeLessThan(0.02);
  });

  test("a weight of 0 gets no traffic", () => {
    const group = [deployment("a", { weight: 0 }), deployment("b", { weight: 2 })];
    const counts = pickMany(group, { health: new HealthTracker(), random: seededRandom(5) }, 1000);
    expect(counts.get("a")).toBeUndefined();
  });
});

describe("order", () => {
  test("only the lowest order is used while it is usable", () => {
    const health = new HealthTracker();
    const group = [deployment("backup", { order: 2 }), deployment("primary", { order: 1 })];
    const counts = pickMany(group, { health, random: seededRandom(6) }, 500);
    expect(counts.get("primary")).toBe(500);
  });

  test("the next order takes over when the lowest is cooling down", () => {
    const health = new HealthTracker();
    health.cooldown("primary");
    const group = [deployment("backup", { order: 2 }), deployment("primary", { order: 1 })];
    expect(selectDeployment(group, { health, random: seededRandom(7) }).deployment?.id).toBe("backup");
  });
});

describe("least-busy", () => {
  test("picks the deployment with the fewest calls in flight", () => {
    const health = new HealthTracker();
    health.begin("a");
    health.begin("a");
    health.begin("b");
    const group = [deployment("a"), deployment("b"), deployment("c")];
    expect(selectDeployment(group, { health, random: seededRandom(8), strategy: "least-busy" }).deployment?.id).toBe("c");
  });

  test("breaks ties at random", () => {
    const health = new HealthTracker();
    health.begin("a");
    const group = [deployment("a"), deployment("b"), deployment("c")];
    const counts = pickMany(group, { health, random: seededRandom(9), strategy: "least-busy" }, 2000);
    expect(counts.get("a")).toBeUndefined();
    expect(Math.abs(share(counts, "b", 2000) - 0.5)).toBeLessThan(0.05);
  });
});

describe("latency-based-routing", () => {
  test("tries a deployment without latency data first", () => {
    const health = new HealthTracker();
    health.recordSuccess("a", 100);
    const group = [deployment("a"), deployment("b")];
    expect(selectDeployment(group, { health, random: seededRandom(10), strategy: "latency-based-routing" }).deployment?.id).toBe("b");
  });

  test("picks the lowest moving-average latency", () => {
    const health = new HealthTracker();
    health.recordSuccess("fast", 100);
    health.recordSuccess("slow", 400);
    health.recordSuccess("slow", 300);
    const group = [deployment("slow"), deployment("fast")];
    const counts = pickMany(group, { health, random: seededRandom(11), strategy: "latency-based-routing" }, 200);
    expect(counts.get("fast")).toBe(200);
  });

  test("any deployment within lowest_latency_buffer of the best is eligible", () => {
    const health = new HealthTracker();
    health.recordSuccess("a", 100);
    health.recordSuccess("b", 140);
    health.recordSuccess("c", 300);
    const group = [deployment("a"), deployment("b"), deployment("c")];
    const options: SelectOptions = {
      health,
      random: seededRandom(12),
      strategy: "latency-based-routing",
      strategyArgs: { lowest_latency_buffer: 0.5 },
    };
    const counts = pickMany(group, options, 2000);
    expect(counts.get("c")).toBeUndefined();
    expect(Math.abs(share(counts, "a", 2000) - 0.5)).toBeLessThan(0.05);
  });
});

describe("usage-based-routing", () => {
  test("picks the lowest tokens used this minute", () => {
    const health = new HealthTracker();
    health.recordTokens("a", 500);
    health.recordTokens("b", 100);
    const group = [deployment("a"), deployment("b")];
    expect(selectDeployment(group, { health, random: seededRandom(13), strategy: "usage-based-routing-v2" }).deployment?.id).toBe("b");
  });
});

describe("unimplemented strategies", () => {
  test("cost-based-routing falls back to simple-shuffle and says so", () => {
    const warnings: string[] = [];
    const result = selectDeployment([deployment("a")], {
      health: new HealthTracker(),
      random: seededRandom(14),
      strategy: "cost-based-routing",
      warn: (m) => warnings.push(m),
    });
    expect(result.deployment?.id).toBe("a");
    expect(warnings[0]).toContain("cost-based-routing");
  });
});

describe("limits and cooldowns", () => {
  test("a deployment that reached its rpm this minute is skipped until the next minute", () => {
    const clock = fakeClock();
    const health = new HealthTracker({ now: clock.now });
    const group = [deployment("small", { rpm: 2, order: 1 }), deployment("big", { order: 2, rpm: 1000 })];
    const options: SelectOptions = { health, random: seededRandom(15) };
    health.begin("small");
    health.begin("small");
    expect(selectDeployment(group, options).deployment?.id).toBe("big");
    clock.advance(60_000);
    expect(selectDeployment(group, options).deployment?.id).toBe("small");
  });

  test("a deployment that reached its tpm this minute is skipped", () => {
    const health = new HealthTracker();
    health.recordTokens("a", 1000);
    const group = [deployment("a", { tpm: 1000 }), deployment("b", { tpm: 1000 })];
    const counts = pickMany(group, { health, random: seededRandom(16) }, 100);
    expect(counts.get("b")).toBe(100);
  });

  test("max_parallel_requests caps calls in flight", () => {
    const health = new HealthTracker();
    health.begin("a");
    const group = [deployment("a", { max_parallel_requests: 1 })];
    expect(selectDeployment(group, { health, random: seededRandom(17) }).deployment).toBeNull();
  });

  test("reports the shortest remaining cooldown when every deployment is cooling down", () => {
    const clock = fakeClock();
    const health = new HealthTracker({ now: clock.now, cooldownTimeS: 5 });
    health.cooldown("a");
    clock.advance(2000);
    health.cooldown("b");
    const result = selectDeployment([deployment("a"), deployment("b")], { health, random: seededRandom(18) });
    expect(result.deployment).toBeNull();
    if (result.deployment === null) {
      expect(result.cooldownRemainingMs).toBe(3000);
      expect(result.cooldownList).toEqual(["a", "b"]);
    }
  });

  test("a deployment already tried is avoided while another is usable", () => {
    const group = [deployment("a"), deployment("b")];
    const counts = pickMany(group, { health: new HealthTracker(), random: seededRandom(19), avoid: new Set(["a"]) }, 100);
    expect(counts.get("b")).toBe(100);
    const only = selectDeployment([deployment("a")], { health: new HealthTracker(), random: seededRandom(20), avoid: new Set(["a"]) });
    expect(only.deployment?.id).toBe("a");
  });
});
