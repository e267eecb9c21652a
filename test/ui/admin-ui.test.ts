/**
 * The admin UI in a real browser (chromium via playwright-core) against the real app
 * over HTTP, with a mock OpenAI upstream behind it: what a person signing in sees and
 * does, and that what they do in the UI holds on the API (a key created, blocked,
 * regenerated or deleted in the page works, or stops working, for a real chat call).
 * The cookie, CSRF and header checks without a browser are in session.test.ts.
 *
 * Screenshots of every page land in test-results/ui/ (see test/support/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { Locator, Page } from "playwright-core";
import { hashKey } from "../../src/auth/key-format.ts";
import type { Config } from "../../src/config/index.ts";
import { LAPTOP, PHONE, screenshot, settled, signIn, titled, useBrowser } from "../support/browser.ts";
import { Harness, MASTER_KEY } from "../support/harness.ts";
import { createKey, createTeam, createUser, uniqueId } from "../support/management.ts";
import { completionTokens, type MockOpenAI, promptTokens, startMockOpenAI } from "../support/mock-openai.ts";
import { HELLO, UPSTREAM_KEY } from "../support/proxy.ts";

/** Priced so one call's cost is exact in binary and easy to read: 8 × 1/16 + 10 × 1/8 = $1.75. */
const PRICED = "priced-model";
const INPUT_COST = 0.0625;
const OUTPUT_COST = 0.125;
const MAX_TOKENS = 10;
/** Free, for the calls that only prove a key works or is refused. */
const FREE = "free-model";

/** A browser test waits on a page, an API and an upstream; Playwright gives up on any one wait after 10 s. */
const TIMEOUT = 30_000;

const CALL_COST = promptTokens({ messages: HELLO }) * INPUT_COST + completionTokens({ max_tokens: MAX_TOKENS }) * OUTPUT_COST;

let mock: MockOpenAI;
let harness: Harness;
const h = () => harness;
const ui = useBrowser();

beforeAll(async () => {
  mock = startMockOpenAI();
  const upstream = (name: string, input: number, output: number) => ({
    model_name: name,
    litellm_params: { model: `openai/${name}`, api_base: `${mock.url}/v1`, api_key: UPSTREAM_KEY, input_cost_per_token: input, output_cost_per_token: output },
  });
  const config = {
    model_list: [upstream(PRICED, INPUT_COST, OUTPUT_COST), upstream(FREE, 0, 0)],
    // Spend logs reach the database (and the Spend page) within a tenth of a second.
    general_settings: { proxy_batch_write_at: 0.1 },
  } as Partial<Config>;
  harness = await Harness.start("sqlite", { config });
});

afterAll(async () => {
  await harness?.stop();
  await mock?.close();
});

/** A chat call with `key`, as an application using the official SDK makes it; the HTTP status it got. */
async function chatStatus(key: string, model = FREE): Promise<number> {
  const client = new OpenAI({ apiKey: key, baseURL: `${h().url}/v1`, maxRetries: 0 });
  try {
    await client.chat.completions.create({ model, messages: HELLO as OpenAI.ChatCompletionMessageParam[], max_tokens: MAX_TOKENS });
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined) return error.status;
    throw error;
  }
}

/** Waits until the ledger has written `count` spend log rows for the key (flushes run every 0.1 s). */
async function spendLogsFlushed(token: string, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const res = await h().get(`/spend/logs?api_key=${token}`);
    if (res.status === 200 && Array.isArray(res.body) && res.body.length >= count) return;
    if (Date.now() > deadline) throw new Error(`spend logs of ${token} not flushed after 5 s: ${JSON.stringify(res.body)}`);
    await Bun.sleep(25);
  }
}

/** The Keys table's row for the key with this alias. */
const keyRow = (page: Page, alias: string) => page.getByRole("table", { name: "Keys" }).getByRole("row").filter({ hasText: alias });

/** One cell of a table row, by its column (every cell carries its column's label for the phone layout). */
const cell = (row: Locator, column: string) => row.locator(`td[data-label="${column}"]`);

/** The aliases the Keys table lists, in order. */
const listedAliases = (page: Page) => page.getByRole("table", { name: "Keys" }).locator("tbody td[data-label=Key] strong").allTextContents();

