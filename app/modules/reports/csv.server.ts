import { stringify } from "csv-stringify/sync";

export type CsvCell = string | number | null;

/**
 * A CSV file: a header line, then one line per row, quoted where needed (commas, quotes, line breaks).
 * It starts with a byte order mark, so spreadsheets read it as UTF-8, and a cell that a spreadsheet would
 * run as a formula (=, +, -, @ …) is prefixed with an apostrophe (text typed by people, such as names).
 */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return stringify([header, ...rows], { bom: true, escape_formulas: true });
}

/** A CSV download: `text/csv; charset=utf-8`, saved as `filename`, never cached. */
export function csvResponse(csv: string, filename: string): Response {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
