import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/field";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { markRead, recentNotifications } from "~/modules/notifications/in-app.server";
import { NotificationsPageSchema } from "~/modules/notifications/notifications.schema";
import { emailChoices, saveEmailChoices } from "~/modules/notifications/preferences.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valuesOf } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const em = getEm();
  const { studioTimeZone } = await getSettings(em);
  const [choices, recent] = await Promise.all([emailChoices(em, user.id), recentNotifications(em, { userId: user.id, zone: studioTimeZone })]);
  return json({ choices, recent });
}

/** intent=preferences with a ticked `email` per optional kind wanted; intent=mark-read with `upTo`, the newest shown. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const form = parseForm(NotificationsPageSchema, formData);
  if (!form.ok) return badRequest(form);
  const em = getEm();
  if (form.data.intent === "preferences") {
    const result = await saveEmailChoices(em, user.id, form.data.email);
    if (!result.ok) return badRequest(formFailure(submittedValues(formData, ["email"]), result));
    return redirectWithFlash("/account/notifications", { kind: "success", message: "Your email choices are saved." });
  }
  await markRead(em, { userId: user.id, upToId: form.data.upTo });
  return redirectWithFlash("/account/notifications", { kind: "success", message: "Notifications marked as read." });
}

export default function AccountNotifications() {
  const { choices, recent } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const optional = choices.filter((c) => c.optional);
  const always = choices.filter((c) => !c.optional);
  // After a refused post the boxes show what was sent; otherwise what is saved.
  const ticked = failure?.values ? valuesOf(failure.values, "email") : optional.filter((c) => c.email).map((c) => c.kind);
  const unread = recent.filter((n) => n.unread).length;
  const emailErrors = failure?.fieldErrors?.email;
  // A post this page never makes (an unknown intent, a missing id): nothing to show by a field.
  const formError =
    failure?.formError ?? (failure && Object.keys(failure.fieldErrors).some((key) => key !== "email") ? "Reload the page and try again." : undefined);
  return (
    <section aria-labelledby="notifications-title" className="mx-auto max-w-3xl">
      <h1 id="notifications-title" className="text-2xl font-bold">
        Notifications
      </h1>

      <section aria-labelledby="email-title" className="card mt-4">
        <h2 id="email-title" className="text-lg font-semibold">
          Emails
        </h2>
        <FormError message={formError} />
        <Form method="post" aria-labelledby="email-title" key={ticked.join(",")}>
          <input type="hidden" name="intent" value="preferences" />
          <fieldset aria-describedby="email-hint">
            <legend className="font-medium">Email me about</legend>
            <p id="email-hint" className="mb-2 text-sm text-slate-600">
              Untick what you would rather not get by email. You still see every message in the list below.
            </p>
            <ul className="grid gap-2 sm:grid-cols-2">
              {optional.map((choice) => (
                <li key={choice.kind}>
                  <label className="flex min-h-11 items-center gap-2 rounded-md border border-slate-300 bg-white px-3">
                    <input type="checkbox" name="email" value={choice.kind} defaultChecked={ticked.includes(choice.kind)} className="size-5" />
                    {choice.label}
                  </label>
                </li>
              ))}
            </ul>
            {emailErrors ? (
              <p className="field-error" role="alert">
                {emailErrors.join(" ")}
              </p>
            ) : null}
          </fieldset>
          <button type="submit" className="btn-primary mt-4" disabled={busy}>
            Save choices
          </button>
        </Form>
        <h3 className="mt-6 font-semibold">Always sent</h3>
        <p className="text-sm text-slate-600">These are about your bookings, membership, payments or account, so they always come by email:</p>
        <ul className="mt-1 list-disc pl-6">
          {always.map((choice) => (
            <li key={choice.kind}>{choice.label}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="recent-title" className="card mt-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="recent-title" className="text-lg font-semibold">
            Recent notifications{unread ? ` (${unread} new)` : ""}
          </h2>
          {unread ? (
            <Form method="post">
              <input type="hidden" name="intent" value="mark-read" />
              <input type="hidden" name="upTo" value={Math.max(...recent.map((n) => n.id))} />
              <button type="submit" className="btn-secondary" disabled={busy}>
                Mark all as read
              </button>
            </Form>
          ) : null}
        </div>
        {recent.length === 0 ? (
          <p className="mt-2 text-slate-700">No notifications yet.</p>
        ) : (
          <ol className="mt-2 divide-y divide-slate-200">
            {recent.map((n) => (
              <li key={n.id} className="py-3">
                <article aria-labelledby={`notification-${n.id}`}>
                  <h3 id={`notification-${n.id}`} className="font-semibold">
                    {n.unread ? <span className="mr-2 rounded bg-brand-700 px-2 py-0.5 text-xs font-semibold text-white">New</span> : null}
                    {n.subject}
                  </h3>
                  <p className="text-sm text-slate-600">{n.when}</p>
                  <p className="mt-1 whitespace-pre-line break-words">{n.body}</p>
                </article>
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}
