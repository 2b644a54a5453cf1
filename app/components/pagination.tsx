import { Link } from "@remix-run/react";

/** Previous/next links that keep the current filters (the query string) and change only `page`. */
export function Pagination({ query, page, pageCount }: { query: string; page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  const to = (target: number) => {
    const params = new URLSearchParams(query);
    params.set("page", String(target));
    return `?${params}`;
  };
  return (
    <nav aria-label="Pages" className="mt-4 flex gap-3">
      {page > 1 ? (
        <Link to={to(page - 1)} className="btn-secondary">
          ← Previous
        </Link>
      ) : null}
      {page < pageCount ? (
        <Link to={to(page + 1)} className="btn-secondary">
          Next →
        </Link>
      ) : null}
    </nav>
  );
}
