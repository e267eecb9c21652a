/**
 * Regenerates the README's screenshots of the admin UI (src/ui/screenshots/*.png):
 * tollgate on a fresh SQLite database with a mock OpenAI upstream, a small demo
 * organisation made through the public API, real chat calls through the proxy for
 * today, and two weeks of earlier calls recorded through the spend ledger (so the
 * per-day chart has a history); then Debian's chromium signs in and takes the pictures.
 *
 *   bun run scripts/ui-screenshots.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import type { Config } from "../src/config/index.ts";
import { silentLogger } from "../src/log.ts";
import { Journal } from "../src/spend/journal.ts";
import { Ledger } from "../src/spend/ledger.ts";
import type { JournaledEntry } from "../src/spend/ledger-entry.ts";
import { type SettledCall, settledCall } from "../src/spend/settlement.ts";
import { CHROMIUM, LAPTOP, settled, signIn } from "../test/support/browser.ts";
import { Harness, MASTER_KEY } from "../test/support/harness.ts";
import { startMockOpenAI } from "../test/support/mock-openai.ts";

const OUT = resolve(import.meta.dir, "..", "src", "ui", "screenshots");
const DAY_MS = 86_400_000;

/** USD per prompt / completion token, set on each deployment so the demo's costs are plain. */
const PRICES: Record<string, [number, number]> = {
  "gpt-4o": [2.5e-6, 10e-6],
  "gpt-4o-mini": [0.15e-6, 0.6e-6],
  "claude-sonnet": [3e-6, 15e-6],
};

const mock = startMockOpenAI();
const config = {
  model_list: Object.entries(PRICES).map(([name, [input, output]]) => ({
    model_name: name,
    litellm_params: { model: `openai/${name}`, api_base: `${mock.url}/v1`, api_key: "sk-demo-upstream", input_cost_per_token: input, output_cost_per_token: output },
  })),
  general_settings: { proxy_batch_write_at: 0.2 },
} as Partial<Config>;
const h = await Harness.start("sqlite", { config });

async function api<T = Record<string, unknown>>(path: string, body: unknown, key = MASTER_KEY): Promise<T> {
  const res = await h.post(path, body, key);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

try {
  // The organisation: two teams, two people, six keys.
  await api("/team/new", { team_id: "platform", team_alias: "Platform", max_budget: 500, models: ["gpt-4o", "gpt-4o-mini"] });
  await api("/team/new", { team_id: "research", team_alias: "Research", max_budget: 200, budget_duration: "30d" });
  await api("/user/new", { user_id: "alice", user_email: "alice@example.com", user_role: "internal_user", auto_create_key: false, teams: ["research"] });
  await api("/user/new", { user_id: "bob", user_email: "bob@example.com", user_role: "internal_user", auto_create_key: false, teams: ["platform"] });
  const keys = {
    checkout: await api<{ key: string; token: string }>("/key/generate", { key_alias: "checkout-service", team_id: "platform", max_budget: 120, rpm_limit: 600, models: ["gpt-4o", "gpt-4o-mini"] }),
    search: await api<{ key: string; token: string }>("/key/generate", { key_alias: "search-indexer", team_id: "platform", max_budget: 40, tpm_limit: 200_000, models: ["gpt-4o-mini"] }),
    notebook: await api<{ key: string; token: string }>("/key/generate", { key_alias: "alice-notebook", user_id: "alice", team_id: "research", max_budget: 25, duration: "30d" }),
    evals: await api<{ key: string; token: string }>("/key/generate", { key_alias: "nightly-evals", team_id: "research", max_budget: 150, max_parallel_requests: 8 }),
    bob: await api<{ key: string; token: string }>("/key/generate", { key_alias: "bob-laptop", user_id: "bob", team_id: "platform", max_budget: 10 }),
  };
  const legacy = await api<{ key: string }>("/key/generate", { key_alias: "legacy-batch-job", max_budget: 5 });
  await api("/key/block", { key: legacy.key });

  // Today: real calls through the proxy.
  const today: [keyof typeof keys, string, number, number][] = [
    ["checkout", "gpt-4o", 14, 900],
    ["checkout", "gpt-4o-mini", 30, 600],
    ["search", "gpt-4o-mini", 40, 1_500],
    ["notebook", "claude-sonnet", 6, 1_200],
    ["evals", "claude-sonnet", 12, 2_000],
    ["evals", "gpt-4o", 8, 1_000],
    ["bob", "gpt-4o", 3, 400],
  ];
  for (const [key, model, calls, maxTokens] of today) {
    for (let i = 0; i < calls; i++) {
      const res = await h.post("/v1/chat/completions", { model, max_tokens: maxTokens, messages: [{ role: "user", content: `Request ${i} from the ${key} demo` }] }, keys[key].key);
      if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }

  // The two weeks before: recorded through the ledger, as settled calls of those days.
  const journalDir = mkdtempSync(join(tmpdir(), "tollgate-screenshots-"));
  const price = (call: SettledCall) => {
    const [input, output] = PRICES[call.model_group]!;
    return call.prompt_tokens * input + call.completion_tokens * output;
  };
  const ledger = new Ledger({ store: h.store, journal: new Journal<JournaledEntry>(journalDir), price, writeSpendLogs: true, log: silentLogger });
  const teamOf = { checkout: "platform", search: "platform", notebook: "research", evals: "research", bob: "platform" } as const;
  const userOf: Partial<Record<keyof typeof keys, string>> = { notebook: "alice", bob: "bob" };
  for (let daysAgo = 14; daysAgo >= 1; daysAgo--) {
    const weekday = new Date(Date.now() - daysAgo * DAY_MS).getUTCDay() % 6 !== 0;
    for (const [key, model, calls, maxTokens] of today) {
      const n = Math.round(calls * (weekday ? 0.8 + ((daysAgo * 7) % 5) / 10 : 0.3));
      for (let i = 0; i < n; i++) {
        const at = new Date(Date.now() - daysAgo * DAY_MS + i * 60_000);
        await ledger.record(
          settledCall({
            model_group: model,
            model,
            provider: "openai",
            api_key: keys[key].token,
            team_id: teamOf[key],
            user_id: userOf[key] ?? null,
            prompt_tokens: 40,
            completion_tokens: maxTokens,
            start_time: at,
            end_time: new Date(at.getTime() + 1_800),
          }),
        );
      }
    }
  }
  await ledger.flush();
  ledger.close();
  rmSync(journalDir, { recursive: true, force: true });
  await Bun.sleep(500); // the proxy's own ledger flushes today's calls

  // The pictures.
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  try {
    const page = await (await browser.newContext({ baseURL: h.url, viewport: LAPTOP, locale: "en-US" })).newPage();
    await signIn(page, MASTER_KEY);
    await page.screenshot({ path: join(OUT, "keys.png"), fullPage: true });
    await page.getByRole("banner").getByRole("link", { name: "Spend" }).click();
    await page.getByRole("heading", { level: 1, name: "Spend" }).waitFor();
    await settled(page);
    // The charts and the first requests; the full list of today's calls would make a very tall picture.
    await page.setViewportSize({ width: LAPTOP.width, height: 1_250 });
    await page.screenshot({ path: join(OUT, "spend.png") });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${join(OUT, "keys.png")} and ${join(OUT, "spend.png")}`);
} finally {
  await h.stop();
  await mock.close();
}
