/**
 * The admin UI's browser code (src/ui/client) as one script and one stylesheet.
 *
 * `bun run build` bundles the client once and compiles it into the binary through
 * the TOLLGATE_UI_SCRIPT / TOLLGATE_UI_STYLES constants (scripts/build.ts). Run from
 * source, there are no such constants: the client is bundled on first use instead,
 * so `bun src/main.ts` and the tests serve exactly what the binary would.
 */
import { join } from "node:path";

declare const TOLLGATE_UI_SCRIPT: string | undefined;
declare const TOLLGATE_UI_STYLES: string | undefined;

export interface UiBundle {
  script: string;
  styles: string;
}

const CLIENT_ENTRY = join(import.meta.dir, "client", "main.tsx");

/** The UI's script and stylesheet: compiled in, or bundled now (the caller keeps the result). */
export function uiBundle(): Promise<UiBundle> {
  if (typeof TOLLGATE_UI_SCRIPT === "string" && typeof TOLLGATE_UI_STYLES === "string") {
    return Promise.resolve({ script: TOLLGATE_UI_SCRIPT, styles: TOLLGATE_UI_STYLES });
  }
  return bundleClient();
}

/** Bundles src/ui/client for browsers: minified, one .js and one .css, nothing fetched at run time. */
export async function bundleClient(): Promise<UiBundle> {
  const result = await Bun.build({ entrypoints: [CLIENT_ENTRY], target: "browser", minify: true, throw: false });
  if (!result.success) throw new AggregateError(result.logs, "the admin UI failed to bundle");
  const script = result.outputs.find((o) => o.path.endsWith(".js"));
  const styles = result.outputs.find((o) => o.path.endsWith(".css"));
  if (!script || !styles) throw new Error("the admin UI bundle must produce one .js and one .css file");
  return { script: await script.text(), styles: await styles.text() };
}
