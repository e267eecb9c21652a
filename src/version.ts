import pkg from "../package.json" with { type: "json" };

/** tollgate's version, embedded at build time. */
export const VERSION: string = pkg.version;
