import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyIncrements, memberKey } from "../../src/db/store/spend.ts";
import { silentLogger } from "../../src/log.ts";
import { Journal } from "../../src/spend/journal.ts";
import { applyFlush } from "../../src/spend/flush.ts";
import { Ledger } from "../../src/spend/ledger.ts";
import { type JournaledEntry, spendLogRow } from "../../src/spend/ledger-entry.ts";
import { type SettledCall, settledCall } from "../../src/spend/settlement.ts";
import { describeStores } from "../support/harness.ts";

let n = 0;
function call(overrides: Partial<SettledCall> = {}): SettledCall {
  n += 1;
  return settledCall({ request_id: `chatcmpl-${n}`, model_group: "gpt-4o", model: "gpt-4o", model_id: "dep-1", provider: "openai", api_base: "http://upstream/v1", prompt_tokens: 10, completion_tokens: 5, ...overrides });
}

/** A priced call costs 0.001 per prompt token and 0.002 per completion token. */
const price = (c: SettledCall) => c.prompt_tokens * 0.001 + c.completion_tokens * 0.002;

describeStores("spend ledger", (h) => {
  const newLedger = (dir: string) =>
    new Ledger({ store: h().store, journal: new Journal<JournaledEntry>(dir), price, writeSpendLogs: true, log: silentLogger });

  async function seedEntities() {
    const key = await h().post("/key/generate", { user_id: `u-${n}` });
    await h().post("/user/new", { user_id: `owner-${n}`, auto_create_key: false });
    return { token: key.body.token as string, userId: `owner-${n}` };
  }

  test("record counts at once as unflushed; flush moves it to the database in one go", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-"));
    const ledger = newLedger(dir);
    const { token, userId } = await seedEntities();
    ledger.record(call({ api_key: token, user_id: userId, end_user: "customer-a" }));
    ledger.record(call({ api_key: token, user_id: userId, prompt_tokens: 100, completion_tokens: 0 }));

    expect(ledger.unflushed("keys", token)).toBeCloseTo(0.02 + 0.1, 12);
    expect((await h().store.getKey(token))?.spend).toBe(0);

    await ledger.flush();
    expect(ledger.unflushed("keys", token)).toBe(0);
    expect((await h().store.getKey(token))?.spend).toBeCloseTo(0.12, 12);
    expect((await h().store.getUser(userId))?.spend).toBeCloseTo(0.12, 12);
    const spend = await h().store.readSpend({ customers: ["customer-a"] });
    expect(spend.customers.get("customer-a")).toBeCloseTo(0.02, 12);
  });

  test("a flush of thousands of calls (several insert statements) writes every row once, in one transaction", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-"));
    const ledger = newLedger(dir);
    const { token } = await seedEntities();
    const calls = Array.from({ length: 4_500 }, () => call({ api_key: token, model_group: "bulk-model" }));
    for (const c of calls) void ledger.record(c);
    await ledger.flush();

    const rows = await h().database.db.select().from(h().database.tables.spendLogs);
    const bulk = rows.filter((r) => r.model_group === "bulk-model");
    expect(bulk.length).toBe(4_500);
    expect(new Set(bulk.map((r) => r.request_id))).toEqual(new Set(calls.map((c) => c.call_id)));
    expect((await h().store.getKey(token))?.spend).toBeCloseTo(4_500 * 0.02, 9);
    ledger.close();
  });

  test("after a crash, the journal is replayed once: nothing lost, nothing counted twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-"));
    const { token } = await seedEntities();
    const first = newLedger(dir);
    await first.record(call({ api_key: token }));
    await first.flush(); // 0.02 in the database
    // Resolved = journaled (the proxy answers only then); never flushed: the process "dies" here.
    await first.record(call({ api_key: token }));

    const second = newLedger(dir);
    expect(await second.replay()).toBe(1);
    expect((await h().store.getKey(token))?.spend).toBeCloseTo(0.04, 12);

    const third = newLedger(dir);
    expect(await third.replay()).toBe(0);
    expect((await h().store.getKey(token))?.spend).toBeCloseTo(0.04, 12);
    expect(readdirSync(dir).filter((f) => f.startsWith("sealed-"))).toEqual([]);
  });

  test("a batch whose spend-log rows are partly in the database already: those are skipped, the rest land, amounts add to the last bit", async () => {
    const { token, userId } = await seedEntities();
    const teamId = `team-${n}`;
    await h().post("/team/new", { team_id: teamId, members_with_roles: [{ user_id: userId, role: "user" }] });
    const row = (c: SettledCall) => ({ ...spendLogRow({ call: c, cost: 0.1 }) });
    const [a, b, c] = [call({ api_key: token }), call({ api_key: token }), call({ api_key: token })];
    const increments = (amount: number) => {
      const inc = emptyIncrements();
      inc.keys.set(token, amount);
      inc.users.set(userId, amount);
      inc.teams.set(teamId, amount);
      inc.members.set(memberKey(teamId, userId), amount);
      inc.customers.set(`customer-${n}`, amount);
      return inc;
    };
    await h().store.applySpend({ logs: [row(a)], increments: () => increments(0.1), checkpoint: { instanceId: `dup-${n}`, seq: 1 } });
    // a is there already: COPY on Postgres refuses the batch, which then goes the slow way.
    await h().store.applySpend({ logs: [row(a), row(b), row(c)], increments: () => increments(0.2), checkpoint: { instanceId: `dup-${n}`, seq: 2 } });

    const logs = await h().database.db.select().from(h().database.tables.spendLogs);
    expect(logs.filter((r) => [a, b, c].some((x) => x.call_id === r.request_id)).length).toBe(3);
    const stored = await h().store.readSpend({ keys: [token], users: [userId], teams: [teamId], members: [memberKey(teamId, userId)], customers: [`customer-${n}`] });
    for (const entity of ["keys", "users", "teams", "members", "customers"] as const) expect([...stored[entity].values()]).toEqual([0.1 + 0.2]);
    expect(await h().store.getCheckpoint(`dup-${n}`)).toBe(2);
  });

  test("with disable_spend_logs a flush writes no spend-log rows, and still charges every entity", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-"));
    const ledger = new Ledger({ store: h().store, journal: new Journal<JournaledEntry>(dir), price, writeSpendLogs: false, log: silentLogger });
    const { token, userId } = await seedEntities();
    const customer = `quiet-${n}`;
    const calls = [call({ api_key: token, user_id: userId, end_user: customer }), call({ api_key: token, user_id: userId, end_user: customer })];
    for (const c of calls) void ledger.record(c);
    await ledger.flush();

    const logs = await h().database.db.select().from(h().database.tables.spendLogs);
    expect(logs.filter((r) => calls.some((c) => c.call_id === r.request_id))).toEqual([]);
    expect((await h().store.getKey(token))?.spend).toBeCloseTo(0.04, 12);
    expect((await h().store.getUser(userId))?.spend).toBeCloseTo(0.04, 12);
    expect((await h().store.readSpend({ customers: [customer] })).customers.get(customer)).toBeCloseTo(0.04, 12);
    ledger.close();
  });

  test("a replayed flush of thousands of calls whose first row is stored already: the rest land, each call's spend counts once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-"));
    const { token } = await seedEntities();
    const calls = Array.from({ length: 5_000 }, () => call({ api_key: token, model_group: "replayed-model" }));
    // The first call's row is in the database already (as after a lost checkpoint), its spend not.
    await h().store.applySpend({ logs: [spendLogRow({ call: calls[0]!, cost: 0.02 })], increments: emptyIncrements, checkpoint: { instanceId: `other-${n}`, seq: 1 } });
    const ledger = newLedger(dir);
    for (const c of calls) void ledger.record(c);
    await ledger.flush();

    const rows = await h().database.db.select().from(h().database.tables.spendLogs);
    expect(rows.filter((r) => r.model_group === "replayed-model").length).toBe(5_000);
    expect((await h().store.getKey(token))?.spend).toBeCloseTo(5_000 * 0.02, 9);
    ledger.close();
  });

  test("a failed flush keeps its spend for the next; spend recorded during a flush is exactly what stays unflushed after it", async () => {
    const { token } = await seedEntities();
    const cost = new Map<string, number>();
    const priced = (amount: number) => {
      const c = call({ api_key: token });
      cost.set(c.call_id, amount);
      return c;
    };
    let attempts = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const flushed: number[] = [];
    const journal = new Journal<JournaledEntry>(mkdtempSync(join(tmpdir(), "ledger-")));
    const ledger = new Ledger({
      store: h().store,
      journal,
      price: (c) => cost.get(c.call_id)!,
      writeSpendLogs: true,
      log: silentLogger,
      applyFlush: async (request) => {
        if (++attempts === 1) throw new Error("database unreachable");
        await gate;
        await applyFlush(h().store, request);
      },
      onFlushed: (applied) => flushed.push(applied.keys.get(token)!),
    });

    ledger.record(priced(0.1));
    await ledger.flush(); // fails
    expect(ledger.unflushed("keys", token)).toBe(0.1);
    expect((await h().store.getKey(token))?.spend).toBe(0);

    ledger.record(priced(0.2));
    const flushing = ledger.flush();
    ledger.record(priced(0.3)); // while the flush is in flight
    expect(ledger.unflushed("keys", token)).toBeCloseTo(0.6, 12);
    open();
    await flushing;

    expect(flushed).toEqual([0.2 + 0.1]);
    expect((await h().store.getKey(token))?.spend).toBe(0.2 + 0.1);
    expect(ledger.unflushed("keys", token)).toBe(0.3); // not 0.6000000000000001 - 0.30000000000000004
    expect(ledger.unflushedKeyModel(token, "gpt-4o")).toBe(0.3);
    expect(await h().store.getCheckpoint(journal.instanceId)).toBe(2);

    await ledger.flush();
    expect(ledger.unflushed("keys", token)).toBe(0);
    expect(ledger.unflushedKeyModel(token, "gpt-4o")).toBe(0);
    expect((await h().store.getKey(token))?.spend).toBeCloseTo(0.6, 12);
    expect(await h().store.getCheckpoint(journal.instanceId)).toBe(3);
    ledger.close();
  });

  test("team members and teams are charged; spend-log rows carry the call", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-"));
    const ledger = newLedger(dir);
    const c = call({ team_id: "team-x", user_id: "member-y", api_key: "tok" });
    ledger.record(c);
    expect(ledger.unflushed("teams", "team-x")).toBeCloseTo(0.02, 12);
    expect(ledger.unflushed("members", memberKey("team-x", "member-y"))).toBeCloseTo(0.02, 12);
    await ledger.flush();
    const logs = await h().database.db.select().from(h().database.tables.spendLogs);
    const row = logs.find((r) => r.request_id === c.call_id);
    expect(row).toMatchObject({ spend: 0.02, prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, team_id: "team-x", user: "member-y", status: "success", model_group: "gpt-4o" });
  });
});

