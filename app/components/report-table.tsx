import type { ReportTable as ReportTableModel } from "~/modules/reports/report-views.server";

/** A report's numbers: the text alternative of its chart. Wide tables scroll inside their box on a phone. */
export function ReportTable({ table }: { table: ReportTableModel }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[32rem] text-left text-sm">
        <caption className="sr-only">{table.caption}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            {table.columns.map((column, i) => (
              <th key={column} scope="col" className={`py-2 pr-3 ${i > 0 ? "text-right" : ""}`}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.length === 0 ? (
            <tr>
              <td colSpan={table.columns.length} className="py-2 text-slate-600">
                Nothing in these dates.
              </td>
            </tr>
          ) : (
            table.rows.map((row) => (
              <tr key={row.key} className="border-b border-slate-200">
                <th scope="row" className="py-2 pr-3 font-normal whitespace-nowrap">
                  {row.cells[0]}
                </th>
                {row.cells.slice(1).map((cell, i) => (
                  <td key={i} className="py-2 pr-3 text-right tabular-nums">
                    {cell}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
        {table.totals ? (
          <tfoot>
            <tr className="font-semibold">
              <th scope="row" className="py-2 pr-3">
                {table.totals[0]}
              </th>
              {table.totals.slice(1).map((cell, i) => (
                <td key={i} className="py-2 pr-3 text-right tabular-nums">
                  {cell}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
