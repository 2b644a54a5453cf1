import { z } from "zod";
import { blankToUndefined, localDate } from "~/utils/form-fields";
import type { LocalDate } from "~/utils/time";
import { defaultRange, GROUPINGS, rangeProblem, type Grouping, type ReportRange } from "./reports.rules";

const DATE_MESSAGE = "Enter the dates as YYYY-MM-DD.";

/** The report page's query string: `from` and `to` (studio dates) and `by` (the grouping); each optional. */
export const ReportQuerySchema = z.object({
  from: z.preprocess(blankToUndefined, localDate(DATE_MESSAGE).optional()),
  to: z.preprocess(blankToUndefined, localDate(DATE_MESSAGE).optional()),
  by: z.preprocess(blankToUndefined, z.enum(GROUPINGS, { error: "Choose how to group the sessions." }).optional()),
});

export type ReportQuery = { range: ReportRange; by: Grouping; problems: string[] };

/**
 * What a report shows for a query string. A missing date is the default one; anything that does not
 * make a valid range gives the default range (the last 8 weeks) and says why, and an unknown grouping
 * gives weeks: never an error page.
 */
export function readReportQuery(params: URLSearchParams, today: LocalDate): ReportQuery {
  const fallback = defaultRange(today);
  const problems: string[] = [];
  const from = ReportQuerySchema.shape.from.safeParse(params.get("from") ?? undefined);
  const to = ReportQuerySchema.shape.to.safeParse(params.get("to") ?? undefined);
  const by = ReportQuerySchema.shape.by.safeParse(params.get("by") ?? undefined);
  let range = fallback;
  const asked = from.success && to.success ? { from: from.data ?? fallback.from, to: to.data ?? fallback.to } : null;
  const problem = asked ? rangeProblem(asked) : DATE_MESSAGE;
  if (problem) problems.push(`${problem} Showing the last 8 weeks instead.`);
  else if (asked) range = asked;
  if (!by.success) problems.push("Sessions can be grouped by week, class type, coach or time slot. Showing weeks instead.");
  return { range, by: by.success ? (by.data ?? "week") : "week", problems };
}
