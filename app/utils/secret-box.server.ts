// Secrets the server must read back (a TOTP secret) stored so that a copy of the database alone does not
// reveal them: AES-256-GCM under a key derived from SESSION_SECRET with HKDF, bound to what it belongs to
// (`context`, e.g. the user id) so that a sealed value copied to another row does not open there.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "./env.server";

const VERSION = "v1";

/** The 32-byte key for `purpose`, derived from `secret` (SESSION_SECRET unless given). */
export function deriveKey(purpose: string, secret: string = env().SESSION_SECRET): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "centurion", `secret-box ${VERSION} ${purpose}`, 32));
}

/** `v1.<iv>.<ciphertext and tag>`, base64url. */
export function seal(plaintext: string, context: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

/** The plaintext, or null when the value was sealed under another key or context, or is damaged. */
export function open(sealed: string, context: string, key: Buffer): string | null {
  const [version, ivText, bodyText] = sealed.split(".");
  if (version !== VERSION || !ivText || !bodyText) return null;
  try {
    const iv = Buffer.from(ivText, "base64url");
    const body = Buffer.from(bodyText, "base64url");
    if (iv.length !== 12 || body.length < 16) return null;
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
