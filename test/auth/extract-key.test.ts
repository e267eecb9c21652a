import { describe, expect, test } from "bun:test";
import { createKeyExtractor } from "../../src/auth/extract-key.ts";

const extract = createKeyExtractor(null);
const headers = (h: Record<string, string>) => new Headers(h);

describe("key extraction", () => {
  test("Authorization: Bearer, with any case of the scheme", () => {
    expect(extract(headers({ authorization: "Bearer sk-a" }))).toEqual({ ok: true, key: "sk-a" });
    expect(extract(headers({ authorization: "bearer sk-b" }))).toEqual({ ok: true, key: "sk-b" });
  });

  test("Authorization without the Bearer scheme is malformed; no header is missing", () => {
    expect(extract(headers({ authorization: "sk-a" }))).toEqual({ ok: false, reason: "malformed" });
    expect(extract(headers({}))).toEqual({ ok: false, reason: "missing" });
    expect(extract(headers({ authorization: "Bearer " }))).toEqual({ ok: false, reason: "missing" });
  });

  test("x-litellm-api-key wins over Authorization; api-key and x-api-key are used raw", () => {
    expect(extract(headers({ "x-litellm-api-key": "Bearer sk-l", authorization: "Bearer sk-a" }))).toEqual({ ok: true, key: "sk-l" });
    expect(extract(headers({ "api-key": "sk-azure" }))).toEqual({ ok: true, key: "sk-azure" });
    expect(extract(headers({ "x-api-key": "sk-anthropic" }))).toEqual({ ok: true, key: "sk-anthropic" });
  });

  test("litellm_key_header_name overrides every other header, with or without Bearer", () => {
    const custom = createKeyExtractor("X-Litellm-Key");
    expect(custom(headers({ "x-litellm-key": "Bearer sk-1234", authorization: "Bearer bad-key" }))).toEqual({ ok: true, key: "sk-1234" });
    expect(custom(headers({ "x-litellm-key": "sk-1234" }))).toEqual({ ok: true, key: "sk-1234" });
    expect(custom(headers({ authorization: "Bearer sk-1234" }))).toEqual({ ok: false, reason: "missing" });
  });
});
