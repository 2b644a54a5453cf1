// Calls a route's loader or action in-process, as Remix would for one request: a request context
// (one EntityManager) on this file's database, and the sign-in cookie of a user.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createAuthSession } from "~/modules/auth/auth.service.server";
import { getAuthCookie } from "~/modules/auth/auth-session.server";
import { withRequestContext } from "~/modules/db.server";
import { forkEm } from "./db";

/** The Cookie header of a new sign-in of `user`. */
export async function signedInCookie(user: { id: number }): Promise<string> {
  const token = await createAuthSession(await forkEm(), { userId: user.id });
  return (await getAuthCookie().serialize(token)).split(";")[0];
}

type Handler<A> = (args: A) => Promise<unknown>;

/** Runs the handler and answers its Response, whether it returned or threw it (redirects, 404s). */
async function run<A>(handler: Handler<A>, args: A): Promise<Response> {
  return withRequestContext(async () => {
    try {
      const result = await handler(args);
      if (result instanceof Response) return result;
      return Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

/** Runs `action` for a request the test built itself (its own method, headers and body). */
export function callAction(action: Handler<ActionFunctionArgs>, request: Request): Promise<Response> {
  return run(action, { request, params: {}, context: { cspNonce: "test", clientIp: "127.0.0.1" } });
}

/** POSTs `fields` as a plain HTML form to `path`'s action. */
export async function postForm(
  action: Handler<ActionFunctionArgs>,
  options: { path: string; params?: Record<string, string>; cookie: string; fields: Record<string, string> },
): Promise<Response> {
  const request = new Request(`http://localhost${options.path}`, {
    method: "POST",
    headers: { Cookie: options.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(options.fields).toString(),
  });
  return run(action, { request, params: options.params ?? {}, context: { cspNonce: "test", clientIp: "127.0.0.1" } });
}

/** GETs `path` through its loader and answers its Response, whatever the status (loaders throw 403/404). */
export async function getLoader(
  loader: Handler<LoaderFunctionArgs>,
  options: { path: string; params?: Record<string, string>; cookie: string },
): Promise<Response> {
  const request = new Request(`http://localhost${options.path}`, { headers: { Cookie: options.cookie } });
  return run(loader, { request, params: options.params ?? {}, context: { cspNonce: "test", clientIp: "127.0.0.1" } });
}

/** GETs `path` through its loader and answers the JSON it returned. */
export async function loaderData<T = Record<string, unknown>>(
  loader: Handler<LoaderFunctionArgs>,
  options: { path: string; params?: Record<string, string>; cookie: string },
): Promise<T> {
  const response = await getLoader(loader, options);
  if (response.status !== 200) throw new Error(`GET ${options.path} answered ${response.status}`);
  return (await response.json()) as T;
}
