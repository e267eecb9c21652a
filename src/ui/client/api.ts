/**
 * The UI's only way to the server: tollgate's public HTTP API, signed in by the
 * session cookie. Requests that change something echo the CSRF token the server
 * put in the script-readable `tollgate_csrf` cookie.
 */

/** An API refusal, with the server's own words. */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Called when the session is gone (401 on a signed-in page): the app returns to sign-in. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export function get<T>(path: string, query: Query = {}): Promise<T> {
  return request<T>("GET", withQuery(path, query));
}

export function post<T>(path: string, body: unknown = {}): Promise<T> {
  return request<T>("POST", path, body);
}

export function del<T>(path: string): Promise<T> {
  return request<T>("DELETE", path);
}

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") {
    headers["x-tollgate-csrf"] = readCookie("tollgate_csrf") ?? "";
    if (body !== undefined) headers["content-type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiFailure("tollgate could not be reached. Check that it is running and try again.", 0);
  }
  const text = await response.text();
  const data = text ? parseJson(text) : null;
  if (!response.ok) {
    if (response.status === 401 && path !== "/ui/session") onSignedOut();
    throw new ApiFailure(errorMessage(data, response), response.status);
  }
  return data as T;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The error envelope's message, or FastAPI-style `detail`, or the status line. */
function errorMessage(data: unknown, response: Response): string {
  if (data && typeof data === "object") {
    const envelope = data as { error?: { message?: unknown }; detail?: unknown; message?: unknown };
    const message = envelope.error?.message ?? envelope.detail ?? envelope.message;
    if (typeof message === "string" && message) return message;
    if (message !== undefined) return JSON.stringify(message);
  }
  if (typeof data === "string" && data.trim()) return data.trim().slice(0, 500);
  return `${response.status} ${response.statusText || "request failed"}`;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}
