import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/field";
import { getEm } from "~/modules/db.server";
import { UnsubscribeSchema } from "~/modules/notifications/notifications.schema";
import { emailChoiceFor, turnOffEmail } from "~/modules/notifications/preferences.server";
import { readUnsubscribeToken } from "~/modules/notifications/unsubscribe-link.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";

// The link at the foot of each optional email. The signed token is the authority (no sign-in needed):
// GET only shows what would stop, the page's button POSTs, and a mail client's one-click unsubscribe
// (RFC 8058: POST with List-Unsubscribe=One-Click) is answered 200.

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Centurion" }];

const NOT_FOUND = "This unsubscribe link is not valid. You can choose your emails under Notifications once signed in.";

function target(token: string | undefined) {
  const found = readUnsubscribeToken(token ?? "");
  if (!found) notFound(NOT_FOUND);
  return found;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const { userId, kind } = target(params.token);
  const choice = await emailChoiceFor(getEm(), userId, kind);
  if (!choice) notFound(NOT_FOUND);
  return json({ label: choice.label, optional: choice.optional, email: choice.email });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { userId, kind } = target(params.token);
  const form = parseForm(UnsubscribeSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  const result = await turnOffEmail(getEm(), userId, kind);
  if (!result) notFound(NOT_FOUND);
  if (!result.ok) return badRequest(formFailure({}, result));
  if (form.data["List-Unsubscribe"] === "One-Click") return new Response("Unsubscribed.", { status: 200, headers: { "Content-Type": "text/plain" } });
  return redirectWithFlash(`/unsubscribe/${params.token}`, { kind: "success", message: "Done: you will not get these emails any more." });
}

export default function Unsubscribe() {
  const { label, optional, email } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const settings = (
    <p className="mt-4">
      <Link to="/account/notifications">Choose all your emails</Link> (you may need to sign in).
    </p>
  );
  if (!optional) {
    return (
      <section aria-labelledby="unsubscribe-title" className="card mx-auto max-w-lg">
        <h1 id="unsubscribe-title" className="text-2xl font-bold">
          “{label}” emails are always sent
        </h1>
        <p className="mt-2">They are about your bookings, membership, payments or account, so they cannot be turned off.</p>
        {settings}
      </section>
    );
  }
  if (!email) {
    return (
      <section aria-labelledby="unsubscribe-title" className="card mx-auto max-w-lg">
        <h1 id="unsubscribe-title" className="text-2xl font-bold">
          You no longer get “{label}” emails
        </h1>
        <p className="mt-2">You still see these messages in the app. You can turn the emails back on under Notifications.</p>
        {settings}
      </section>
    );
  }
  return (
    <section aria-labelledby="unsubscribe-title" className="card mx-auto max-w-lg">
      <h1 id="unsubscribe-title" className="text-2xl font-bold">
        Stop emails about “{label}”?
      </h1>
      <p className="mt-2">You will still see these messages in the app, and emails about your bookings, membership and payments keep coming.</p>
      <div className="mt-4">
        <FormError message={failure && "formError" in failure ? failure.formError : undefined} />
      </div>
      <Form method="post">
        <button type="submit" className="btn-primary" disabled={busy}>
          Stop these emails
        </button>
      </Form>
      {settings}
    </section>
  );
}
