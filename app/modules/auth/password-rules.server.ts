// What a new password must not be, beyond its length (auth.schema.ts): one of the passwords people choose
// most often, or one built from the studio's name or the person's email address. Applied wherever a
// password is chosen: a password change, and the emailed link that sets one (a reset, an invitation, a
// sign-up). Existing passwords are not re-checked, so the demo accounts keep `centurion-demo`.
import { COMMON_PASSWORDS } from "./common-passwords.server";

export const TOO_COMMON = "That password is one of the most common ones, which attackers try first. Choose something less predictable.";
export const TOO_PERSONAL = "Do not build your password from the studio's name or your email address. Choose something less predictable.";

/** What a password is checked against besides the list. */
export type PasswordContext = { email?: string | null; studioName?: string | null };

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(COMMON_PASSWORDS.split("\n"));
  return common;
}

/** Letters and digits only, lower-cased: "Bangor Fit-Club" → "bangorfitclub". */
const compact = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "");

/** The words of the studio's name and the email address a password must not be made of (four characters or more). */
function personalWords(context: PasswordContext): string[] {
  const words = new Set<string>();
  const add = (text: string) => {
    const word = compact(text);
    if (word.length >= 4) words.add(word);
  };
  if (context.studioName) {
    add(context.studioName);
    for (const part of context.studioName.split(/[^A-Za-z0-9]+/)) add(part);
  }
  if (context.email) {
    const [local, domain = ""] = context.email.split("@");
    add(local);
    for (const part of local.split(/[^A-Za-z0-9]+/)) add(part);
    // The domain's labels but its last (the top-level domain): "bangor-fitness.co.uk" → bangorfitness, bangor, fitness.
    for (const label of domain.split(".").slice(0, -1)) {
      add(label);
      for (const part of label.split("-")) add(part);
    }
  }
  // Longest first, so that a name is taken out whole before its parts.
  return [...words].sort((a, b) => b.length - a.length);
}

/** Why `password` may not be chosen, or null when it may. */
export function newPasswordProblem(password: string, context: PasswordContext = {}): string | null {
  const lower = password.toLowerCase();
  const list = commonPasswords();
  // "Password2024!" is "password" with digits and symbols around it: as predictable as the word itself.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (list.has(lower) || (core.length >= 4 && list.has(core))) return TOO_COMMON;

  let rest = compact(password);
  const words = personalWords(context);
  const used = words.filter((word) => rest.includes(word));
  if (!used.length) return null;
  for (const word of used) rest = rest.split(word).join("");
  // What is left once the personal words are out must hold something of its own: a few letters, not only
  // digits, and not a common password ("centurion2024", "centurionpassword" and "nora.new99" are refused).
  const ownLetters = rest.replace(/[0-9]/g, "");
  return ownLetters.length < 4 || list.has(ownLetters) ? TOO_PERSONAL : null;
}
