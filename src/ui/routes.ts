/**
 * /ui: the admin web UI. The page and its assets are served here; everything the
 * page shows or changes goes through the public API, signed in by the session cookie
 * set by POST /ui/session (see src/auth/session-cookie.ts).
 */
import { Elysia, t } from "elysia";
import type { ExtractedKey } from "../auth/extract-key.ts";
import type { Principal } from "../auth/principal.ts";
import { clearedSessionCookies, isSecureRequest, sessionCookies } from "../auth/session-cookie.ts";
import { ApiError } from "../errors.ts";
import { type UiBundle, uiBundle } from "./bundle.ts";

export interface UiRoutesOptions {
  /** Who a presented credential belongs to (the key check, or custom_auth). */
  authenticate: (request: Request, credential: ExtractedKey) => Promise<Principal>;
  /** Who the request's own credential (header or session cookie) belongs to. */
  resolve: (request: Request) => Promise<Principal>;
  /** False when management is disabled (no master key, no custom_auth): signing in is pointless. */
  enabled: boolean;
}

/** No inline script or style, nothing from another origin, never framed. */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

interface UiAssets {
  page: string;
  files: Map<string, { body: string; type: string }>;
}

let assets: Promise<UiAssets> | null = null;

/**
 * Bundled once per process, on first use. The page references its assets by content
 * hash, so browsers may cache them forever. A failed bundle (a syntax error while
 * developing under --watch) is tried again by the next request.
 */
function uiAssets(): Promise<UiAssets> {
  assets ??= uiBundle().then(buildAssets, (error) => {
    assets = null;
    throw error;
  });
  return assets;
}

function buildAssets({ script, styles }: UiBundle): UiAssets {
  const scriptName = `app.${Bun.hash(script).toString(36)}.js`;
  const stylesName = `app.${Bun.hash(styles).toString(36)}.css`;
  const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>tollgate</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/ui/assets/${stylesName}">
</head>
<body>
  <div id="app"></div>
  <noscript>The tollgate admin UI needs JavaScript.</noscript>
  <script type="module" src="/ui/assets/${scriptName}"></script>
</body>
</html>
`;
  const files = new Map([
    [scriptName, { body: script, type: "text/javascript; charset=utf-8" }],
    [stylesName, { body: styles, type: "text/css; charset=utf-8" }],
  ]);
  return { page, files };
}

export function uiRoutes(options: UiRoutesOptions) {
  const servePage = async () =>
    new Response((await uiAssets()).page, { headers: { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });

  const requireEnabled = () => {
    if (!options.enabled) {
      throw new ApiError("forbidden", "The admin UI needs a master key: set general_settings.master_key or LITELLM_MASTER_KEY (it must start with sk-).");
    }
  };

  return new Elysia({ detail: { tags: ["ui"] } })
    .get("/ui", servePage, { detail: { hide: true } })
    .get("/ui/", servePage, { detail: { hide: true } })
    .get(
      "/ui/assets/:file",
      async ({ params }) => {
        const file = (await uiAssets()).files.get(params.file);
        if (!file) throw new ApiError("not_found", `No UI asset named ${params.file}.`);
        return new Response(file.body, { headers: { ...SECURITY_HEADERS, "content-type": file.type, "cache-control": "public, max-age=31536000, immutable" } });
      },
      { detail: { hide: true } },
    )
    .post(
      "/ui/session",
      async ({ body, request, set }) => {
        requireEnabled();
        const principal = await options.authenticate(request, { ok: true, key: body.key });
        set.headers["set-cookie"] = sessionCookies(body.key, isSecureRequest(request));
        set.headers["cache-control"] = "no-store";
        return describe(principal);
      },
      {
        body: t.Object({ key: t.String({ minLength: 1, maxLength: 4096, description: "The master key or a virtual key (sk-…)." }) }),
        detail: {
          summary: "Sign the admin UI in",
          description: "Checks the key like any API call would, then stores it in an HttpOnly, SameSite=Strict session cookie, with a CSRF token in a second cookie that requests changing anything must echo in the x-tollgate-csrf header.",
        },
      },
    )
    .get(
      "/ui/session",
      async ({ request, set }) => {
        requireEnabled();
        set.headers["cache-control"] = "no-store";
        return describe(await options.resolve(request));
      },
      { detail: { summary: "Who the UI is signed in as", description: "The caller's identity, from its session cookie or key." } },
    )
    .delete(
      "/ui/session",
      ({ request, set }) => {
        set.headers["set-cookie"] = clearedSessionCookies(isSecureRequest(request));
        return { signed_out: true };
      },
      { detail: { summary: "Sign the admin UI out", description: "Clears the session cookies." } },
    );
}

/** What the UI needs to know about who is signed in; never the key itself. */
function describe(principal: Principal) {
  return {
    signed_in_with: principal.via,
    user_id: principal.userId,
    user_role: principal.role,
    key_alias: principal.key?.key_alias ?? null,
    key_name: principal.key?.key_name ?? null,
    team_id: principal.key?.team_id ?? null,
  };
}
