import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { SelectField } from "~/components/select-field";
import { slotFormOptions } from "~/modules/appointments/appointment-views.server";
import { SlotFormSchema, SlotSeriesSchema } from "~/modules/appointments/appointments.schema";
import { createSlot, createSlotSeries } from "~/modules/appointments/appointments.service.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf, type FormFailure } from "~/utils/forms";
import { badRequestFor, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Offer appointment slots · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  return json({ ...(await slotFormOptions(getEm(), user)), me: user.id, isAdmin: user.role === "ADMIN" });
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCoach(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const em = getEm();
  if (intent === "single") {
    const form = parseForm(SlotFormSchema, formData);
    if (!form.ok) return badRequestFor("single", form);
    const result = await createSlot(em, { ...form.data, actor: user });
    if (!result.ok) return badRequestFor("single", formFailure(submittedValues(formData), result));
    return redirectWithFlash(`/coach/appointments/${result.slot.id}`, { kind: "success", message: "Slot offered: clients can book it now." });
  }
  if (intent === "series") {
    const form = parseForm(SlotSeriesSchema, formData);
    if (!form.ok) return badRequestFor("series", form);
    const result = await createSlotSeries(em, { ...form.data, actor: user });
    if (!result.ok) return badRequestFor("series", formFailure(submittedValues(formData), result));
    const skipped = [
      result.clashed ? `${result.clashed} that clashed with other open slots of the coach` : null,
      result.past ? `${result.past} in the past` : null,
    ].filter(Boolean);
    return redirectWithFlash("/coach/appointments", {
      kind: result.created ? "success" : "info",
      message: `Created ${plural(result.created, "slot", "slots")}${skipped.length ? `; skipped ${skipped.join(" and ")}` : ""}.`,
    });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

type Options = ReturnType<typeof useLoaderData<typeof loader>>;
type Failure = (FormFailure & { intent: string }) | undefined;

/** The fields both forms share: coach (admins only), class type, date, place and notes. */
function CommonFields({ prefix, options, failure }: { prefix: string; options: Options; failure: Failure }) {
  const errors = failure?.fieldErrors ?? {};
  const v = (key: string) => valueOf(failure?.values, key);
  return (
    <>
      {options.isAdmin ? (
        <SelectField
          id={`${prefix}-coachId`}
          label="Coach"
          name="coachId"
          options={options.coaches.map((c) => ({ value: c.id, label: c.name }))}
          defaultValue={v("coachId") ?? String(options.me)}
          errors={errors.coachId}
        />
      ) : null}
      <SelectField
        id={`${prefix}-classTypeId`}
        label="Class type"
        name="classTypeId"
        placeholder="Choose…"
        options={options.classTypes.map((c) => ({ value: c.id, label: c.name }))}
        defaultValue={v("classTypeId") ?? ""}
        errors={errors.classTypeId}
        required
      />
      <Field
        id={`${prefix}-date`}
        label="Date"
        name="date"
        type="date"
        required
        min={options.tomorrow}
        defaultValue={v("date") ?? options.tomorrow}
        errors={errors.date}
      />
    </>
  );
}

function PlaceFields({ prefix, options, failure }: { prefix: string; options: Options; failure: Failure }) {
  const errors = failure?.fieldErrors ?? {};
  const v = (key: string) => valueOf(failure?.values, key);
  return (
    <>
      <Field
        id={`${prefix}-location`}
        label="Location"
        name="location"
        maxLength={200}
        defaultValue={v("location") ?? options.defaultLocation ?? ""}
        errors={errors.location}
      />
      <div className="mb-4">
        <label htmlFor={`${prefix}-notes`} className="mb-1 block font-medium">
          Notes <span className="font-normal text-slate-600">(optional, clients see them)</span>
        </label>
        <textarea id={`${prefix}-notes`} name="notes" rows={2} className="field-input" defaultValue={v("notes")} />
      </div>
    </>
  );
}

export default function NewSlots() {
  const options = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as Failure;
  const single = failure?.intent === "single" ? failure : undefined;
  const series = failure?.intent === "series" ? failure : undefined;
  const sv = (key: string) => valueOf(single?.values, key);
  const rv = (key: string) => valueOf(series?.values, key);
  return (
    <section aria-labelledby="new-slots-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to="/coach/appointments">← Appointments</Link>
      </p>
      <h1 id="new-slots-title" className="mb-1 text-2xl font-bold">
        Offer appointment slots
      </h1>
      <p className="mb-4 text-slate-700">Times are in {options.zone}. Each slot is for one client.</p>
      {failure?.intent === "unknown" ? <FormError message={failure.formError} /> : null}

      <section aria-labelledby="single-title" className="card mb-6">
        <h2 id="single-title" className="mb-3 text-xl font-bold">
          One slot
        </h2>
        <Form method="post" noValidate aria-labelledby="single-title">
          <input type="hidden" name="intent" value="single" />
          <FormError message={single?.formError ?? (single ? "Please correct the fields marked below." : undefined)} />
          <CommonFields prefix="single" options={options} failure={single} />
          <div className="grid gap-x-4 sm:grid-cols-2">
            <Field
              id="single-startTime"
              label="Start time"
              name="startTime"
              type="time"
              required
              defaultValue={sv("startTime") ?? "10:00"}
              errors={single?.fieldErrors.startTime}
            />
            <Field
              id="single-durationMins"
              label="Length (minutes)"
              name="durationMins"
              type="number"
              inputMode="numeric"
              min={5}
              max={480}
              required
              defaultValue={sv("durationMins") ?? "45"}
              errors={single?.fieldErrors.durationMins}
            />
          </div>
          <PlaceFields prefix="single" options={options} failure={single} />
          <button type="submit" className="btn-primary">
            Offer this slot
          </button>
        </Form>
      </section>

      <section aria-labelledby="series-title" className="card">
        <h2 id="series-title" className="mb-1 text-xl font-bold">
          Several slots on one day
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Slots of the same length from the first start until the end time, with a gap between. Any that clash with your open slots are skipped.
        </p>
        <Form method="post" noValidate aria-labelledby="series-title">
          <input type="hidden" name="intent" value="series" />
          <FormError message={series?.formError ?? (series ? "Please correct the fields marked below." : undefined)} />
          <CommonFields prefix="series" options={options} failure={series} />
          <div className="grid gap-x-4 sm:grid-cols-2">
            <Field
              id="series-from"
              label="First start"
              name="from"
              type="time"
              required
              defaultValue={rv("from") ?? "09:00"}
              errors={series?.fieldErrors.from}
            />
            <Field id="series-to" label="Last slot ends by" name="to" type="time" required defaultValue={rv("to") ?? "12:00"} errors={series?.fieldErrors.to} />
            <Field
              id="series-lengthMins"
              label="Length of each (minutes)"
              name="lengthMins"
              type="number"
              inputMode="numeric"
              min={5}
              max={480}
              required
              defaultValue={rv("lengthMins") ?? "45"}
              errors={series?.fieldErrors.lengthMins}
            />
            <Field
              id="series-gapMins"
              label="Gap between (minutes)"
              name="gapMins"
              type="number"
              inputMode="numeric"
              min={0}
              max={240}
              defaultValue={rv("gapMins") ?? "15"}
              errors={series?.fieldErrors.gapMins}
            />
          </div>
          <PlaceFields prefix="series" options={options} failure={series} />
          <button type="submit" className="btn-primary">
            Offer these slots
          </button>
        </Form>
      </section>
    </section>
  );
}
