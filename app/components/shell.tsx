import { useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { usePlainLinksAndForms } from "~/components/plain-links-and-forms";
import type { Flash } from "~/utils/flash.server";
import type { NavItem } from "~/components/navigation";

type ShellUser = { name: string; role: string } | null;

/** As React Router's NavLink decides it: this page, or (unless `end`) a page below it. */
function isCurrent(pathname: string, to: string, end: boolean): boolean {
  return pathname === to || (!end && pathname.startsWith(`${to}/`));
}

const FLASH_STYLES: Record<Flash["kind"], string> = {
  success: "border-green-300 bg-green-50 text-green-900",
  error: "border-red-300 bg-red-50 text-red-900",
  info: "border-sky-300 bg-sky-50 text-sky-900",
};

export function Shell({
  studioName,
  user,
  nav,
  flash,
  children,
}: {
  studioName: string;
  user: ShellUser;
  nav: NavItem[];
  flash: Flash | null;
  children: ReactNode;
}) {
  const { pathname } = useLocation();
  const plainLinksAndForms = usePlainLinksAndForms();
  return (
    <>
      {/* Shown over the dark header, so its focus ring is drawn inside its own white box. */}
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2 focus-visible:-outline-offset-4"
      >
        Skip to content
      </a>
      {/* A light focus ring on the dark header and navigation, where the page's dark one would not show. Plain
          links and forms, enhanced once here (usePlainLinksAndForms): every page has them. */}
      <header className="bg-brand-900 text-white [&_:focus-visible]:outline-amber-400" {...plainLinksAndForms}>
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <a href="/" className="text-lg font-bold text-white no-underline">
            {studioName}
          </a>
          {user ? (
            <div className="flex items-center gap-2 text-sm">
              <a href="/account/password" className="text-white underline">
                {user.name}
              </a>
              <a href="/account/two-factor" className="text-white underline">
                Security
              </a>
              <form method="post" action="/logout">
                <button type="submit" className="min-h-11 rounded-md border border-white/60 px-3 font-semibold text-white hover:bg-white/10">
                  Sign out
                </button>
              </form>
            </div>
          ) : (
            <div className="flex gap-3 text-sm">
              <a href="/login" className="text-white underline">
                Sign in
              </a>
              <a href="/signup" className="text-white underline">
                Join
              </a>
            </div>
          )}
        </div>
        {nav.length > 0 ? (
          <nav aria-label="Main" className="bg-brand-700">
            <ul className="mx-auto flex max-w-5xl flex-wrap gap-x-1 px-2">
              {nav.map((item) => (
                <li key={item.to}>
                  <a href={item.to} aria-current={isCurrent(pathname, item.to, item.to.split("/").length <= 2) ? "page" : undefined} className="nav-link">
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6">
        <div role="status" aria-live="polite">
          {flash ? <p className={`mb-4 rounded-md border p-3 font-medium ${FLASH_STYLES[flash.kind]}`}>{flash.message}</p> : null}
        </div>
        {children}
      </main>
    </>
  );
}