/** The page's own navigation, in the top bar. */
const pageNav = (page: Page) => page.getByRole("banner").getByRole("navigation");

describe("admin UI in a browser", () => {
  test("sign in: a wrong key shows the API's refusal and stays on sign-in; the master key signs in; sign out clears the HttpOnly, SameSite=Strict session cookie", async () => {
    const { page, context } = await ui.open(h());
    await page.goto("/ui");
    const keyField = page.getByLabel("Key", { exact: true });
    await expect(keyField.getAttribute("type")).resolves.toBe("password");

    await keyField.fill("sk-not-a-key-at-all");
    await page.getByRole("button", { name: "Sign in" }).click();
    const refusal = (await h().post("/ui/session", { key: "sk-not-a-key-at-all" }, null)).body.error.message as string;
    expect(refusal.length).toBeGreaterThan(10);
    expect((await page.getByRole("alert").textContent())?.trim()).toBe(refusal);
    expect(await page.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
    expect((await context.cookies()).map((c) => c.name)).not.toContain("tollgate_session");

    await keyField.fill(MASTER_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Keys" }).waitFor();
    expect(await page.getByRole("banner").getByText("Master key").isVisible()).toBe(true);
    await titled(page, "Keys · tollgate");
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "tollgate_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(cookies.find((c) => c.name === "tollgate_csrf")).toMatchObject({ httpOnly: false, sameSite: "Strict" });
    // Page scripts cannot read the key: only the CSRF token is visible to them.
    expect(await page.evaluate(() => document.cookie)).not.toContain(MASTER_KEY);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(MASTER_KEY);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect((await context.cookies()).map((c) => c.name)).not.toContain("tollgate_session");
    // Reloading does not sign back in.
    await page.reload();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("heading", { name: "Keys" }).count()).toBe(0);
  }, TIMEOUT);

  test("create a key in the form: shown once with a copy button; a chat call with it shows its spend against its budget on Keys, and the request on Spend", async () => {
    const { page, context } = await ui.open(h());
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signIn(page, MASTER_KEY);

    await page.getByRole("button", { name: "Create key" }).click();
    const form = page.getByRole("dialog", { name: "Create key" });
    await form.getByLabel("Alias", { exact: true }).fill("ui-created");
    await form.getByLabel("Models", { exact: true }).fill(PRICED);
    await form.locator("summary", { hasText: "Budget" }).click();
    await form.getByLabel("Max budget (USD)").fill("10");
    await form.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByRole("dialog", { name: "Key “ui-created” created" });
    const secret = await shown.getByLabel("The new key").inputValue();
    expect(secret).toMatch(/^sk-/);
    await shown.getByRole("button", { name: "Copy" }).click();
    await shown.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shown.getByRole("button", { name: "Done" }).click();
    await shown.waitFor({ state: "detached" });
    // Shown once: nowhere on the page any more, and only its masked name in the list.
    expect(await page.content()).not.toContain(secret);
    const row = keyRow(page, "ui-created");
    expect(await cell(row, "Models").textContent()).toBe(PRICED);
    expect(await cell(row, "Spend").textContent()).toBe("$0.00 / $10.00");

    expect(CALL_COST).toBe(1.75);
    expect(await chatStatus(secret, PRICED)).toBe(200);
    await spendLogsFlushed(hashKey(secret), 1);

    await page.reload();
    expect(await cell(keyRow(page, "ui-created"), "Spend").textContent()).toBe("$1.75 / $10.00");
    expect(await keyRow(page, "ui-created").getByRole("meter").getAttribute("aria-label")).toBe("18% of budget spent");

    // The Spend page lists the request with its cost.
    await pageNav(page).getByRole("link", { name: "Spend" }).click();
    await page.getByRole("heading", { level: 1, name: "Spend" }).waitFor();
    const request = page.getByRole("table", { name: "Latest requests" }).getByRole("row").filter({ hasText: "ui-created" });
    await request.first().waitFor();
    expect(await request.count()).toBe(1);
    expect(await cell(request, "Model").textContent()).toBe(PRICED);
    expect(await cell(request, "Cost").textContent()).toBe("$1.75");
  }, TIMEOUT);

  test("the create form reaches every /key/generate field: limits, access, and anything else as JSON", async () => {
    const { page } = await ui.open(h());
    await signIn(page, MASTER_KEY);

    await page.getByRole("button", { name: "Create key" }).click();
    const form = page.getByRole("dialog", { name: "Create key" });
    await form.getByLabel("Alias", { exact: true }).fill("every-field");
    await form.locator("summary", { hasText: "Rate limits" }).click();
    await form.getByLabel("Requests per minute", { exact: true }).fill("42");
    await form.getByLabel("Requests-per-minute limit type").selectOption("guaranteed_throughput");
    await form.locator("summary", { hasText: "Access" }).click();
    await form.getByLabel("Allowed routes").fill("llm_api_routes, /key/info");
    await form.locator("summary", { hasText: "Metadata and more" }).click();
    await form.getByLabel("Tags").fill("team-a, nightly");
    await form.getByLabel("Other fields (JSON)").fill('{"allowed_vector_store_indexes": [{"index_name": "docs", "index_permissions": ["read"]}]}');
    await form.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("dialog", { name: "Key “every-field” created" }).getByRole("button", { name: "Done" }).click();

    const listed = await h().get("/key/list?key_alias=every-field&return_full_object=true");
    expect(listed.body.keys).toHaveLength(1);
    expect(listed.body.keys[0]).toMatchObject({
      rpm_limit: 42,
      rpm_limit_type: "guaranteed_throughput",
      allowed_routes: ["llm_api_routes", "/key/info"],
      tags: ["team-a", "nightly"],
      allowed_vector_store_indexes: [{ index_name: "docs", index_permissions: ["read"] }],
    });
  }, TIMEOUT);

  test("block a key: it shows blocked and a chat call with it is refused with 401; unblock and it works again", async () => {
    const { key } = await createKey(h(), { key_alias: "block-me", models: [FREE] });
    const { page } = await ui.open(h());
    await signIn(page, MASTER_KEY);
    const row = keyRow(page, "block-me");
    expect(await cell(row, "State").textContent()).toBe("active");
    expect(await chatStatus(key)).toBe(200);

    await row.getByRole("button", { name: "Block “block-me”", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "“block-me” is blocked." }).waitFor();
    await row.getByRole("button", { name: "Unblock “block-me”", exact: true }).waitFor();
    expect(await cell(row, "State").textContent()).toBe("blocked");
    expect(await chatStatus(key)).toBe(401);

    await row.getByRole("button", { name: "Unblock “block-me”", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "“block-me” is unblocked." }).waitFor();
    await row.getByRole("button", { name: "Block “block-me”", exact: true }).waitFor();
    expect(await cell(row, "State").textContent()).toBe("active");
    expect(await chatStatus(key)).toBe(200);
  }, TIMEOUT);

  test("edit a key's alias and budget: the list shows the change, also after a reload", async () => {
    await createKey(h(), { key_alias: "edit-me", max_budget: 5 });
    const { page } = await ui.open(h());
    await signIn(page, MASTER_KEY);
    expect(await cell(keyRow(page, "edit-me"), "Spend").textContent()).toBe("$0.00 / $5.00");

    await page.getByRole("button", { name: "Edit “edit-me”" }).click();
    const form = page.getByRole("dialog", { name: "Edit “edit-me”" });
    const alias = form.getByLabel("Alias", { exact: true });
    expect(await alias.inputValue()).toBe("edit-me");
    await alias.fill("edited-alias");
    await form.locator("summary", { hasText: "Budget" }).click();
    const budget = form.getByLabel("Max budget (USD)");
    expect(await budget.inputValue()).toBe("5");
    await budget.fill("20");
    await form.getByRole("button", { name: "Save changes" }).click();

    await page.getByRole("status").filter({ hasText: "“edit-me” is saved." }).waitFor();
    await cell(keyRow(page, "edited-alias"), "Spend").filter({ hasText: "$0.00 / $20.00" }).waitFor();
    await page.reload();
    expect(await cell(keyRow(page, "edited-alias"), "Spend").textContent()).toBe("$0.00 / $20.00");
    expect(await listedAliases(page)).not.toContain("edit-me");
  }, TIMEOUT);

  test("regenerate shows the new key once and the old one stops working; delete asks first, then the key is gone", async () => {
    const old = await createKey(h(), { key_alias: "regen-me", models: [FREE] });
    const { page } = await ui.open(h());
    await signIn(page, MASTER_KEY);

    await page.getByRole("button", { name: "Regenerate “regen-me”" }).click();
    await page.getByRole("dialog", { name: "Regenerate “regen-me”" }).getByRole("button", { name: "Regenerate" }).click();
    const shown = page.getByRole("dialog", { name: "Key “regen-me” created" });
    const secret = await shown.getByLabel("The new key").inputValue();
    expect(secret).toMatch(/^sk-/);
    expect(secret).not.toBe(old.key);
    await shown.getByRole("button", { name: "Done" }).click();
    // The list now names the new secret (by its last four characters), not the old one.
    await cell(keyRow(page, "regen-me"), "Key").filter({ hasText: `sk-...${secret.slice(-4)}` }).waitFor();
    expect(await chatStatus(old.key)).toBe(401);
    expect(await chatStatus(secret)).toBe(200);

    // Cancel keeps the key.
    await page.getByRole("button", { name: "Delete “regen-me”" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete “regen-me”?" });
    expect(await confirm.textContent()).toContain("This cannot be undone.");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    expect(await listedAliases(page)).toContain("regen-me");

    await page.getByRole("button", { name: "Delete “regen-me”" }).click();
    await confirm.getByRole("button", { name: "Delete key" }).click();
    await page.getByRole("status").filter({ hasText: "“regen-me” is deleted." }).waitFor();
    await keyRow(page, "regen-me").waitFor({ state: "detached" });
    await page.reload();
    await settled(page);
    expect(await listedAliases(page)).not.toContain("regen-me");
    expect(await chatStatus(secret)).toBe(401);
  }, TIMEOUT);

  test("a non-admin user sees exactly their own keys, and no Users or Customers pages", async () => {
    const alice = await createUser(h(), { user_role: "internal_user", auto_create_key: false });
    const bob = await createUser(h(), { user_role: "internal_user", auto_create_key: false });
    const aliceKey = await createKey(h(), { user_id: alice.user_id, key_alias: "alice-one" });
    await createKey(h(), { user_id: alice.user_id, key_alias: "alice-two" });
    await createKey(h(), { user_id: bob.user_id, key_alias: "bob-one" });

    const { page } = await ui.open(h());
    await signIn(page, aliceKey.key);

    expect(await page.getByRole("banner").getByText("alice-one").isVisible()).toBe(true);
    expect((await listedAliases(page)).sort()).toEqual(["alice-one", "alice-two"]);
    expect(await cell(keyRow(page, "alice-one"), "Owner").textContent()).toBe(alice.user_id);
    expect(await pageNav(page).getByRole("link").allTextContents()).toEqual(["Keys", "Teams", "Models", "Spend"]);
    // Opening an admin page's address does not show it either.
    await page.evaluate(() => {
      location.hash = "#/users";
    });
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Keys" }).waitFor();
    expect(await page.getByRole("heading", { level: 1, name: "Users" }).count()).toBe(0);
  }, TIMEOUT);

  test("XSS: a key alias full of markup is shown as text and runs nothing; the CSP on /ui forbids inline script", async () => {
    const alias = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    await createKey(h(), { key_alias: alias });
    const { page, problems } = await ui.open(h());
    await signIn(page, MASTER_KEY);

    expect(await listedAliases(page)).toContain(alias);
    expect(await page.getByText(alias, { exact: true }).isVisible()).toBe(true);
    // Its dialogs name it as text too.
    await page.getByRole("button", { name: `Delete “${alias}”` }).click();
    await page.getByRole("dialog", { name: `Delete “${alias}”?` }).getByRole("heading", { name: `Delete “${alias}”?` }).waitFor();
    expect(await page.locator("#app img, #app script").count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();

    const res = await fetch(`${h().url}/ui`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    // And the browser enforces it: an inline script injected into the page is refused, not run.
    const violated = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener("securitypolicyviolation", (event) => resolve(event.effectiveDirective), { once: true });
          const script = document.createElement("script");
          script.textContent = "window.__inline = 1";
          document.body.append(script);
        }),
    );
    expect(violated).toBe("script-src-elem");
    expect(await page.evaluate(() => (window as { __inline?: unknown }).__inline)).toBeUndefined();
    // That refusal is the one CSP report this test expects.
    expect(problems).toEqual([expect.stringContaining("Content Security Policy")]);
    problems.length = 0;
  }, TIMEOUT);

  test("keyboard only: sign in with Enter, Tab to Create key, fill the form and submit with Enter, close with Escape", async () => {
    const { page } = await ui.open(h());
    await page.goto("/ui");
    const keyField = page.getByLabel("Key", { exact: true });
    await keyField.waitFor();
    expect(await keyField.evaluate((field) => field === document.activeElement)).toBe(true);
    await page.keyboard.type(MASTER_KEY);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Keys" }).waitFor();

    await tabTo(page, "Create key");
    await page.keyboard.press("Enter");
    const form = page.getByRole("dialog", { name: "Create key" });
    await form.waitFor();
    await tabTo(page, "Alias");
    await page.keyboard.type("typed-key");
    await page.keyboard.press("Enter");
    const shown = page.getByRole("dialog", { name: "Key “typed-key” created" });
    await shown.waitFor();
    await page.keyboard.press("Escape");
    await shown.waitFor({ state: "detached" });
    await keyRow(page, "typed-key").waitFor();
  }, TIMEOUT);

  test("phone width: the Keys page does not overflow sideways, and the menu button opens the navigation", async () => {
    await createKey(h(), { key_alias: "a-rather-long-key-alias-for-a-narrow-phone-screen", models: [PRICED, FREE, "another-model-group"], max_budget: 12.5, rpm_limit: 60, tpm_limit: 100000 });
    const { page } = await ui.open(h(), { viewport: PHONE, isMobile: true, hasTouch: true });
    await signIn(page, MASTER_KEY);

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "keys-phone");

    const menu = page.getByRole("button", { name: "Menu" });
    const spendLink = pageNav(page).getByRole("link", { name: "Spend" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await spendLink.isVisible()).toBe(false);
    await menu.click();
    await spendLink.waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await spendLink.click();
    await page.getByRole("heading", { level: 1, name: "Spend" }).waitFor();
    // Choosing a page folds the menu away again.
    await spendLink.waitFor({ state: "hidden" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, "spend-phone");
  }, TIMEOUT);

  test("screenshots of every page at laptop width", async () => {
    const team = await createTeam(h(), { team_alias: "Platform team", max_budget: 100, models: [PRICED, FREE] });
    await createUser(h(), { user_id: uniqueId("dana"), user_email: "dana@example.com", user_role: "internal_user", max_budget: 50 });
    await createKey(h(), { key_alias: "platform-service", team_id: team.team_id, models: [FREE] });
    const customer = await h().post("/customer/new", { user_id: uniqueId("acme"), alias: "Acme Corp", max_budget: 25 });
    expect(customer.status).toBe(200);

    const { page } = await ui.open(h(), { viewport: LAPTOP });
    await page.goto("/ui");
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await screenshot(page, "sign-in");
    await signIn(page, MASTER_KEY);
    await screenshot(page, "keys");

    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("dialog", { name: "Create key" }).waitFor();
    await screenshot(page, "create-key-dialog", { fullPage: false });
    await page.getByRole("dialog", { name: "Create key" }).getByRole("button", { name: "Cancel" }).click();

    // Each page, reached from the navigation, shows what was just set up.
    const pages: [title: string, shows: string | null][] = [
      ["Users", "dana@example.com"],
      ["Teams", "Platform team"],
      ["Customers", "Acme Corp"],
      ["Models", PRICED],
      ["Spend", null],
    ];
    for (const [title, shows] of pages) {
      await pageNav(page).getByRole("link", { name: title }).click();
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
      await titled(page, `${title} · tollgate`);
      await settled(page);
      if (shows) await page.getByRole("main").getByText(shows).first().waitFor();
      await screenshot(page, title.toLowerCase());
    }

    await page.goto(`/ui#/teams/${encodeURIComponent(team.team_id)}`);
    await page.getByRole("heading", { level: 1, name: "Platform team" }).waitFor();
    await settled(page);
    await screenshot(page, "team-detail");
  }, TIMEOUT);
});

/** Presses Tab until the focused element is named `name` (its label, aria-label or text); fails after 40 presses. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element) return "";
      const label = element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null;
      return (element.getAttribute("aria-label") ?? label ?? element.textContent ?? "").trim();
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached “${name}”`);
}
