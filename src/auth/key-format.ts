/**
 * Virtual key format and hashing. A key is `sk-` + base64url(16 random bytes); only
 * sha256(key) as lowercase hex (LiteLLM's `token`) is ever stored, so keys imported
 * from a LiteLLM database keep working.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export const KEY_PREFIX = "sk-";

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(16).toString("base64url");
}

export function hashKey(plaintext: string): string {
  return new Bun.CryptoHasher("sha256").update(plaintext).digest("hex");
}

/** Display hint stored with the key: `sk-...` + the last four characters. */
export function keyName(plaintext: string): string {
  return `sk-...${plaintext.slice(-4)}`;
}

/**
 * Management bodies accept a key as plaintext or as its stored hash. LiteLLM's rule:
 * anything starting with `sk-` is plaintext and gets hashed; anything else is taken
 * as the hash itself.
 */
export function toToken(keyOrHash: string): string {
  return keyOrHash.startsWith(KEY_PREFIX) ? hashKey(keyOrHash) : keyOrHash;
}

/** `sk-...abcd`-style rendering of a presented key for error messages (never the whole key). */
export function maskKey(key: string): string {
  return key.length <= 8 ? "****" : `${key.slice(0, 4)}****${key.slice(-4)}`;
}

/**
 * Constant-time check of a presented secret against a known one. Both sides are
 * compared as fixed-length sha256 digests, so neither content nor length leaks; the
 * known side is hashed once, when the checker is made.
 */
export function secretChecker(secret: string): (presentedDigest: Buffer) => boolean {
  const expected = sha256(secret);
  return (presentedDigest) => timingSafeEqual(presentedDigest, expected);
}

/** sha256 of a presented key: compared with the master key's, and (as hex) its token. */
export function sha256(text: string): Buffer {
  return new Bun.CryptoHasher("sha256").update(text).digest() as Buffer;
}
