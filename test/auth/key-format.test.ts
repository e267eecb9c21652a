import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { generateKey, hashKey, keyName, maskKey, secretChecker, sha256, toToken } from "../../src/auth/key-format.ts";
import { isRouteAllowed, routesForKeyType } from "../../src/auth/routes.ts";

describe("key format", () => {
  test("generated keys are sk- plus 22 url-safe characters, all different", () => {
    const keys = new Set(Array.from({ length: 1000 }, generateKey));
    expect(keys.size).toBe(1000);
    for (const k of keys) expect(k).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
  });

  test("the stored token is LiteLLM's sha256 hex of the plaintext", () => {
    expect(hashKey("sk-1234")).toBe(createHash("sha256").update("sk-1234").digest("hex"));
    expect(toToken("sk-1234")).toBe(hashKey("sk-1234"));
    expect(toToken(hashKey("sk-1234"))).toBe(hashKey("sk-1234"));
  });

  test("display forms never reveal the key", () => {
    expect(keyName("sk-abcdefghijklmnopqrstuv")).toBe("sk-...stuv");
    expect(maskKey("abcdefghijkl")).toBe("abcd****ijkl");
    expect(maskKey("short")).toBe("****");
  });

  test("secretChecker compares values, whatever their lengths", () => {
    const isMaster = secretChecker("sk-1234");
    expect(isMaster(sha256("sk-1234"))).toBe(true);
    expect(isMaster(sha256("sk-12345"))).toBe(false);
    expect(isMaster(sha256(""))).toBe(false);
    expect(sha256("sk-1234").toString("hex")).toBe(hashKey("sk-1234"));
  });
});

describe("allowed routes", () => {
  test("empty allows all; groups, exact paths and /* prefixes match", () => {
    expect(isRouteAllowed([], "/key/info")).toBe(true);
    expect(isRouteAllowed(["llm_api_routes"], "/v1/chat/completions")).toBe(true);
    expect(isRouteAllowed(["llm_api_routes"], "/key/info")).toBe(false);
    expect(isRouteAllowed(["/key/info"], "/key/info")).toBe(true);
    expect(isRouteAllowed(["/key/*"], "/key/regenerate")).toBe(true);
    expect(isRouteAllowed(["/key/*"], "/keyring")).toBe(false);
  });

  test("key_type maps to a route group", () => {
    expect(routesForKeyType("llm_api")).toEqual(["llm_api_routes"]);
    expect(routesForKeyType("read_only")).toEqual(["info_routes"]);
    expect(routesForKeyType("default")).toEqual([]);
  });
});
