import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ClassTypeForm } from "~/components/class-type-form";
import { ColorSwatch } from "~/components/session-bits";
import { createClassType, listClassTypes } from "~/modules/sessions/class-types.service.server";
import { ClassTypeFormSchema } from "~/modules/sessions/sessions.schema";
import { getSettings } from "~/modules/settings/settings.service.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Class types · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoach(request);
  const em = getEm();
  const [classTypes, settings] = await Promise.all([listClassTypes(em, { includeInactive: true }), getSettings(em)]);
  return json({
    classTypes: classTypes.map((c) => ({
      id: c.id,
      name: c.name,
      color: c.color,
      defaultCapacity: c.defaultCapacity,
      defaultDurationMins: c.defaultDurationMins,
      isActive: c.isActive,
    })),
    studioDefaults: { bookingOpensDaysBefore: settings.bookingOpensDaysBefore, bookingClosesMinutesBefore: settings.bookingClosesMinutesBefore },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireCoach(request);
  const formData = await readFormData(request);
  const form = parseForm(ClassTypeFormSchema, formData);
  if (!form.ok) return badRequest(form);
  const result = await createClassType(getEm(), form.data);
  if (!result.ok) return badRequest(formFailure(submittedValues(formData), result));
  return redirectWithFlash("/coach/class-types", { kind: "success", message: `Class type “${result.classType.name}” created.` });
}

export default function ClassTypes() {
  const { classTypes, studioDefaults } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section aria-labelledby="class-types-title">
      <h1 id="class-types-title" className="mb-4 text-2xl font-bold">
        Class types
      </h1>
      {classTypes.length === 0 ? (
        <p className="mb-6">No class types yet. Create the first one below.</p>
      ) : (
        <ul className="mb-8 grid gap-3 sm:grid-cols-2">
          {classTypes.map((c) => (
            <li key={c.id} className={`card flex items-start justify-between gap-3 ${c.isActive ? "" : "bg-slate-50"}`}>
              <div>
                <p className="flex items-center gap-2 text-lg font-semibold">
                  <ColorSwatch color={c.color} /> {c.name}
                  {c.isActive ? null : <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold">Inactive</span>}
                </p>
                <p className="text-sm text-slate-700">
                  {c.defaultDurationMins} min · {c.defaultCapacity} places
                </p>
              </div>
              <Link to={`/coach/class-types/${c.id}`} className="font-semibold" aria-label={`Edit ${c.name}`}>
                Edit
              </Link>
            </li>
          ))}
        </ul>
      )}
      <h2 className="mb-3 text-xl font-bold">New class type</h2>
      <ClassTypeForm intent="create" submitLabel="Create class type" failure={failure} studioDefaults={studioDefaults} />
    </section>
  );
}
