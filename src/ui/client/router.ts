/** Pages live in the URL fragment (#/keys?page=2), so a reload or a shared link lands on the same page. */
import { useEffect, useState } from "preact/hooks";

export interface Route {
  /** The page, e.g. "keys"; "" for none. */
  page: string;
  /** Path segments after the page, e.g. ["team-1"] for #/teams/team-1. */
  rest: string[];
  params: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path = "", query = ""] = hash.split("?");
  const [page = "", ...rest] = path.split("/").map(decodeURIComponent);
  return { page, rest, params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** A link target: href(“teams”, [id], {page: 2}). */
export function href(page: string, rest: string[] = [], params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== "") query.set(name, String(value));
  const path = [page, ...rest].map(encodeURIComponent).join("/");
  const text = query.toString();
  return `#/${path}${text ? `?${text}` : ""}`;
}

export function navigate(target: string): void {
  location.hash = target;
}
