/** Field paths in the form operators read: `model_list[2].litellm_params.api_base`. */
import { isMapping } from "./tree.ts";

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (!IDENTIFIER.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out === "" ? "(top level)" : out;
}

/**
 * Turns a TypeBox JSON pointer (`/model_list/2/api_base`) into segments. A numeric segment
 * is an index only where the value at that point is an array, so a map key such as `"0"`
 * stays a key.
 */
export function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === "") return [];
  const path: PathSegment[] = [];
  let node = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    const index = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : null;
    path.push(index ?? key);
    node = childOf(node, index ?? key);
  }
  return path;
}

function childOf(node: unknown, segment: PathSegment): unknown {
  if (Array.isArray(node)) return typeof segment === "number" ? node[segment] : undefined;
  return isMapping(node) ? node[String(segment)] : undefined;
}
