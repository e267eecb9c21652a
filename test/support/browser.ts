/// <reference lib="dom" />
// The functions these suites hand to page.evaluate run in the browser, against its DOM.
/**
 * A real browser for the admin UI suites: Debian's chromium, driven by playwright-core.
 *
 *   const ui = useBrowser();                       // one chromium for the whole file
 *   const { page } = await ui.open(h());           // a fresh context (cookies, storage) per call
 *   await signIn(page, MASTER_KEY);
 *   await screenshot(page, "keys");                 // test-results/ui/keys.png
 *
 * Every page opened here records what a person would notice as broken: uncaught
 * script errors and Content-Security-Policy violations. `useBrowser` fails the test
 * that opened a page when any were recorded, and closes the contexts after each test.
 */
import { afterAll, afterEach, beforeAll, expect } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import type { Harness } from "./harness.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOT_DIR = resolve(import.meta.dir, "..", "..", "test-results", "ui");

/** A laptop and a phone (an iPhone 12–15's CSS pixels). */
export const LAPTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  // Without these chromium keeps dialing Google's services, which on a closed network
  // means a flood of refused connections.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors and CSP violations seen so far; checked after each test. */
  problems: string[];
}

export interface BrowserFixture {
  /** A new context (no cookies) with one page, its base URL set to the harness. */
  open(h: Harness, options?: BrowserContextOptions): Promise<OpenedPage>;
}

/** Launches chromium once for the file; each `open` is a fresh context, closed after its test. */
export function useBrowser(): BrowserFixture {
  let browser: Browser | undefined;
  let opened: OpenedPage[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`The admin UI tests drive a real browser, and ${CHROMIUM} is missing. Install it with scripts/install-browser.sh (Debian's chromium package).`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  });

  afterEach(async () => {
    const problems = opened.flatMap((o) => o.problems);
    await Promise.all(opened.map((o) => o.context.close()));
    opened = [];
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    async open(h, options = {}) {
      if (!browser) throw new Error("the browser is not running (did beforeAll fail?)");
      const context = await browser.newContext({ baseURL: h.url, viewport: LAPTOP, locale: "en-US", ...options });
      // Auto-waiting actions give up after 10 s: long enough on a busy CI machine, short enough to fail before bun's timeout.
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`uncaught error on the page: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" && message.text().includes("Content Security Policy")) problems.push(`CSP violation: ${message.text()}`);
      });
      const one = { page, context, problems };
      opened.push(one);
      return one;
    },
  };
}

/** Signs in through the sign-in form, as a person would, and waits for the Keys page to list the keys. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto("/ui");
  await page.getByLabel("Key", { exact: true }).fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Keys" }).waitFor();
  await settled(page);
}

/** Waits until the tab's title is `title` (pages set it once they are shown). */
export async function titled(page: Page, title: string): Promise<void> {
  await page.waitForFunction((expected) => document.title === expected, title);
}

/** Waits until a page is shown (its heading) and no "Loading …" status is left on it (every list has answered). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector("main h1") !== null && document.querySelector(".loading") === null);
}

/**
 * Saves a full-page screenshot to test-results/ui/<name>.png and returns its path.
 * `fullPage: false` keeps to the viewport (an open dialog's backdrop covers only that).
 */
export async function screenshot(page: Page, name: string, { fullPage = true }: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.mouse.move(0, 0); // no hover highlight left on whatever was clicked last
  await page.screenshot({ path, fullPage, animations: "disabled", caret: "hide" });
  return path;
}
