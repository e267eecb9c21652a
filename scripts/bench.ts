/**
 * `bun run bench`: every benchmark, one Markdown report. For now that is the
 * management API (scripts/bench-management.ts); the proxy benchmark joins it here.
 * Flags are passed on: `bun run bench --duration 5 --no-postgres`.
 */
import { checkPrerequisites, parseBenchArgs, runManagementBench, stopChildrenOnSignal } from "./bench-management.ts";

const options = parseBenchArgs(Bun.argv.slice(2));
const problem = await checkPrerequisites(options);
if (problem) {
  console.error(`bench: ${problem}`);
  process.exit(2);
}
stopChildrenOnSignal();
console.log(await runManagementBench(options));
