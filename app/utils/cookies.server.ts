import { env } from "./env.server";

export const isProduction = () => env().NODE_ENV === "production";

/** The sign-in cookie's name before its prefix (app/modules/auth/auth-session.server.ts). */
export const AUTH_COOKIE = "centurion_auth";

const SIGN_IN_COOKIE = new RegExp(`(?:^|;)\\s*(?:__Host-)?${AUTH_COOKIE}=`);

/** Whether a Cookie header carries a sign-in cookie (valid or not), in production or not. */
export function carriesSignInCookie(cookieHeader: string | undefined | null): boolean {
  return !!cookieHeader && SIGN_IN_COOKIE.test(cookieHeader);
}

/** In production the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain. */
export const cookieName = (name: string) => (isProduction() ? `__Host-${name}` : name);

/** What every cookie of ours shares: HTTP only, same-site lax, whole site, signed with SESSION_SECRET. */
export function cookieOptions(maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: "lax" as const, secure: isProduction(), path: "/", maxAge: maxAgeSeconds, secrets: [env().SESSION_SECRET] };
}
