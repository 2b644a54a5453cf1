import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireUser } from "~/modules/auth/auth-session.server";

// Guards the whole area; each child loader and action still authorises for itself, since loaders run in parallel.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function ClientArea() {
  return <Outlet />;
}
