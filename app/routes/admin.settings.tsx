import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { SettingsFormSchema } from "~/modules/settings/settings.schema";
import { getSettings, updateSettings } from "~/modules/settings/settings.service.server";
import { requireAdmin, requireRecentPassword } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Settings · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ settings: await getSettings(getEm()) });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const formData = await readFormData(request);
  await requireRecentPassword(request, formData);
  const form = parseForm(SettingsFormSchema, formData);
  if (!form.ok) return badRequest(form);
  const { appointmentsEnabled, sessionsEnabled, cohortsEnabled, ...studio } = form.data;
  await updateSettings(getEm(), {
    ...studio,
    "features.appointments.enabled": appointmentsEnabled,
    "features.sessions.enabled": sessionsEnabled,
    "features.cohorts.enabled": cohortsEnabled,
  });
  return redirectWithFlash("/admin/settings", { kind: "success", message: "Settings saved." });
}

const FEATURES = [
  { name: "sessionsEnabled", key: "features.sessions.enabled", label: "Group sessions", hint: "Class timetable, booking and waitlists." },
  {
    name: "cohortsEnabled",
    key: "features.cohorts.enabled",
    label: "Cohort programmes",
    hint: "Multi-week programmes with weekly questionnaires, health check-ins and coach feedback.",
  },
  {
    name: "appointmentsEnabled",
    key: "features.appointments.enabled",
    label: "1-to-1 appointments",
    hint: "1-on-1 slots coaches offer (such as a sports massage) that clients book with a membership that includes their class type.",
  },
] as const;

/** The studio's whole-number settings, as the form shows them (the schema checks the same bounds). */
const NUMBER_SETTINGS = [
  {
    name: "defaultLateCancelCutoffHours",
    label: "Default late-cancel cut-off (hours)",
    min: 0,
    max: 168,
    hint: "Used when a membership plan does not set its own.",
  },
  { name: "bookingOpensDaysBefore", label: "Registrations open (days before a class)", min: 0, max: 365, hint: "Used when a class type does not set its own." },
  { name: "bookingClosesMinutesBefore", label: "Registrations close (minutes before a class)", min: 0, max: 10080, hint: "0 closes them at the start." },
  {
    name: "attendanceEditDays",
    label: "Attendance can be corrected for (days after a class)",
    min: 0,
    max: 60,
    hint: "Coaches mark and correct attendance from the start of a class until the end of this many days after it. 0: the class day only.",
  },
  {
    name: "paymentGraceDays",
    label: "Failed payments: grace period (days)",
    min: 0,
    max: 60,
    hint: "A subscription whose renewal fails stays usable for this many days after the first failure.",
  },
  {
    name: "maxPaymentFailures",
    label: "Failed payments before a membership is paused",
    min: 1,
    max: 10,
    hint: "After this many failed renewal payments the membership is paused and the client is told.",
  },
  {
    name: "questionnaireOpensDaysBeforeWeekEnd",
    label: "Cohort questionnaires open (days before the week ends)",
    min: 1,
    max: 7,
    hint: "1 opens a week's questionnaire on its last day.",
  },
  {
    name: "questionnaireClosesDaysAfterWeekEnd",
    label: "Cohort questionnaires stay open (days after the week ends)",
    min: 0,
    max: 28,
    hint: "7 keeps it open until the next week ends.",
  },
] as const;

export default function AdminSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = failure?.fieldErrors ?? {};
  const value = (name: keyof typeof settings) => failure?.values[name] ?? String(settings[name]);
  return (
    <section aria-labelledby="settings-title" className="max-w-xl">
      <h1 id="settings-title" className="mb-4 text-2xl font-bold">
        Studio settings
      </h1>
      <FormError message={failure ? "Please correct the fields marked below." : undefined} />
      <Form method="post" noValidate className="card">
        <Field label="Studio name" name="studioName" required defaultValue={value("studioName")} errors={errors.studioName} />
        <Field
          label="Time zone"
          name="studioTimeZone"
          required
          hint="Class times, weeks and cut-offs use this zone, e.g. Europe/London."
          defaultValue={value("studioTimeZone")}
          errors={errors.studioTimeZone}
        />
        <div className="mb-4">
          <label htmlFor="currency" className="mb-1 block font-medium">
            Currency
          </label>
          <select id="currency" name="currency" className="field-input" defaultValue={value("currency")}>
            <option value="GBP">GBP (£)</option>
            <option value="EUR">EUR (€)</option>
            <option value="USD">USD ($)</option>
          </select>
          {errors.currency ? <p className="field-error">{errors.currency.join(" ")}</p> : null}
        </div>
        {NUMBER_SETTINGS.map((setting) => (
          <Field
            key={setting.name}
            label={setting.label}
            name={setting.name}
            type="number"
            inputMode="numeric"
            min={setting.min}
            max={setting.max}
            required
            hint={setting.hint}
            defaultValue={value(setting.name)}
            errors={errors[setting.name]}
          />
        ))}
        <fieldset className="mb-4">
          <legend className="mb-2 font-medium">Features</legend>
          {FEATURES.map((feature) => (
            <div key={feature.name} className="mb-2 flex items-start gap-3">
              <input
                id={feature.name}
                name={feature.name}
                type="checkbox"
                className="mt-1 size-5"
                defaultChecked={failure ? failure.values[feature.name] === "on" : settings[feature.key]}
                aria-describedby={`${feature.name}-hint`}
              />
              <div>
                <label htmlFor={feature.name} className="font-medium">
                  {feature.label}
                </label>
                <p id={`${feature.name}-hint`} className="text-sm text-slate-600">
                  {feature.hint}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
        <fieldset className="mb-4">
          <legend className="mb-2 font-medium">Security</legend>
          <div className="mb-2 flex items-start gap-3">
            <input
              id="staffTwoFactorRequired"
              name="staffTwoFactorRequired"
              type="checkbox"
              className="mt-1 size-5"
              defaultChecked={failure ? failure.values.staffTwoFactorRequired === "on" : settings.staffTwoFactorRequired}
              aria-describedby="staffTwoFactorRequired-hint"
            />
            <div>
              <label htmlFor="staffTwoFactorRequired" className="font-medium">
                Coaches and admins must use two-step sign-in
              </label>
              <p id="staffTwoFactorRequired-hint" className="text-sm text-slate-600">
                They sign in with their password and a code from an authenticator app; whoever has not set it up is asked to before anything else. Clients may
                turn it on for themselves either way.
              </p>
            </div>
          </div>
        </fieldset>
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save settings"}
        </button>
      </Form>
    </section>
  );
}
