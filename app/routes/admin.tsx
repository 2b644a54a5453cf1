import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireAdmin } from "~/modules/auth/auth-session.server";

// Guards the whole area; each child loader and action still authorises for itself, since loaders run in parallel.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function AdminArea() {
  return <Outlet />;
}
