// The sign-in ("auth session") as HTTP sees it: the cookie holding the auth token, the remix-auth form
// strategy, and the guards loaders and actions call. The rules and storage live in auth.service.server.ts.
import { createCookie, json, redirect } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { getEm } from "~/modules/db.server";
import { forgetForRequest, oncePerRequest, rememberForRequest } from "~/modules/request-memo.server";
import { getSettings, rememberSettingsForRequest } from "~/modules/settings/settings.service.server";
import { AUTH_COOKIE, cookieName, cookieOptions } from "~/utils/cookies.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { forbidden } from "~/utils/http.server";
import type { Failure } from "~/utils/result";
import type { Role } from "./auth.entities.server";
import { AUTH_SESSION_ABSOLUTE_MS, homePathFor, needsPasswordAgain, safeRedirect } from "./auth.rules";
import { LoginSchema } from "./auth.schema";
import {
  createAuthSession,
  destroyAuthSession,
  findAuthSessionUser,
  findAuthSessionUserAndSettings,
  verifyLogin,
  type SignedInSession,
  type SignedInUser,
} from "./auth.service.server";
import { confirmPassword } from "./reauth.service.server";
import { isPendingSignInFresh, mustEnrolSecondFactor, PENDING_SIGN_IN_MS } from "./two-factor.rules";
import { hasTwoFactor } from "./two-factor.service.server";

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
export function getAuthToken(request: Request): Promise<string | null> {
  return authTokenOf(request.headers.get("Cookie"));
}

/** The cookie's signature is checked once per request, however many loaders ask. */
function authTokenOf(cookieHeader: string | null): Promise<string | null> {
  if (!cookieHeader?.includes(getAuthCookie().name)) return Promise.resolve(null);
  return oncePerRequest(`auth-cookie:${cookieHeader}`, async () => {
    const value = await getAuthCookie().parse(cookieHeader);
    return typeof value === "string" && value.length > 0 ? value : null;
  });
}

const signedInKey = (token: string) => `signed-in:${token}`;

/** Who the cookie signs in, looked up once per request however many loaders ask. */
export async function getOptionalUser(request: Request): Promise<SignedInSession | null> {
  const token = await getAuthToken(request);
  return token ? oncePerRequest(signedInKey(token), () => findAuthSessionUser(getEm(), token)) : null;
}

/**
 * Called by the server before Remix handles a request that carries a sign-in cookie: reads who it signs in
 * and the settings with one query, so the feature guard, the layouts and the page ask the database nothing
 * more for either.
 */
export async function primeRequest(cookieHeader: string | null): Promise<void> {
  const value = await authTokenOf(cookieHeader);
  if (!value) return;
  const both = findAuthSessionUserAndSettings(getEm(), value);
  rememberForRequest(
    signedInKey(value),
    both.then((read) => read.user),
  );
  rememberSettingsForRequest(both.then((read) => read.settingsRows));
  // A failure is forgotten with the answers: whoever asks next reads again, and answers for it.
  await both.catch(() => {});
}

/** Where a coach or admin without a second factor is sent while the studio requires one. */
export const SECOND_FACTOR_SETUP_PATH = "/account/two-factor";

/**
 * The signed-in user, or a redirect to the sign-in page that comes back here afterwards. A coach or admin
 * who must set up a second factor first (two-factor.rules.ts) is sent to do so, from every page but that one.
 */
