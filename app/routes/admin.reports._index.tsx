import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { ReportChart } from "~/components/report-chart";
import { ReportTable } from "~/components/report-table";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { reportView, type ReportSection } from "~/modules/reports/report-views.server";
import { GROUPING_LABELS, GROUPINGS, RULES, monthSpan } from "~/modules/reports/reports.rules";
import { readReportQuery } from "~/modules/reports/reports.schema";
import { studioReport } from "~/modules/reports/reports.service.server";
import { studioToday } from "~/modules/settings/settings.service.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Reports · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const em = getEm();
  const query = readReportQuery(new URL(request.url).searchParams, await studioToday(em));
  const report = await studioReport(em, { range: query.range, by: query.by });
  const months = monthSpan(query.range);
  return json({
    range: query.range,
    by: query.by,
    problems: query.problems,
    zone: report.zone,
    period: `${formatDate(query.range.from, report.zone)} to ${formatDate(query.range.to, report.zone)}`,
    months: `${formatDate(months.from, report.zone)} to ${formatDate(months.to, report.zone)}`,
    query: new URLSearchParams({ from: query.range.from, to: query.range.to, by: query.by }).toString(),
    view: reportView(report),
  });
}

function Section({
  id,
  title,
  rules,
  section,
  csv,
  children,
}: {
  id: string;
  title: string;
  rules: string[];
  section: ReportSection;
  csv: string;
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`} className="card">
      <h2 id={`${id}-title`} className="mb-1 text-xl font-bold">
        {title}
      </h2>
      {children}
      <ul className="mb-3 list-disc pl-5 text-sm text-slate-700">
        {rules.map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
      {section.charts.map((chart) => (
        <ReportChart key={chart.id} chart={chart} />
      ))}
      <ReportTable table={section.table} />
      <p className="mt-3">
        <a href={csv} download className="btn-secondary">
          Download {title.toLowerCase()} (CSV)
        </a>
      </p>
    </section>
  );
}

export default function Reports() {
  const { range, by, problems, zone, period, months, query, view } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "loading";
  const csv = (file: string) => `/admin/reports/${file}.csv?${query}`;
  return (
    <section aria-labelledby="reports-title" className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 id="reports-title" className="text-2xl font-bold">
          Reports
        </h1>
        <a href="/admin/members.csv" download className="btn-secondary">
          Export members (CSV)
        </a>
      </div>
      {problems.length ? (
        <div role="alert" className="field-error">
          {problems.map((problem) => (
            <p key={problem}>{problem}</p>
          ))}
        </div>
      ) : null}
      <Form method="get" className="card grid gap-3 sm:grid-cols-4" aria-label="Choose the dates">
        <label className="text-sm font-medium">
          From
          <input type="date" name="from" required defaultValue={range.from} className="field-input mt-1" />
        </label>
        <label className="text-sm font-medium">
          To
          <input type="date" name="to" required defaultValue={range.to} className="field-input mt-1" />
        </label>
        <label className="text-sm font-medium">
          Group sessions by
          <select name="by" defaultValue={by} className="field-input mt-1">
            {GROUPINGS.map((grouping) => (
              <option key={grouping} value={grouping}>
                {GROUPING_LABELS[grouping]}
              </option>
            ))}
          </select>
        </label>
        <div className="flex items-end">
          <button type="submit" className="btn-primary" disabled={busy}>
            Show
          </button>
        </div>
        <p className="text-sm text-slate-700 sm:col-span-4" role="status">
          Sessions from {period}; months {months}. Dates and times in {zone}.
        </p>
      </Form>
      <Section
        id="attendance"
        title="Attendance"
        rules={[RULES.sessions, RULES.booked, RULES.unmarked, RULES.lateCancels, by === "week" ? RULES.weeks : by === "slot" ? RULES.slots : ""].filter(
          Boolean,
        )}
        section={view.attendance}
        csv={csv("attendance")}
      />
      <Section id="utilisation" title="Utilisation" rules={[RULES.utilisation, RULES.sessions]} section={view.utilisation} csv={csv("utilisation")} />
      <Section id="memberships" title="Memberships in effect" rules={[RULES.memberships, RULES.months]} section={view.memberships} csv={csv("memberships")} />
      <Section id="revenue" title="Revenue" rules={[RULES.revenue, RULES.months]} section={view.revenue} csv={csv("revenue")} />
    </section>
  );
}
