/**
 * The admin UI's sign-in: the key a person signs in with travels in an HttpOnly,
 * SameSite=Strict cookie instead of an Authorization header, so page scripts never
 * hold it after sign-in and it does not sit in any web storage.
 *
 * A cookie is sent by the browser on its own, so every request that changes
 * something must also prove it comes from tollgate's own pages: the
 * `x-tollgate-csrf` header must carry HMAC-SHA256(key, "tollgate-ui-csrf"), which
 * the UI reads from a second, script-readable cookie (a signed double submit, bound
 * to the session's key). Another site can neither read that cookie nor compute it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { ApiError } from "../errors.ts";
import type { ExtractedKey } from "./extract-key.ts";

export const SESSION_COOKIE = "tollgate_session";
export const CSRF_COOKIE = "tollgate_csrf";
export const CSRF_HEADER = "x-tollgate-csrf";

/** A signed-in browser stays signed in for a working day. */
const SESSION_SECONDS = 12 * 60 * 60;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function csrfToken(key: string): string {
  return createHmac("sha256", key).update("tollgate-ui-csrf").digest("base64url");
}

/**
 * The key carried by the session cookie, or null when there is none. A state-changing
 * request that relies on it without the matching CSRF header is refused (403).
 */
export function keyFromSessionCookie(request: Request): ExtractedKey | null {
  const key = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (!key) return null;
  if (!SAFE_METHODS.has(request.method) && !sameSecret(request.headers.get(CSRF_HEADER), csrfToken(key))) {
    throw new ApiError("forbidden", `Missing or invalid ${CSRF_HEADER} header: a request signed in by cookie must carry the CSRF token of its session.`);
  }
  return { ok: true, key };
}

/** Set-Cookie values that sign a browser in with `key`. */
export function sessionCookies(key: string, secure: boolean): string[] {
  const attributes = `Path=/; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure ? "; Secure" : ""}`;
  return [`${SESSION_COOKIE}=${encodeURIComponent(key)}; HttpOnly; ${attributes}`, `${CSRF_COOKIE}=${csrfToken(key)}; ${attributes}`];
}

/** Set-Cookie values that sign a browser out. */
export function clearedSessionCookies(secure: boolean): string[] {
  const attributes = `Path=/; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`;
  return [`${SESSION_COOKIE}=; HttpOnly; ${attributes}`, `${CSRF_COOKIE}=; ${attributes}`];
}

/** Whether the browser reached tollgate over TLS (directly or through a proxy that says so). */
export function isSecureRequest(request: Request): boolean {
  return request.url.startsWith("https:") || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null; // a malformed value is as good as no cookie
    }
  }
  return null;
}

function sameSecret(presented: string | null, expected: string): boolean {
  if (presented === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
