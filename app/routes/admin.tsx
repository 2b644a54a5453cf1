import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Outlet, useRouteError } from "@remix-run/react";
import { ConfirmPassword, isConfirmPasswordData } from "~/components/confirm-password";
import { ErrorDetails } from "~/components/error-details";
import { requireAdmin } from "~/modules/auth/auth-session.server";

// Guards the whole area; each child loader and action still authorises for itself, since loaders run in parallel.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function AdminArea() {
  return <Outlet />;
}

/**
 * The area's own boundary, inside the layout the root renders (with its navigation): the "confirm your
 * password" step before a change to settings, plans or people (requireRecentPassword), or the error page.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && isConfirmPasswordData(error.data)) return <ConfirmPassword {...error.data.confirmPassword} />;
  if (!isRouteErrorResponse(error)) console.error(error);
  return <ErrorDetails error={error} />;
}
