/**
 * For the spend-report suites: an app with only the spend routes (and the same auth
 * pieces as src/app.ts) on a harness's database, a ledger to seed spend logs with,
 * and a settled-call builder.
 */
import { mkdtempSync } from "node:fs";
import { settledCall } from "../../src/spend/settlement.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import { createAuthenticator } from "../../src/auth/authenticate.ts";
import { createKeyExtractor } from "../../src/auth/extract-key.ts";
import { KeyCache } from "../../src/auth/key-cache.ts";
import type { CachedKey } from "../../src/auth/principal.ts";
import { toApiError } from "../../src/errors.ts";
import { silentLogger } from "../../src/log.ts";
import { managementGuard } from "../../src/management/guard.ts";
import { spendRoutes } from "../../src/management/spend/routes.ts";
import { createSpendService, type SpendServiceOptions } from "../../src/management/spend/service.ts";
import { Journal } from "../../src/spend/journal.ts";
import { Ledger } from "../../src/spend/ledger.ts";
import type { JournaledEntry } from "../../src/spend/ledger-entry.ts";
import { createCostCalculator, priceMapOf } from "../../src/spend/prices/index.ts";
import type { SettledCall } from "../../src/spend/settlement.ts";
import { type ApiResponse, type Harness, MASTER_KEY } from "./harness.ts";

export type SpendAppOptions = Partial<Omit<SpendServiceOptions, "store">>;

/** The spend routes over `h`'s store, answering through `app.handle` (no port). */
export function spendApp(h: Harness, options: SpendAppOptions = {}) {
  const authenticate = createAuthenticator({
    store: h.store,
    cache: new KeyCache<CachedKey>({ ttlMs: 1_000, negativeTtlMs: 0, maxEntries: 1_000 }),
    masterKey: MASTER_KEY,
    adminUserId: "default_user_id",
  });
  const extractKey = createKeyExtractor(null);
  const guard = managementGuard({ resolve: (request, path) => authenticate(extractKey(request.headers), path), enabled: true });
  const spend = createSpendService({
    store: h.store,
    calculator: createCostCalculator({ priceMap: priceMapOf({}), deployments: [], warn: () => {} }),
    deployments: new Map(),
    ...options,
  });
  const app = new Elysia({ normalize: false }).onError(({ code, error }) => toApiError(error, code).toResponse()).use(spendRoutes({ guard, spend }));

  async function request(method: string, path: string, key: string | null, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await app.handle(new Request(`http://tollgate.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  }

  return {
    get: (path: string, key: string | null = MASTER_KEY) => request("GET", path, key),
    post: (path: string, body?: unknown, key: string | null = MASTER_KEY) => request("POST", path, key, body),
  };
}

/** Test price: 0.001 USD per prompt token, 0.002 per completion token. */
export const testPrice = (c: SettledCall) => c.prompt_tokens * 0.001 + c.completion_tokens * 0.002;

/** A ledger writing spend logs into `h`'s database, journaling in a fresh temp dir. */
export function testLedger(h: Harness): Ledger {
  const dir = mkdtempSync(join(tmpdir(), "spend-reports-"));
  return new Ledger({ store: h.store, journal: new Journal<JournaledEntry>(dir), price: testPrice, writeSpendLogs: true, log: silentLogger });
}

let n = 0;

/** A successful call at `start_time` (default now), priced by {@link testPrice}. */
export function call(overrides: Partial<SettledCall> = {}): SettledCall {
  n += 1;
  const at = overrides.start_time ?? new Date();
  return settledCall({
    request_id: `chatcmpl-${n}`,
    call_id: `call-${crypto.randomUUID()}`,
    model_group: "gpt-4o",
    model: "gpt-4o",
    model_id: "dep-1",
    provider: "openai",
    api_base: "http://upstream/v1",
    start_time: at,
    end_time: new Date(at.getTime() + 250),
    ...overrides,
  });
}

/** Every number rounded to 1e-9, so money compares exactly to nine decimals with toEqual. */
export function usd(value: unknown): unknown {
  if (typeof value === "number") return Math.round(value * 1e9) / 1e9;
  if (Array.isArray(value)) return value.map(usd);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, usd(v)]));
  return value;
}
