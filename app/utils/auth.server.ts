import { redirect } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import type { Role } from "~/modules/auth/auth.entities.server";
import {
  createAuthSession,
  destroyAuthSession,
  findSessionUser,
  verifyLogin,
  type LoginResult,
  type SignedInUser,
} from "~/modules/auth/auth.service.server";
import { getAuthCookie } from "./cookies.server";
import { getEm } from "./db.server";
import { forbidden } from "./http.server";

/** Thrown by the form strategy when a sign-in is refused, carrying why. */
export class LoginRefused extends Error {
  constructor(readonly result: Exclude<LoginResult, { ok: true }>) {
    super(result.reason);
  }
}

/**
 * remix-auth 4 hands back the user and leaves the session to us. A new authenticator per request lets
 * the strategy see the client's address, which throttling needs.
 */
export function createAuthenticator(context: { clientIp: string }) {
  const authenticator = new Authenticator<SignedInUser>();
  authenticator.use(
    new FormStrategy(async ({ form }) => {
      const result = await verifyLogin(getEm(), {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        ipAddress: context.clientIp,
      });
      if (!result.ok) throw new LoginRefused(result);
      return result.user;
    }),
    "form",
  );
  return authenticator;
}

async function readToken(request: Request): Promise<string | null> {
  const value = await getAuthCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export async function getOptionalUser(request: Request): Promise<SignedInUser | null> {
  const token = await readToken(request);
  return token ? findSessionUser(getEm(), token) : null;
}

export async function getSessionToken(request: Request): Promise<string | null> {
  return readToken(request);
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

export async function signInHeaders(user: SignedInUser, request: Request, clientIp: string): Promise<Headers> {
  const token = await createAuthSession(getEm(), {
    userId: user.id,
    userAgent: request.headers.get("User-Agent"),
    ipAddress: clientIp,
  });
  return new Headers({ "Set-Cookie": await getAuthCookie().serialize(token) });
}

export async function signOutHeaders(request: Request): Promise<Headers> {
  const token = await readToken(request);
  if (token) await destroyAuthSession(getEm(), token);
  return new Headers({ "Set-Cookie": await getAuthCookie().serialize("", { maxAge: 0 }) });
}