export async function requireUser(request: Request, options: { withoutSecondFactor?: boolean } = {}): Promise<SignedInSession> {
  const user = await getOptionalUser(request);
  if (user) {
    if (!options.withoutSecondFactor && (await mustSetUpSecondFactor(user))) throw redirect(SECOND_FACTOR_SETUP_PATH, 303);
    return user;
  }
  const url = new URL(request.url);
  const back = request.method === "GET" ? `${url.pathname}${url.search}` : url.pathname;
  throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`, 303);
}

/** Whether `user` may only set up a second factor for now (the settings are the request's one read). */
export async function mustSetUpSecondFactor(user: SignedInSession): Promise<boolean> {
  if (user.twoFactor || user.role === "CLIENT") return false;
  return mustEnrolSecondFactor(user, await getSettings(getEm()));
}

export async function requireRole(request: Request, roles: readonly Role[]): Promise<SignedInSession> {
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
    role: user.role,
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

// ---------- the second step of a sign-in ----------

let pendingCookie: ReturnType<typeof createCookie> | undefined;
/**
 * After a right password, an account with a second factor gets this short-lived signed cookie instead of a
 * sign-in: it names the account and where to go, and is worth nothing without a code (login_.two-factor.tsx).
 */
function getPendingSignInCookie() {
  pendingCookie ??= createCookie(cookieName("centurion_2fa"), cookieOptions(Math.floor(PENDING_SIGN_IN_MS / 1000)));
  return pendingCookie;
}

export type PendingSignIn = { userId: number; redirectTo: string };

/** Where an account with a second factor goes after its password, with `pendingSignInHeaders`. */
export const SECOND_STEP_PATH = "/login/two-factor";

/** The cookie of a sign-in waiting for its code: the password of `user` was right (or was just set). */
export async function pendingSignInHeaders(user: { id: number }, redirectTo: string): Promise<Headers> {
  return new Headers({ "Set-Cookie": await getPendingSignInCookie().serialize({ userId: user.id, redirectTo, issuedAt: Date.now() }) });
}

/** What follows a right password: a sign-in, or for an account with a second factor the page that asks for a code. */
export async function afterPassword(user: SignedInUser, redirectTo: string, request: Request, clientIp: string): Promise<Response> {
  if (await hasTwoFactor(getEm(), user.id)) return redirect(SECOND_STEP_PATH, { status: 303, headers: await pendingSignInHeaders(user, redirectTo) });
  const headers = await signInHeaders(user, request, clientIp);
  return redirect(safeRedirect(redirectTo, homePathFor(user.role)), { status: 303, headers });
}

/** The sign-in waiting for its code, if the request carries one that is signed and fresh. */
export async function readPendingSignIn(request: Request, now = new Date()): Promise<PendingSignIn | null> {
  const value: unknown = await getPendingSignInCookie().parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const { userId, redirectTo, issuedAt } = value as Record<string, unknown>;
  if (typeof userId !== "number" || typeof redirectTo !== "string" || typeof issuedAt !== "number") return null;
  if (!isPendingSignInFresh(issuedAt, now)) return null;
  return { userId, redirectTo };
}

export async function clearPendingSignInCookie(): Promise<string> {
  return getPendingSignInCookie().serialize("", { maxAge: 0 });
}

// ---------- re-authentication before changing settings, plans or roles ----------

/** The password field the "confirm your password" step adds to the form it sends again. */
export const REAUTH_FIELD = "reauthPassword";

/** What the "confirm your password" step shows (root.tsx): the form as it was sent, to send again with the password. */
export type ConfirmPasswordData = { confirmPassword: { action: string; fields: [string, string][]; error?: string } };

/**
 * For actions that change settings, plans or roles: passes when the password was typed in this sign-in
 * within the last 15 minutes (or comes with this post, in REAUTH_FIELD, and is right). Otherwise it answers
 * 401 with a "confirm your password" form holding everything that was sent, so nothing typed is lost and
 * it works without JavaScript. Too many wrong passwords end the sign-in (reauth.service.server.ts).
 */
export async function requireRecentPassword(request: Request, formData: FormData, now = new Date()): Promise<SignedInSession> {
  const user = await requireUser(request);
  const typed = formData.get(REAUTH_FIELD);
  formData.delete(REAUTH_FIELD);
  if (typeof typed === "string" && typed.length > 0) {
    const result = await confirmPasswordOrSignOut(request, user, typed, now);
    if (result.ok) return user;
    throw confirmPasswordResponse(request, formData, "That is not your password. Try again.");
  }
  if (!needsPasswordAgain(user.passwordConfirmedAt, now)) return user;
  throw confirmPasswordResponse(request, formData);
}

/**
 * Checks the password typed in this sign-in to confirm a change (and records the time when right). After
 * too many wrong ones the sign-in has ended: this throws the redirect to the sign-in page.
 */
export async function confirmPasswordOrSignOut(request: Request, user: SignedInSession, password: string, now = new Date()) {
  const result = await confirmPassword(getEm(), { authSessionId: user.authSessionId, userId: user.id, password }, now);
  if (result.ok || result.reason !== "signed-out") return result;
  const token = await getAuthToken(request);
  if (token) forgetForRequest(signedInKey(token));
  const headers = { "Set-Cookie": await getAuthCookie().serialize("", { maxAge: 0 }) };
  throw await redirectWithFlash("/login", { kind: "error", message: result.formError ?? "Sign in again." }, { headers });
}

function confirmPasswordResponse(request: Request, formData: FormData, error?: string) {
  const url = new URL(request.url);
  url.searchParams.delete("_data");
  const fields: [string, string][] = [];
  for (const [key, value] of formData.entries()) if (typeof value === "string") fields.push([key, value]);
  const data: ConfirmPasswordData = { confirmPassword: { action: `${url.pathname}${url.search}`, fields, ...(error ? { error } : {}) } };
  return json(data, { status: 401, headers: { "Cache-Control": "no-store" } });
}
