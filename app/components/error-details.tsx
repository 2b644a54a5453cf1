import { isRouteErrorResponse, Link } from "@remix-run/react";
import { UNAVAILABLE_TEXT } from "~/utils/database-outage";

const ERROR_TEXT: Record<number, { title: string; body: string }> = {
  400: { title: "That request did not make sense", body: "Please go back and try again." },
  403: { title: "Not allowed", body: "You do not have access to this page." },
  404: { title: "Page not found", body: "We could not find the page you asked for." },
  503: UNAVAILABLE_TEXT,
};

/** The title of the error page for `error`. */
export function errorTitle(error: unknown): string {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (ERROR_TEXT[status] ?? { title: "Something went wrong" }).title;
}

/** What an error boundary shows inside the layout: the status, what it means, and the way home. */
export function ErrorDetails({ error }: { error: unknown }) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = ERROR_TEXT[status] ?? { title: "Something went wrong", body: "Sorry, that did not work. Please try again in a moment." };
  const detail = isRouteErrorResponse(error) && typeof error.data?.message === "string" ? error.data.message : text.body;
  return (
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
  );
}
