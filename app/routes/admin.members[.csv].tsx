import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { csvResponse } from "~/modules/reports/csv.server";
import { membersCsv, membersExport, membersFileName } from "~/modules/reports/members-export.server";
import { studioToday } from "~/modules/settings/settings.service.server";

/** The members export: every membership of every client, one CSV row each (members-export.server.ts). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const em = getEm();
  const now = new Date();
  const rows = await membersExport(em, now);
  return csvResponse(membersCsv(rows), membersFileName(await studioToday(em, now)));
}
