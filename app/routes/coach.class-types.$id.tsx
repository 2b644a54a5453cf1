import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ClassTypeForm } from "~/components/class-type-form";
import { findClassType, setClassTypeActive, updateClassType } from "~/modules/sessions/class-types.service.server";
import { ClassTypeFormSchema } from "~/modules/sessions/sessions.schema";
import { getSettings } from "~/modules/settings/settings.service.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.classType.name ?? "Class type"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireCoach(request);
  const em = getEm();
  const classType = await findClassType(em, idParam(params.id, "that class type"));
  if (!classType) notFound("We could not find that class type.");
  const settings = await getSettings(em);
  return json({
    classType: {
      id: classType.id,
      name: classType.name,
      description: classType.description ?? null,
      color: classType.color,
      defaultCapacity: classType.defaultCapacity,
      defaultDurationMins: classType.defaultDurationMins,
      bookingOpensDaysBefore: classType.bookingOpensDaysBefore ?? null,
      bookingClosesMinutesBefore: classType.bookingClosesMinutesBefore ?? null,
      isActive: classType.isActive,
    },
    studioDefaults: { bookingOpensDaysBefore: settings.bookingOpensDaysBefore, bookingClosesMinutesBefore: settings.bookingClosesMinutesBefore },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireCoach(request);
  const id = idParam(params.id, "that class type");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "deactivate" || intent === "reactivate") {
    const result = await setClassTypeActive(getEm(), id, intent === "reactivate");
    if (!result) notFound("We could not find that class type.");
    if (!result.ok) return badRequest(formFailure({}, result.fieldErrors.name?.[0] ?? "That did not work."));
    return redirectWithFlash("/coach/class-types", {
      kind: "success",
      message:
        intent === "deactivate" ? `“${result.classType.name}” is deactivated; its sessions stay as they are.` : `“${result.classType.name}” is active again.`,
    });
  }
  if (intent !== "update") return badRequest(formFailure({}, "Unknown action."));
  const form = parseForm(ClassTypeFormSchema, formData);
  if (!form.ok) return badRequest(form);
  const result = await updateClassType(getEm(), id, form.data);
  if (!result) notFound("We could not find that class type.");
  if (!result.ok) return badRequest(formFailure(submittedValues(formData), result));
  return redirectWithFlash("/coach/class-types", { kind: "success", message: `Class type “${result.classType.name}” saved.` });
}

export default function EditClassType() {
  const { classType, studioDefaults } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const statusFailure = failure && Object.keys(failure.fieldErrors).length === 0 ? failure : undefined;
  return (
    <section aria-labelledby="class-type-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to="/coach/class-types">← All class types</Link>
      </p>
      <h1 id="class-type-title" className="mb-4 text-2xl font-bold">
        Edit {classType.name}
        {classType.isActive ? null : <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 align-middle text-sm font-semibold">Inactive</span>}
      </h1>
      <ClassTypeForm
        intent="update"
        submitLabel="Save changes"
        initial={classType}
        failure={statusFailure ? undefined : failure}
        studioDefaults={studioDefaults}
      />
      <Form method="post" className="mt-6">
        {statusFailure?.formError ? (
          <p role="alert" className="field-error mb-2">
            {statusFailure.formError}
          </p>
        ) : null}
        <input type="hidden" name="intent" value={classType.isActive ? "deactivate" : "reactivate"} />
        <button type="submit" className={classType.isActive ? "btn-secondary" : "btn-primary"}>
          {classType.isActive ? "Deactivate this class type" : "Reactivate this class type"}
        </button>
        <p className="mt-1 text-sm text-slate-600">
          {classType.isActive ? "Existing sessions keep it; new sessions can no longer use it." : "It becomes available for new sessions again."}
        </p>
      </Form>
    </section>
  );
}