describe("spend journal", () => {
  test("a journal of more than a million entries (a long database outage) is read back, and numbering continues after it", () => {
    const dir = mkdtempSync(join(tmpdir(), "journal-"));
    const count = 1_200_000;
    writeFileSync(join(dir, "current.jsonl"), Array.from({ length: count }, (_, i) => `{"seq":${i + 1},"data":{}}\n`).join(""));
    const journal = new Journal<Record<string, never>>(dir);
    expect(journal.readAll().length).toBe(count);
    expect(journal.append({})).toBe(count + 1);
    journal.close();
  });

  test("entries appended in one turn are written together, and are on disk once written() resolves", async () => {
    const dir = mkdtempSync(join(tmpdir(), "journal-"));
    const journal = new Journal<{ n: number }>(dir);
    const seqs = [journal.append({ n: 1 }), journal.append({ n: 2 }), journal.append({ n: 3 })];
    expect(seqs).toEqual([1, 2, 3]);
    await journal.written();
    const lines = readFileSync(join(dir, "current.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { seq: 1, data: { n: 1 } },
      { seq: 2, data: { n: 2 } },
      { seq: 3, data: { n: 3 } },
    ]);
    // Nothing pending: written() is already resolved.
    expect(await Promise.race([journal.written().then(() => "written"), Bun.sleep(0).then(() => "pending")])).toBe("written");
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
