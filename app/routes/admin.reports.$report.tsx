import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { csvResponse } from "~/modules/reports/csv.server";
import { reportFileOf } from "~/modules/reports/reports.rules";
import { readReportQuery } from "~/modules/reports/reports.schema";
import { reportFile } from "~/modules/reports/reports.service.server";
import { studioToday } from "~/modules/settings/settings.service.server";
import { notFound } from "~/utils/http.server";

/** A report as a CSV download: /admin/reports/attendance.csv?from=…&to=…&by=… (the page links each one). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const file = reportFileOf(params.report ?? "");
  if (!file) notFound("There is no such report.");
  const em = getEm();
  const query = readReportQuery(new URL(request.url).searchParams, await studioToday(em));
  // A download names its dates: one for other dates than were asked for would mislead.
  if (query.problems.length) return new Response(`${query.problems[0]}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const { filename, csv } = await reportFile(em, { file, range: query.range, by: query.by });
  return csvResponse(csv, filename);
}
