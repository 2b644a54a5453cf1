import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SlotStateBadge } from "~/components/appointment-bits";
import { ColorSwatch } from "~/components/session-bits";
import { coachAppointments, type CoachSlotItem } from "~/modules/appointments/appointment-views.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { formatDayHeading } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Appointments · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  return json(await coachAppointments(getEm(), user));
}

export default function CoachAppointments() {
  const { upcoming, toMark, showCoach, zone } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="appointments-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="appointments-title" className="text-2xl font-bold">
          Appointments
        </h1>
        <Link to="/coach/appointments/new" className="btn-primary">
          Offer slots
        </Link>
      </div>
      <p className="mb-3 text-sm text-slate-600">1-on-1 slots clients book with a membership that includes their class type. Times in {zone}.</p>
      {toMark.length ? <SlotTable id="to-mark" title="Attendance to mark" slots={toMark} showCoach={showCoach} /> : null}
      <SlotTable
        id="upcoming"
        title={showCoach ? "Upcoming slots (every coach)" : "Your upcoming slots"}
        slots={upcoming}
        showCoach={showCoach}
        empty="No upcoming slots. Offer some so clients can book."
      />
    </section>
  );
}

function SlotTable({ id, title, slots, showCoach, empty }: { id: string; title: string; slots: CoachSlotItem[]; showCoach: boolean; empty?: string }) {
  return (
    <section aria-labelledby={`${id}-title`} className="card mb-4">
      <h2 id={`${id}-title`} className="mb-2 text-xl font-bold">
        {title}
      </h2>
      {slots.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr>
                <th scope="col" className="p-2">
                  When
                </th>
                <th scope="col" className="p-2">
                  Type
                </th>
                {showCoach ? (
                  <th scope="col" className="p-2">
                    Coach
                  </th>
                ) : null}
                <th scope="col" className="p-2">
                  State
                </th>
              </tr>
            </thead>
            <tbody>
              {slots.map((s) => (
                <tr key={s.slotId} className="border-t border-slate-200">
                  <th scope="row" className="p-2 font-semibold">
                    <Link to={`/coach/appointments/${s.slotId}`}>
                      {formatDayHeading(s.date)}, {s.startLabel}–{s.endLabel}
                    </Link>
                  </th>
                  <td className="p-2">
                    <span className="flex items-center gap-1">
                      <ColorSwatch color={s.color} /> {s.classTypeName}
                    </span>
                  </td>
                  {showCoach ? <td className="p-2">{s.coachName}</td> : null}
                  <td className="p-2">
                    <SlotStateBadge state={s.state} clientName={s.clientName} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
