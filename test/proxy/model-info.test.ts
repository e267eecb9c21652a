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
      azure_ad_token: "secret-6",
      aws_access_key_id: "secret-7",
      temperature: 0.2,
      // Prices and limits that mention tokens are not credentials.
      input_cost_per_token: 0.000001,
      cache_read_input_token_cost: 0.0000005,
      max_tokens: 4096,
      extra_headers: { Authorization: "Bearer secret-4", "x-api-key": "secret-5", "x-team": "blue" },
    },
  } as unknown as Deployment;
  const shown = publicParams(deployment);
  expect(shown).toEqual({ model: "openai/gpt-4o", temperature: 0.2, input_cost_per_token: 0.000001, cache_read_input_token_cost: 0.0000005, max_tokens: 4096, extra_headers: { Authorization: "[redacted]", "x-api-key": "[redacted]", "x-team": "blue" } });
  expect(JSON.stringify(shown)).not.toContain("secret");
});
