// The sign-in ("auth session") as HTTP sees it: the cookie holding the auth token, the remix-auth form
// strategy, and the guards loaders and actions call. The rules and storage live in auth.service.server.ts.
import { createCookie, redirect } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { getEm } from "~/modules/db.server";
import { forgetForRequest, oncePerRequest, rememberForRequest } from "~/modules/request-memo.server";
import { rememberSettingsForRequest } from "~/modules/settings/settings.service.server";
import { AUTH_COOKIE, cookieName, cookieOptions } from "~/utils/cookies.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { forbidden } from "~/utils/http.server";
import type { Failure } from "~/utils/result";
import type { Role } from "./auth.entities.server";
import { AUTH_SESSION_ABSOLUTE_MS } from "./auth.rules";
import { LoginSchema } from "./auth.schema";
import {
  createAuthSession,
  destroyAuthSession,
  findAuthSessionUser,
  findAuthSessionUserAndSettings,
  verifyLogin,
  type SignedInUser,
} from "./auth.service.server";

let authCookie: ReturnType<typeof createCookie> | undefined;
/** Holds only the random auth token (signed); everything else lives in PostgreSQL. */
export function getAuthCookie() {
  authCookie ??= createCookie(cookieName(AUTH_COOKIE), cookieOptions(Math.floor(AUTH_SESSION_ABSOLUTE_MS / 1000)));
  return authCookie;
}

export type LoginRefusal = { kind: "invalid-form"; failure: FormFailure } | { kind: "refused"; failure: Failure; email: string; redirectTo: string };

/** Who signed in, and where the form asked to go next. */
export type SignIn = { user: SignedInUser; redirectTo: string };

/** Thrown by the form strategy when a sign-in is refused, carrying why. */
export class LoginRefused extends Error {
  constructor(readonly refusal: LoginRefusal) {
    super(refusal.kind);
  }
}

/**
 * remix-auth 4 hands back the user and leaves the auth session to us. The form strategy reads the body
 * once and its verify callback validates it, so the sign-in form is parsed in one place. A new
 * authenticator per request lets the strategy see the client's address, which throttling needs.
 */
export function createAuthenticator(context: { clientIp: string }) {
  const authenticator = new Authenticator<SignIn>();
  authenticator.use(
    new FormStrategy(async ({ form }) => {
      const parsed = parseForm(LoginSchema, form);
      if (!parsed.ok) throw new LoginRefused({ kind: "invalid-form", failure: parsed });
      const { email, password, redirectTo = "" } = parsed.data;
      const result = await verifyLogin(getEm(), { email, password, ipAddress: context.clientIp });
      if (!result.ok) throw new LoginRefused({ kind: "refused", failure: result, email, redirectTo });
      return { user: result.user, redirectTo };
    }),
    "form",
  );
  return authenticator;
}

/** The auth token from the request's cookie, if any. */
export async function getAuthToken(request: Request): Promise<string | null> {
  const value = await getAuthCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

const signedInKey = (token: string) => `signed-in:${token}`;

/** Who the cookie signs in, looked up once per request however many loaders ask. */
export async function getOptionalUser(request: Request): Promise<SignedInUser | null> {
  const token = await getAuthToken(request);
  return token ? oncePerRequest(signedInKey(token), () => findAuthSessionUser(getEm(), token)) : null;
}

/**
 * Called by the server before Remix handles a request that carries a sign-in cookie: reads who it signs in
 * and the settings with one query, so the feature guard, the layouts and the page ask the database nothing
 * more for either.
 */
export async function primeRequest(cookieHeader: string | null): Promise<void> {
  if (!cookieHeader?.includes(getAuthCookie().name)) return;
  const value = await getAuthCookie().parse(cookieHeader);
  if (typeof value !== "string" || !value) return;
  const both = findAuthSessionUserAndSettings(getEm(), value);
  rememberForRequest(
    signedInKey(value),
    both.then((read) => read.user),
  );
  rememberSettingsForRequest(both.then((read) => read.settingsRows));
  // A failure is forgotten with the answers: whoever asks next reads again, and answers for it.
  await both.catch(() => {});
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SignedInUser> {
  const user = await getOptionalUser(request);
  if (user) return user;
  const url = new URL(request.url);
  const back = request.method === "GET" ? `${url.pathname}${url.search}` : url.pathname;
  throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`, 303);
}

export async function requireRole(request: Request, roles: readonly Role[]): Promise<SignedInUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) forbidden();
  return user;
}

export const requireCoach = (request: Request) => requireRole(request, ["COACH", "ADMIN"]);
export const requireAdmin = (request: Request) => requireRole(request, ["ADMIN"]);

/** Starts an auth session for `user` and answers the cookie that carries its token. */
export async function signInHeaders(user: SignedInUser, request: Request, clientIp: string): Promise<Headers> {
  const token = await createAuthSession(getEm(), {
    userId: user.id,
    userAgent: request.headers.get("User-Agent"),
    ipAddress: clientIp,
  });
  return new Headers({ "Set-Cookie": await getAuthCookie().serialize(token) });
}

export async function signOutHeaders(request: Request): Promise<Headers> {
  const token = await getAuthToken(request);
  if (token) {
    await destroyAuthSession(getEm(), token);
    forgetForRequest(signedInKey(token));
  }
  return new Headers({ "Set-Cookie": await getAuthCookie().serialize("", { maxAge: 0 }) });
}
