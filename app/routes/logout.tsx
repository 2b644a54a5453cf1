import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOutHeaders } from "~/modules/auth/auth-session.server";
import { redirectWithFlash } from "~/utils/flash.server";

export async function loader() {
  // Signing out changes state, so it is a POST; a stray GET just goes home.
  return redirect("/", 303);
}

export async function action({ request }: ActionFunctionArgs) {
  const headers = await signOutHeaders(request);
  return redirectWithFlash("/login", { kind: "info", message: "You have signed out." }, { headers });
}
