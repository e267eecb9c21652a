/**
 * The admin UI's sign-in over plain HTTP: the session cookie, its CSRF token, and the
 * headers /ui is served with. The browser flows are in admin-ui.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { csrfToken } from "../../src/auth/session-cookie.ts";
import { describeStores, Harness, MASTER_KEY } from "../support/harness.ts";
import { createKey, createUser, expectError, uniqueId } from "../support/management.ts";

/** Signs in like the browser does; returns the Cookie header to send back and the CSRF token. */
async function signIn(h: Harness, key: string, headers: Record<string, string> = {}) {
  const res = await h.request("POST", "/ui/session", { body: { key }, headers });
  const setCookies = res.headers.getSetCookie();
  const cookie = setCookies.map((c) => c.split(";")[0]).join("; ");
  const csrf = setCookies.find((c) => c.startsWith("tollgate_csrf="))?.split(";")[0]?.slice("tollgate_csrf=".length) ?? "";
  return { res, setCookies, cookie, csrf };
}

describeStores("admin UI session cookie", (h) => {
  test("signing in with the master key sets an HttpOnly, SameSite=Strict session cookie and a CSRF cookie, and says who is signed in", async () => {
    const { res, setCookies } = await signIn(h(), MASTER_KEY);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ signed_in_with: "master_key", user_id: "default_user_id", user_role: "proxy_admin", key_alias: null, key_name: null, team_id: null });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const session = setCookies.find((c) => c.startsWith("tollgate_session="))!;
    expect(session).toContain("HttpOnly");
    expect(session).toContain("SameSite=Strict");
    expect(session).toContain("Path=/");
    expect(session).not.toContain("Secure"); // plain HTTP: a Secure cookie would never come back
    const csrf = setCookies.find((c) => c.startsWith("tollgate_csrf="))!;
    expect(csrf).not.toContain("HttpOnly"); // the page must read it to echo it
    expect(csrf).toContain(`tollgate_csrf=${csrfToken(MASTER_KEY)};`);
    // Neither the body nor the CSRF token gives the key away.
    expect(JSON.stringify(res.body)).not.toContain(MASTER_KEY);
    expect(csrf).not.toContain(MASTER_KEY);
  });

  test("behind a TLS-terminating proxy (x-forwarded-proto: https) both cookies are Secure", async () => {
    const { res, setCookies } = await signIn(h(), MASTER_KEY, { "x-forwarded-proto": "https" });
    expect(res.status).toBe(200);
    expect(setCookies).toHaveLength(2);
    for (const cookie of setCookies) expect(cookie).toContain("; Secure");
  });

  test("a wrong key is the key check's 401 and sets no cookie", async () => {
    const { res, setCookies } = await signIn(h(), "sk-not-a-key-at-all");
    expectError(res, { status: 401, type: "token_not_found_in_db" });
    expect(setCookies).toEqual([]);
  });

  test("an empty key is a 422 and sets no cookie", async () => {
    const { res, setCookies } = await signIn(h(), "");
    expect(res.status).toBe(422);
    expect(setCookies).toEqual([]);
  });

  test("the cookie alone reads the API; a change needs the CSRF header, and without it nothing is changed", async () => {
    const { cookie, csrf } = await signIn(h(), MASTER_KEY);
    const list = await h().request("GET", "/key/list?return_full_object=true", { headers: { cookie } });
    expect(list.status).toBe(200);

    const alias = uniqueId("csrf-alias");
    const forged = await h().request("POST", "/key/generate", { body: { key_alias: alias }, headers: { cookie } });
    expectError(forged, { status: 403, type: "auth_error", message: "x-tollgate-csrf" });
    const wrong = await h().request("POST", "/key/generate", { body: { key_alias: alias }, headers: { cookie, "x-tollgate-csrf": csrfToken("sk-someone-else") } });
    expectError(wrong, { status: 403, type: "auth_error" });
    const none = await h().get(`/key/list?key_alias=${alias}`);
    expect(none.body.keys).toEqual([]);

    const made = await h().request("POST", "/key/generate", { body: { key_alias: alias }, headers: { cookie, "x-tollgate-csrf": csrf } });
    expect(made.status).toBe(200);
    expect((await h().get(`/key/list?key_alias=${alias}`)).body.keys).toHaveLength(1);
  });

  test("model calls by cookie need the CSRF header too", async () => {
    const { cookie } = await signIn(h(), MASTER_KEY);
    const res = await h().request("POST", "/v1/chat/completions", { body: { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }, headers: { cookie } });
    expectError(res, { status: 403, type: "auth_error", message: "x-tollgate-csrf" });
  });

  test("a key in a header wins over the session cookie", async () => {
    const { cookie } = await signIn(h(), MASTER_KEY);
    const user = await createUser(h());
    // As the master key (the cookie) this would list every key; the header's key sees only its owner's.
    const res = await h().request("GET", "/key/list", { headers: { cookie, authorization: `Bearer ${user.key}` } });
    expect(res.status).toBe(200);
    expect(res.body.keys).toEqual([user.token]);
    const bad = await h().request("GET", "/key/list", { headers: { cookie, authorization: "Bearer sk-unknown" } });
    expect(bad.status).toBe(401);
  });

  test("a user's key signs in as that user, and the cookie then sees only what the key may", async () => {
    const user = await createUser(h(), { user_role: "internal_user" });
    const other = await createKey(h(), { key_alias: uniqueId("someone-elses") });
    const { res, cookie } = await signIn(h(), user.key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ signed_in_with: "virtual_key", user_id: user.user_id, user_role: "internal_user" });
    expect(JSON.stringify(res.body)).not.toContain(user.key);
    expect(JSON.stringify(res.body)).not.toContain(user.token);

    const who = await h().request("GET", "/ui/session", { headers: { cookie } });
    expect(who.body.user_id).toBe(user.user_id);
    const keys = await h().request("GET", "/key/list", { headers: { cookie } });
    expect(keys.body.keys).toEqual([user.token]);
    expect(keys.body.keys).not.toContain(other.token);
  });

  test("a blocked key's session stops working at once", async () => {
    const user = await createUser(h());
    const { cookie } = await signIn(h(), user.key);
    expect((await h().request("GET", "/ui/session", { headers: { cookie } })).status).toBe(200);
    expect((await h().post("/key/block", { key: user.key })).status).toBe(200);
    const after = await h().request("GET", "/ui/session", { headers: { cookie } });
    expectError(after, { status: 401, type: "auth_error", message: "blocked" });
  });

  test("GET /ui/session without a cookie is 401; signing out clears both cookies", async () => {
    expect((await h().request("GET", "/ui/session")).status).toBe(401);
    const out = await h().request("DELETE", "/ui/session");
    expect(out.status).toBe(200);
    const cleared = out.headers.getSetCookie();
    expect(cleared.map((c) => c.split("=")[0]).sort()).toEqual(["tollgate_csrf", "tollgate_session"]);
    for (const c of cleared) expect(c).toContain("Max-Age=0");
  });
});

describeStores("admin UI pages", (h) => {
  test("/ui is served with a CSP that forbids inline script and style, and is never framed", async () => {
    for (const path of ["/ui", "/ui/"]) {
      const res = await fetch(h().url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const html = await res.text();
      // The page itself holds no script or style body for the CSP to refuse.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toContain("<style");
    }
  });

  test("assets are served by content hash with a long cache; an unknown asset is a 404", async () => {
    const html = await (await fetch(`${h().url}/ui`)).text();
    const script = html.match(/\/ui\/assets\/app\.[a-z0-9]+\.js/)![0];
    const res = await fetch(h().url + script);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expectError(await h().request("GET", "/ui/assets/app.nope.js"), { status: 404, type: "not_found_error" });
  });
});

describe("admin UI without a master key", () => {
  test("signing in is refused with a 403 that says what to configure", async () => {
    const h = await Harness.start("sqlite", { masterKey: null });
    try {
      const res = await h.request("POST", "/ui/session", { body: { key: "sk-anything" } });
      expectError(res, { status: 403, type: "auth_error", message: "master key" });
      expect(res.headers.getSetCookie()).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
