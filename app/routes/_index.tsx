import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { homePathFor } from "~/modules/auth/auth.rules";
import { getOptionalUser } from "~/modules/auth/auth-session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return redirect(user ? homePathFor(user.role) : "/login", 303);
}
