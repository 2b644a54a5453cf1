import { hash, verify, type Algorithm } from "@node-rs/argon2";

// OWASP's Argon2id baseline: m=19 MiB, t=2, p=1. (Algorithm is a const enum: 2 is Argon2id.)
const ARGON2ID_OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * The stored "hash" of an account that has no password yet (a sign-up whose emailed link is not used yet):
 * no password matches it, and checking one spends the time of a real check all the same.
 */
export const NO_PASSWORD = "!";

/** Whether `password` opens `passwordHash`; an unknown account (null) or one without a password spends the same time. */
export async function checkPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null || passwordHash === NO_PASSWORD) {
    await burnPasswordCheck(password);
    return false;
  }
  return verifyPassword(passwordHash, password);
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown email cannot be told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("centurion-timing-equaliser");
  await verifyPassword(await dummyHash, password);
}
