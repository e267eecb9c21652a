/**
 * A config problem that stops start-up. The message is meant for an operator's terminal:
 * it names the file and the field, and never contains a secret's value.
 */
export class ConfigError extends Error {
  /** One line per problem found (a validation pass may find several). */
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[] = [message]) {
    super(message);
    this.name = "ConfigError";
    this.issues = issues;
  }
}
