import { expect, test } from "bun:test";
import { describeStores } from "../support/harness.ts";

const MANAGEMENT_ROUTES: [string, string][] = [
  ["post", "/key/generate"],
  ["post", "/key/update"],
  ["post", "/key/delete"],
  ["get", "/key/info"],
  ["post", "/v2/key/info"],
  ["get", "/key/list"],
  ["get", "/key/aliases"],
  ["post", "/key/regenerate"],
  ["post", "/key/{key}/regenerate"],
  ["post", "/key/{key}/reset_spend"],
  ["post", "/key/block"],
  ["post", "/key/unblock"],
  ["post", "/user/new"],
  ["get", "/user/info"],
  ["post", "/user/update"],
  ["post", "/user/delete"],
  ["get", "/user/list"],
  ["post", "/team/new"],
  ["get", "/team/info"],
  ["post", "/team/update"],
  ["post", "/team/delete"],
  ["get", "/team/list"],
  ["post", "/team/member_add"],
  ["post", "/team/member_delete"],
  ["post", "/team/member_update"],
  ["post", "/team/block"],
  ["post", "/team/unblock"],
  ["post", "/team/model/add"],
  ["post", "/team/model/delete"],
  ["post", "/customer/new"],
  ["get", "/customer/info"],
  ["post", "/customer/update"],
  ["post", "/customer/delete"],
  ["get", "/customer/list"],
  ["post", "/customer/block"],
  ["post", "/customer/unblock"],
  ["post", "/budget/new"],
  ["post", "/budget/update"],
  ["post", "/budget/info"],
  ["get", "/budget/list"],
  ["post", "/budget/delete"],
];

describeStores("API reference", (h) => {
  test("/openapi.json documents every management route with its body and error responses", async () => {
    const res = await h().get("/openapi.json", null);
    expect(res.status).toBe(200);
    const spec = res.body;
    expect(spec.info.title).toBe("tollgate");
    expect(spec.components.schemas.ErrorEnvelope).toBeDefined();
    for (const [method, path] of MANAGEMENT_ROUTES) {
      const op = spec.paths[path]?.[method];
      expect({ path, method, documented: op !== undefined }).toEqual({ path, method, documented: true });
      expect(op.summary).toBeString();
      expect(op.responses["401"]).toBeDefined();
      if (method === "post" && !path.includes("{key}/regenerate")) expect(op.requestBody).toBeDefined();
    }
    const generate = spec.paths["/key/generate"].post.requestBody.content["application/json"].schema;
    expect(Object.keys(generate.properties)).toEqual(expect.arrayContaining(["models", "max_budget", "duration", "key_alias", "metadata", "tags"]));
    expect(spec.paths["/health/liveliness"].get).toBeDefined();
  });

  test("/docs serves Swagger UI from embedded assets, no CDN", async () => {
    const res = await h().get("/docs", null);
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain("/docs/assets/swagger-ui-bundle.js");
    expect(String(res.body)).not.toContain("unpkg.com");
    const script = await h().get("/docs/assets/swagger-ui-bundle.js", null);
    expect(script.status).toBe(200);
    expect(String(script.body)).toContain("SwaggerUIBundle");
  });
});
