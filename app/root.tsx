import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Shell } from "./components/shell";
import { featureFlags } from "./modules/settings/feature-flags";
import { getSettings } from "./modules/settings/settings.service.server";
import stylesheet from "./styles/app.css";
import { getOptionalUser } from "./modules/auth/auth-session.server";
import { mustEnrolSecondFactor } from "./modules/auth/two-factor.rules";
import { ErrorDetails, errorTitle } from "./components/error-details";
import { getEm } from "./modules/db.server";
import { consumeFlash } from "./utils/flash.server";
import { navigationFor } from "./components/navigation";
import { useNonce } from "./utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, settings, { flash, setCookie }] = await Promise.all([getOptionalUser(request), getSettings(getEm()), consumeFlash(request)]);
  return json(
    {
      user: user ? { name: user.name, role: user.role } : null,
      studioName: settings.studioName,
      // A coach or admin who must set up two-step sign-in first is shown no way elsewhere (requireUser sends them back).
      nav: user && !mustEnrolSecondFactor(user, settings) ? navigationFor(user.role, featureFlags(settings)) : [],
      flash,
    },
    { headers: setCookie ? { "Set-Cookie": setCookie } : {} },
  );
}

function Document({ children, title }: { children: ReactNode; title?: string }) {
  const nonce = useNonce();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <Document>
      <Shell studioName={data.studioName} user={data.user} nav={data.nav} flash={data.flash}>
        <Outlet />
      </Shell>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <Document title={`${errorTitle(error)} · Centurion`}>
      <Shell studioName={root?.studioName ?? "Centurion"} user={root?.user ?? null} nav={root?.nav ?? []} flash={null}>
        <ErrorDetails error={error} />
      </Shell>
    </Document>
  );
}
