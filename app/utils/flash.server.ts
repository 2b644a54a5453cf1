import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { cookieName, cookieOptions } from "./cookies.server";

export type Flash = { kind: "success" | "error" | "info"; message: string };

type FlashData = { flash: Flash };
let flashStorage: ReturnType<typeof createCookieSessionStorage<FlashData, FlashData>> | undefined;
/** A short-lived cookie carrying one message across a redirect, so it works without JavaScript. */
export function getFlashStorage() {
  flashStorage ??= createCookieSessionStorage<FlashData, FlashData>({ cookie: { name: cookieName("centurion_flash"), ...cookieOptions(60) } });
  return flashStorage;
}

/** 303 redirect (the HTTP contract's success answer) carrying a one-time message. */
export async function redirectWithFlash(to: string, flash: Flash, init: { headers?: HeadersInit } = {}) {
  const storage = getFlashStorage();
  const session = await storage.getSession();
  session.flash("flash", flash);
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await storage.commitSession(session));
  return redirect(to, { status: 303, headers });
}

/** Reads and clears the pending message; the returned header must go out with the response. */
export async function consumeFlash(request: Request): Promise<{ flash: Flash | null; setCookie: string | null }> {
  const storage = getFlashStorage();
  const cookie = request.headers.get("Cookie");
  if (!cookie?.includes("centurion_flash")) return { flash: null, setCookie: null };
  const session = await storage.getSession(cookie);
  const flash = (session.get("flash") as Flash | undefined) ?? null;
  return { flash, setCookie: await storage.destroySession(session) };
}
