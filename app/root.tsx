import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { Shell } from "./components/shell";
import { featureFlags } from "./modules/settings/feature-flags";
import { getSettings } from "./modules/settings/settings.service.server";
import stylesheet from "./styles/app.css";
import { getOptionalUser } from "./modules/auth/auth-session.server";
import { getEm } from "./modules/db.server";
import { consumeFlash } from "./utils/flash.server";
import { navigationFor } from "./components/navigation";
import { useNonce } from "./utils/nonce";
import { UNAVAILABLE_TEXT } from "./utils/database-outage";

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
      nav: user ? navigationFor(user.role, featureFlags(settings)) : [],
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

const ERROR_TEXT: Record<number, { title: string; body: string }> = {
  400: { title: "That request did not make sense", body: "Please go back and try again." },
  403: { title: "Not allowed", body: "You do not have access to this page." },
  404: { title: "Page not found", body: "We could not find the page you asked for." },
  503: UNAVAILABLE_TEXT,
};

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = ERROR_TEXT[status] ?? { title: "Something went wrong", body: "Sorry, that did not work. Please try again in a moment." };
  const detail = isRouteErrorResponse(error) && typeof error.data?.message === "string" ? error.data.message : text.body;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <Document title={`${text.title} · Centurion`}>
      <Shell studioName={root?.studioName ?? "Centurion"} user={root?.user ?? null} nav={root?.nav ?? []} flash={null}>
        <section className="card" aria-labelledby="error-title">
          <p className="text-sm font-semibold text-slate-600">Error {status}</p>
          <h1 id="error-title" className="mt-1 text-2xl font-bold">
            {text.title}
          </h1>
          <p className="mt-2">{detail}</p>
          <p className="mt-4">
            <Link to="/">Go to your home page</Link>
          </p>
        </section>
      </Shell>
    </Document>
  );
}
