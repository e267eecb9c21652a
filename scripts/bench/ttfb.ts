/**
 * Streaming time-to-first-byte: N sequential streaming POSTs, each timed from just
 * before `fetch` to the first body chunk (TTFB) and to the end of the stream (total).
 * Every stream is read to its end and must finish with `data: [DONE]`. wrk cannot do
 * this: it only sees whole responses.
 *
 *   bun scripts/bench/ttfb.ts --url http://127.0.0.1:4000/v1/chat/completions \
 *       [--requests 100] [--warmup 5] [-H 'Authorization: Bearer sk-…'] [--body '{…}']
 *
 * Prints one JSON line: {"requests", "ttfb_ms": {p50, p90, p99, min, max}, "total_ms": {…}}.
 * scripts/bench/proxy.ts imports `measureTtfb` (the bench process is idle meanwhile).
 */
import { parseArgs } from "node:util";
import { percentile } from "./lib.ts";

export interface TtfbRun {
  url: string;
  headers: Record<string, string>;
  body: string;
  requests: number;
  warmup?: number;
  timeoutMs?: number;
}

export interface TtfbSamples {
  ttfbMs: number[];
  totalMs: number[];
}

async function once(run: TtfbRun): Promise<{ ttfb: number; total: number }> {
  const started = performance.now();
  const res = await fetch(run.url, { method: "POST", headers: { "content-type": "application/json", ...run.headers }, body: run.body, signal: AbortSignal.timeout(run.timeoutMs ?? 30_000) });
  if (res.status !== 200 || !res.body) throw new Error(`${run.url} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  const reader = res.body.getReader();
  const first = await reader.read();
  const ttfb = performance.now() - started;
  if (first.done) throw new Error(`${run.url} sent an empty stream`);
  const decoder = new TextDecoder();
  let tail = decoder.decode(first.value, { stream: true });
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) tail = (tail + decoder.decode(chunk.value, { stream: true })).slice(-64);
  const total = performance.now() - started;
  if (!tail.trimEnd().endsWith("data: [DONE]")) throw new Error(`${run.url}: the stream did not end with data: [DONE] (…${JSON.stringify(tail)})`);
  return { ttfb, total };
}

export async function measureTtfb(run: TtfbRun): Promise<TtfbSamples> {
  for (let i = 0; i < (run.warmup ?? 5); i++) await once(run);
  const samples: TtfbSamples = { ttfbMs: [], totalMs: [] };
  for (let i = 0; i < run.requests; i++) {
    const { ttfb, total } = await once(run);
    samples.ttfbMs.push(ttfb);
    samples.totalMs.push(total);
  }
  return samples;
}

export function summarize(xs: number[]) {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { p50: round(percentile(xs, 50)), p90: round(percentile(xs, 90)), p99: round(percentile(xs, 99)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Bun.argv.slice(2),
    options: {
      url: { type: "string" },
      requests: { type: "string", default: "100" },
      warmup: { type: "string", default: "5" },
      header: { type: "string", short: "H", multiple: true, default: [] },
      body: { type: "string" },
    },
    strict: true,
  });
  if (!values.url) throw new Error("--url is required");
  const headers: Record<string, string> = {};
  for (const line of values.header) {
    const at = line.indexOf(":");
    if (at > 0) headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  const body = values.body ?? JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }], stream: true, stream_options: { include_usage: true } });
  const samples = await measureTtfb({ url: values.url, headers, body, requests: Number(values.requests), warmup: Number(values.warmup) });
  console.log(JSON.stringify({ requests: samples.ttfbMs.length, ttfb_ms: summarize(samples.ttfbMs), total_ms: summarize(samples.totalMs) }));
}
