import { env } from "./env.server";

export const isProduction = () => env().NODE_ENV === "production";

/** In production the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain. */
export const cookieName = (name: string) => (isProduction() ? `__Host-${name}` : name);

/** What every cookie of ours shares: HTTP only, same-site lax, whole site, signed with SESSION_SECRET. */
export function cookieOptions(maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: "lax" as const, secure: isProduction(), path: "/", maxAge: maxAgeSeconds, secrets: [env().SESSION_SECRET] };
}
