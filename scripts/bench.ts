/**
 * `bun run bench`: every benchmark, one Markdown report on stdout (progress on stderr).
 *
 *   bun run bench [--only proxy|management] [--duration 10] [--warmup 2] [--connections 64]
 *     proxy (scripts/bench/proxy.ts):  [--rounds 1] [--latency-ms 20] [--chunk-delay-ms 20]
 *                                     [--ttfb-requests 100] [--cpu-prof DIR]
 *     management (scripts/bench-management.ts):  [--runs 5] [--server source|binary]
 *                                               [--no-postgres] [--skip-startup] [--skip-keys]
 *
 * Proxy: --rounds repeats the whole matrix (cells are medians); --latency-ms 0 skips the
 * slow-upstream phase and --ttfb-requests 0 the streaming one; --cpu-prof DIR profiles
 * tollgate (from source) and the pass-through and summarises where tollgate's time goes.
 *
 * `--connections` takes a list ("32,64"): the proxy bench measures each, the management
 * bench the first. Unset, the proxy bench uses 64 and the management bench 32.
 * Every process started runs in its own process group and is stopped at the end, on
 * error and on Ctrl-C.
 */
import { parseArgs } from "node:util";
import { checkPrerequisites, managementFlagList, managementFlags, managementOptions, runManagementBench } from "./bench-management.ts";
import { cleanUpEverything, ensureBinary, ROOT, stopChildrenOnSignal } from "./bench/lib.ts";
import { proxyFlagList, proxyFlags, proxyOptions, proxyPrerequisites, runProxyBench } from "./bench/proxy.ts";

const USAGE = (await Bun.file(import.meta.path).text()).split("*/")[0]?.replace(/^\/\*\*\n/, "").replace(/^ \* ?/gm, "") ?? "";

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    args: Bun.argv.slice(2),
    options: { ...managementFlags, ...proxyFlags, only: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.only !== undefined && values.only !== "proxy" && values.only !== "management") fail(`--only must be proxy or management, got ${values.only}`);
const runProxy = values.only !== "management";
const runManagement = values.only !== "proxy";

let management, proxy;
try {
  management = managementOptions(values);
  proxy = proxyOptions(values);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const problem = (runProxy ? proxyPrerequisites() : null) ?? (runManagement ? await checkPrerequisites(management) : null);
if (problem) fail(problem);
stopChildrenOnSignal();

// The exact command: every effective setting of the selected benches. Without an explicit
// --connections each bench keeps its own default, so the command leaves it out too.
const flags = [...(values.only ? [`--only ${values.only}`] : []), ...(runProxy ? proxyFlagList(proxy) : [])];
if (runManagement) {
  const shared = runProxy ? ["--duration", "--warmup", "--connections"] : [];
  flags.push(...managementFlagList(management).filter((f) => !shared.includes(f.split(" ")[0] ?? "")));
}
const command = `cd ${ROOT} && bun run bench ${flags.filter((f) => values.connections || !runProxy || !runManagement || !f.startsWith("--connections")).join(" ")}`;

const sections: string[] = [];
try {
  // Both benches should measure the same, current binary.
  if (runProxy) await ensureBinary();
  if (runManagement) sections.push(await runManagementBench(management));
  if (runProxy) sections.push(await runProxyBench(proxy));
} catch (error) {
  await cleanUpEverything();
  console.log(sections.join("\n\n"));
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
}

console.log(sections.join("\n\n"));
console.log(`\nReproduce everything above: \`${command}\``);
