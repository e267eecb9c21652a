/** Reads and parses the config file, turning every failure into a ConfigError that names the file. */
import { readFileSync } from "node:fs";
import { parseDocument, type ScalarTag, type Tags, type YAMLError } from "yaml";
import { ConfigError } from "./config-error.ts";

/**
 * YAML 1.1, as PyYAML (and so LiteLLM) reads it: `yes`/`no`/`on`/`off` are booleans and
 * `<<` merge keys work, so a config that LiteLLM accepts means the same thing here.
 * Duplicate keys are an error rather than last-one-wins.
 */
const YAML_OPTIONS = {
  version: "1.1",
  merge: true,
  uniqueKeys: true,
  prettyErrors: true,
  customTags: pyyamlBooleans,
} as const;

const BOOL_TAG = "tag:yaml.org,2002:bool";
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

/** The yaml package's 1.1 schema also reads `y`/`n` as booleans; PyYAML does not, so neither do we. */
function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((tag) => {
    if (!isBoolTag(tag)) return tag;
    const narrowed: ScalarTag = { ...tag, test: tag.test?.test("true") ? PYYAML_TRUE : PYYAML_FALSE };
    return narrowed;
  });
}

function isBoolTag(tag: Tags[number]): tag is ScalarTag {
  return typeof tag === "object" && tag.tag === BOOL_TAG && "test" in tag && tag.test instanceof RegExp;
}

export function readYamlFile(file: string, warn: (message: string) => void): unknown {
  const text = readText(file);
  const doc = parseDocument(text, YAML_OPTIONS);
  const [first] = doc.errors;
  if (first) throw new ConfigError(`config file ${file}${location(first)}: invalid YAML: ${firstLine(first.message)}`);
  for (const warning of doc.warnings) warn(`config: ${file}${location(warning)}: ${firstLine(warning.message)}`);
  try {
    return doc.toJS();
  } catch (error) {
    throw new ConfigError(`config file ${file}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = isErrnoError(error) ? error.code : undefined;
    if (code === "ENOENT") throw new ConfigError(`config file not found: ${file}`);
    if (code === "EISDIR") throw new ConfigError(`config file ${file} is a directory`);
    throw new ConfigError(`cannot read config file ${file}: ${code ?? String(error)}`);
  }
}

function location(error: YAMLError): string {
  const pos = error.linePos?.[0];
  return pos ? ` (line ${pos.line}, column ${pos.col})` : "";
}

/** The first line of a yaml message, without the position `location` already gives. */
function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}

function isErrnoError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}
