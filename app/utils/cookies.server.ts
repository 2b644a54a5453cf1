import { createCookie, createCookieSessionStorage } from "@remix-run/node";
import { SESSION_ABSOLUTE_MS } from "~/modules/auth/auth.rules";
import { env } from "./env.server";

const isProduction = () => env().NODE_ENV === "production";

// In production the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain.
const cookieName = (name: string) => (isProduction() ? `__Host-${name}` : name);

let authCookie: ReturnType<typeof createCookie> | undefined;
/** Holds only the random sign-in token (signed); everything else lives in PostgreSQL. */
export function getAuthCookie() {
  authCookie ??= createCookie(cookieName("centurion_session"), {
    httpOnly: true,
    sameSite: "lax",
    secure: isProduction(),
    path: "/",
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
    secrets: [env().SESSION_SECRET],
  });
  return authCookie;
}

type FlashData = { flash: { kind: "success" | "error" | "info"; message: string } };
let flashStorage: ReturnType<typeof createCookieSessionStorage<FlashData, FlashData>> | undefined;
/** A short-lived cookie carrying one message across a redirect, so it works without JavaScript. */
export function getFlashStorage() {
  flashStorage ??= createCookieSessionStorage<FlashData, FlashData>({
    cookie: {
      name: cookieName("centurion_flash"),
      httpOnly: true,
      sameSite: "lax",
      secure: isProduction(),
      path: "/",
      maxAge: 60,
      secrets: [env().SESSION_SECRET],
    },
  });
  return flashStorage;
}
