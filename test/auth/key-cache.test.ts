import { describe, expect, test } from "bun:test";
import { KeyCache } from "../../src/auth/key-cache.ts";

describe("KeyCache", () => {
  const cache = () => new KeyCache<{ user: string }>({ ttlMs: 1_000, negativeTtlMs: 100, maxEntries: 3 });

  test("hits until the TTL runs out; unknown tokens are cached for the shorter negative TTL", () => {
    const c = cache();
    c.set("a", { user: "u" }, 0);
    c.set("missing", null, 0);
    expect(c.get("a", 999)).toEqual({ user: "u" });
    expect(c.get("missing", 99)).toBeNull();
    expect(c.get("missing", 100)).toBeUndefined();
    expect(c.get("a", 1_000)).toBeUndefined();
  });

  test("invalidates by token and by predicate", () => {
    const c = cache();
    c.set("a", { user: "u1" });
    c.set("b", { user: "u2" });
    c.invalidate("a");
    expect(c.get("a")).toBeUndefined();
    c.invalidateWhere((v) => v.user === "u2");
    expect(c.get("b")).toBeUndefined();
  });

  test("evicts the oldest entry beyond maxEntries", () => {
    const c = cache();
    for (const t of ["a", "b", "c", "d"]) c.set(t, { user: t });
    expect(c.size).toBe(3);
    expect(c.get("a")).toBeUndefined();
    expect(c.get("d")).toEqual({ user: "d" });
  });

  test("refreshing a cached token when full evicts nothing", () => {
    const c = cache();
    for (const t of ["a", "b", "c"]) c.set(t, { user: t });
    c.set("b", { user: "b2" });
    expect(c.size).toBe(3);
    expect(c.get("a")).toEqual({ user: "a" });
    expect(c.get("b")).toEqual({ user: "b2" });
  });
});
