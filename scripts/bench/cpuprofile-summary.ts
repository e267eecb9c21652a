/**
 * Where the time goes in a `bun --cpu-prof` profile (.cpuprofile JSON): self time by
 * function, self time by file, and inclusive ("total") time by function, as Markdown.
 *
 *   bun scripts/bench/cpuprofile-summary.ts <file.cpuprofile>… [--top 25]
 *
 * Self time counts the samples with that function on top of the stack; inclusive time
 * counts a sample once for every distinct function on its stack. Bun (JSC) samples only
 * while JavaScript runs, about every --cpu-prof-interval (1 ms), so time is the sample
 * count × the median sampling interval; the time deltas themselves would also count the
 * idle gaps. Functions without a file are Bun's native code (fetch, Response,
 * JSON.parse, …), listed as "(native)"; an unnamed native frame is mostly the runtime
 * between JavaScript calls (the HTTP server, promise jobs).
 * `bun run bench --only proxy --cpu-prof DIR` writes such profiles for tollgate
 * (run from source, so the names are readable) and for the pass-through.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./lib.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string, line: number): string {
  if (!url) return "(native)";
  const path = url.replace(/^file:\/\//, "");
  const short = path.startsWith(ROOT) ? relative(ROOT, path) : path.replace(/^.*node_modules\//, "node_modules/");
  return line >= 0 ? `${short}:${line + 1}` : short;
}

export function summarizeProfile(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const file = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const us = deltas[Math.floor(deltas.length / 2)] ?? 1000; // one sample ≈ one sampling interval
  let total = 0;
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    const name = node.callFrame.functionName || "(anonymous)";
    total += us;
    const key = `${name} · ${where(node.callFrame.url, node.callFrame.lineNumber)}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const f = node.callFrame.url ? where(node.callFrame.url, -1) : "(native)";
    file.set(f, (file.get(f) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || frame.functionName === "(root)") continue;
      const k = `${frame.functionName || "(anonymous)"} · ${where(frame.url, frame.lineNumber)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }

  const table = (title: string, map: Map<string, number>, n: number) => {
    const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
    return [
      `#### ${title}`,
      "",
      "| | ms | % |",
      "|---|---:|---:|",
      ...rows.map(([k, us]) => `| \`${k.replaceAll("|", "\\|")}\` | ${(us / 1000).toFixed(0)} | ${((us / total) * 100).toFixed(1)} |`),
      "",
    ];
  };
  return [
    `${profile.samples.length} samples ≈ ${(total / 1000).toFixed(0)} ms of JavaScript thread time (sampling interval ≈ ${(us / 1000).toFixed(2)} ms).`,
    "",
    ...table("Self time by function", self, top),
    ...table("Self time by file", file, Math.min(top, 15)),
    ...table("Inclusive time by function", inclusive, top),
  ].join("\n");
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Bun.argv.slice(2),
    options: { top: { type: "string", default: "25" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) {
    console.error("usage: bun scripts/bench/cpuprofile-summary.ts <file.cpuprofile>… [--top 25]");
    process.exit(2);
  }
  for (const path of positionals) {
    console.log(`### ${path}\n`);
    console.log(summarizeProfile(JSON.parse(readFileSync(path, "utf8")) as Profile, Number(values.top)));
  }
}
