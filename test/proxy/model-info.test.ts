import { expect, test } from "bun:test";
import { publicParams } from "../../src/proxy/model-info.ts";
import type { Deployment } from "../../src/proxy/types.ts";

test("deployment params shown to clients carry no credentials, in fields or in extra headers", () => {
  const deployment = {
    params: {
      model: "openai/gpt-4o",
      api_key: "sk-secret-1",
      aws_secret_access_key: "secret-2",
      vertex_credentials: "secret-3",
      temperature: 0.2,
      extra_headers: { Authorization: "Bearer secret-4", "x-api-key": "secret-5", "x-team": "blue" },
    },
  } as unknown as Deployment;
  const shown = publicParams(deployment);
  expect(shown).toEqual({ model: "openai/gpt-4o", temperature: 0.2, extra_headers: { Authorization: "[redacted]", "x-api-key": "[redacted]", "x-team": "blue" } });
  expect(JSON.stringify(shown)).not.toContain("secret");
});
