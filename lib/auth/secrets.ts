import { createHash, randomBytes } from "node:crypto";

/** A random secret for links and tokens: shown once, stored only as its hash. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString("base64url")}`;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
