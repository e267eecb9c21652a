/**
 * `os.environ/NAME` references: LiteLLM's way of keeping secrets out of config.yaml.
 * Any string value that is exactly such a reference, anywhere in the tree, is replaced
 * by the variable's value at load time.
 */
import { formatPath, type PathSegment } from "./field-path.ts";
import { isMapping } from "./tree.ts";

export type Env = Record<string, string | undefined>;

const PREFIX = "os.environ/";

/** Where a reference was found and which variable it named. */
export interface EnvRef {
  path: PathSegment[];
  name: string;
}

/** The variable name if `value` is an `os.environ/NAME` reference, else null. */
export function envRefName(value: unknown): string | null {
  return typeof value === "string" && value.startsWith(PREFIX) ? value.slice(PREFIX.length) : null;
}

export interface ResolvedEnvRefs {
  /** A copy of the tree with every reference that could be resolved replaced. */
  value: unknown;
  refs: EnvRef[];
  /** One line per unset variable, naming it and the field that needs it. */
  missing: string[];
}

/** Resolves every reference in `tree`. A variable set to the empty string counts as set. */
export function resolveEnvRefs(tree: unknown, env: Env): ResolvedEnvRefs {
  const refs: EnvRef[] = [];
  const missing: string[] = [];
  const visit = (node: unknown, path: PathSegment[]): unknown => {
    if (Array.isArray(node)) return node.map((child, index) => visit(child, [...path, index]));
    if (isMapping(node)) {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, visit(child, [...path, key])]));
    }
    const name = envRefName(node);
    if (name === null) return node;
    const value = name === "" ? undefined : env[name];
    if (value === undefined) {
      missing.push(`environment variable ${name || "(empty name)"} is not set (needed by ${formatPath(path)})`);
      return node;
    }
    refs.push({ path, name });
    return value;
  };
  return { value: visit(tree, []), refs, missing };
}
