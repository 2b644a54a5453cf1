import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Field, FormError } from "~/components/field";
import { homePathFor, isStaff } from "~/modules/auth/auth.rules";
import { confirmPasswordOrSignOut, mustSetUpSecondFactor, requireUser } from "~/modules/auth/auth-session.server";
import { RECOVERY_CODE_COUNT } from "~/modules/auth/two-factor.rules";
import { TwoFactorPageSchema } from "~/modules/auth/two-factor.schema";
import {
  cancelEnrolment,
  confirmEnrolment,
  disableTwoFactor,
  qrCodeSvg,
  regenerateRecoveryCodes,
  startEnrolment,
  twoFactorState,
} from "~/modules/auth/two-factor.service.server";
import { getEm } from "~/modules/db.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { formatDate } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, type FieldErrors, type FormFailure } from "~/utils/forms";
import { readFormData } from "~/utils/http.server";
import type { Failure } from "~/utils/result";

// Two-step sign-in for any account: set up an authenticator app (QR code or key), confirm it with a first
// code, keep the recovery codes shown once; make new ones; turn it off. Reachable while a coach or admin
// must set it up before anything else (requireUser's `withoutSecondFactor`). ADR 0026.

export const meta: MetaFunction = () => [{ title: "Two-step sign-in · Centurion" }];

const PATH = "/account/two-factor";
const NO_STORE = { "Cache-Control": "no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { withoutSecondFactor: true });
  const em = getEm();
  const settings = await getSettings(em);
  const state = await twoFactorState(em, user, settings.studioName);
  return json(
    {
      home: homePathFor(user.role),
      mustSetUp: await mustSetUpSecondFactor(user),
      requiredForRole: settings.staffTwoFactorRequired && isStaff(user.role),
      state:
        state.status === "pending"
          ? { status: state.status, secret: state.secret, uri: state.uri, qr: qrCodeSvg(state.uri) }
          : state.status === "on"
            ? { status: state.status, since: formatDate(state.since, settings.studioTimeZone), recoveryCodesLeft: state.recoveryCodesLeft }
            : { status: state.status },
    },
    { headers: NO_STORE },
  );
}

type Intent = "start" | "confirm" | "cancel" | "regenerate" | "disable";
/** 400 for the form `intent` (429 when codes are being refused for a while), so the page shows the message by that form. */
const refused = (intent: Intent | undefined, failure: FormFailure | Failure) =>
  json({ ...formFailure({}, failure), intent }, { status: "reason" in failure && failure.reason === "throttled" ? 429 : 400, headers: NO_STORE });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { withoutSecondFactor: true });
  const form = parseForm(TwoFactorPageSchema, await readFormData(request));
  if (!form.ok) return refused(undefined, form);
  const em = getEm();
  const data = form.data;
  switch (data.intent) {
    case "start": {
      const started = await startEnrolment(em, user.id);
      if (!started.ok) return redirectWithFlash(PATH, { kind: "info", message: started.formError ?? "" });
      return redirect(PATH, 303);
    }
    case "cancel":
      await cancelEnrolment(em, user.id);
      return redirectWithFlash(PATH, { kind: "info", message: "Setting up two-step sign-in was cancelled." });
    case "confirm": {
      const confirmed = await confirmEnrolment(em, user.id, data.code);
      if (!confirmed.ok) return refused("confirm", confirmed);
      return json({ recoveryCodes: confirmed.recoveryCodes, turnedOn: true }, { headers: NO_STORE });
    }
    case "regenerate": {
      const password = await confirmPasswordOrSignOut(request, user, data.password);
      if (!password.ok) return refused("regenerate", password);
      const made = await regenerateRecoveryCodes(em, user.id);
      if (!made.ok) return refused("regenerate", made);
      return json({ recoveryCodes: made.recoveryCodes, turnedOn: false }, { headers: NO_STORE });
    }
    case "disable": {
      const password = await confirmPasswordOrSignOut(request, user, data.password);
      if (!password.ok) return refused("disable", password);
      const disabled = await disableTwoFactor(em, user.id, data.code);
      if (!disabled.ok) return refused("disable", disabled);
      return redirectWithFlash(PATH, { kind: "success", message: "Two-step sign-in is off: your password alone signs you in." });
    }
  }
}

/** The secret in groups of four, as authenticator apps show and accept it. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

/** What the two code fields share (an authenticator's code, or a recovery code when turning it off). */
const CODE_FIELD = { name: "code", autoComplete: "one-time-code", required: true, maxLength: 64 } as const;

/** A refused form of the page: which one (its `intent`; none when the request itself was bad) and its messages. */
type Refusal = { intent?: Intent; fieldErrors: FieldErrors; formError?: string };
const errorsFor = (failure: Refusal | undefined, intent: Intent) => (failure?.intent === intent ? failure.fieldErrors : {});
/** The message for the form as a whole, when no field of it is named. */
const messageFor = (failure: Refusal | undefined, intent: Intent) =>
  failure?.intent === intent && !Object.keys(failure.fieldErrors).length ? failure.formError : undefined;

export default function TwoFactorPage() {
  const { state, mustSetUp, requiredForRole, home } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = answer && "fieldErrors" in answer ? answer : undefined;

  if (answer && "recoveryCodes" in answer) {
    return (
      <section aria-labelledby="codes-title" className="mx-auto max-w-xl card">
        <h1 id="codes-title" className="text-2xl font-bold">
          {answer.turnedOn ? "Two-step sign-in is on" : "New recovery codes"}
        </h1>
        <p className="mt-2">
          Save these {RECOVERY_CODE_COUNT} recovery codes somewhere safe, away from your phone: a password manager, or printed. If you lose your phone, each
          code signs you in once instead of the app. <strong>They are shown only now.</strong>
          {answer.turnedOn ? null : " Your old codes no longer work."}
        </p>
        <ol aria-label="Recovery codes" className="mt-4 grid grid-cols-2 gap-2 font-mono text-lg">
          {answer.recoveryCodes.map((code) => (
            <li key={code} className="rounded border border-slate-300 bg-slate-50 px-3 py-2">
              {code}
            </li>
          ))}
        </ol>
        <p className="mt-6 flex flex-wrap gap-3">
          <Link to={home} className="btn-primary">
            I have saved them: continue
          </Link>
          <Link to={PATH} className="btn-secondary">
            Back to two-step sign-in
          </Link>
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="two-factor-title" className="mx-auto max-w-xl">
      <h1 id="two-factor-title" className="text-2xl font-bold">
        Two-step sign-in
      </h1>
      {mustSetUp ? (
        <p role="alert" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 font-medium text-amber-900">
          The studio asks coaches and admins to use two-step sign-in. Set it up to continue.
        </p>
      ) : null}
      <FormError message={failure && !failure.intent ? (failure.formError ?? "Reload the page and try again.") : undefined} />

      {state.status === "off" ? (
        <section className="card mt-4" aria-labelledby="off-title">
          <h2 id="off-title" className="text-lg font-semibold">
            Off
          </h2>
          <p className="mt-2">
            With two-step sign-in, signing in needs your password and a code from an authenticator app on your phone (such as Google Authenticator, Microsoft
            Authenticator or 1Password), so a stolen password alone is not enough.
          </p>
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="btn-primary" disabled={busy}>
              Set up two-step sign-in
            </button>
          </Form>
        </section>
      ) : null}

      {state.status === "pending" ? (
        <section className="card mt-4" aria-labelledby="setup-title">
          <h2 id="setup-title" className="text-lg font-semibold">
            Set up your authenticator app
          </h2>
          <ol className="mt-2 list-decimal space-y-3 pl-6">
            <li>
              In your authenticator app, add an account and scan this QR code:
              <div
                role="img"
                aria-label="QR code for your authenticator app"
                className="mt-2 w-48 max-w-full border border-slate-300 bg-white p-1"
                // Drawn on the server from our own otpauth:// address (qrCodeSvg): it holds no markup from input.
                dangerouslySetInnerHTML={{ __html: state.qr }}
              />
            </li>
            <li>
              Or type this key into the app (time-based):
              <p className="mt-1">
                <code data-testid="totp-secret" className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-lg">
                  {grouped(state.secret)}
                </code>
              </p>
              <details className="mt-2 text-sm">
                <summary>Set-up address</summary>
                <p className="mt-1 break-all font-mono">
                  <a href={state.uri}>{state.uri}</a>
                </p>
              </details>
            </li>
            <li>
              Enter the 6-digit code the app shows now:
              <FormError message={messageFor(failure, "confirm")} />
              <Form method="post" noValidate className="mt-2">
                <input type="hidden" name="intent" value="confirm" />
                <Field label="Code from the app" inputMode="numeric" {...CODE_FIELD} errors={errorsFor(failure, "confirm").code} />
                <button type="submit" className="btn-primary" disabled={busy}>
                  Turn on two-step sign-in
                </button>
              </Form>
            </li>
          </ol>
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="cancel" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              Cancel set-up
            </button>
          </Form>
        </section>
      ) : null}

      {state.status === "on" ? (
        <>
          <section className="card mt-4" aria-labelledby="on-title">
            <h2 id="on-title" className="text-lg font-semibold">
              On
            </h2>
            <p className="mt-2">
              Since {state.since}. Signing in asks for a code from your authenticator app after your password. You have{" "}
              <strong>
                {state.recoveryCodesLeft} of {RECOVERY_CODE_COUNT}
              </strong>{" "}
              recovery codes left.
            </p>
          </section>

          <PasswordConfirmedForm
            intent="regenerate"
            title="New recovery codes"
            note={`Makes ${RECOVERY_CODE_COUNT} new codes; the old ones stop working.`}
            submit="Make new recovery codes"
            failure={failure}
          />

          <PasswordConfirmedForm
            intent="disable"
            title="Turn off two-step sign-in"
            note={requiredForRole ? "The studio requires it of coaches and admins: you will set it up again before you continue." : undefined}
            submit="Turn off"
            failure={failure}
          >
            <Field id="disable-code" label="Code from the app, or a recovery code" {...CODE_FIELD} errors={errorsFor(failure, "disable").code} />
          </PasswordConfirmedForm>
        </>
      ) : null}
    </section>
  );
}

type PasswordConfirmedFormProps = {
  intent: Extract<Intent, "regenerate" | "disable">;
  title: string;
  /** The line under the title, if any. */
  note?: string;
  submit: string;
  failure?: Refusal;
  /** Fields after the password. */
  children?: ReactNode;
};

/** A change to two-step sign-in that asks for the password again: its own card, form `intent` and messages. */
function PasswordConfirmedForm({ intent, title, note, submit, failure, children }: PasswordConfirmedFormProps) {
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card mt-4" aria-labelledby={`${intent}-title`}>
      <h2 id={`${intent}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      {note ? <p className="mt-2 text-sm text-slate-600">{note}</p> : null}
      <FormError message={messageFor(failure, intent)} />
      <Form method="post" noValidate className="mt-2">
        <input type="hidden" name="intent" value={intent} />
        <Field
          id={`${intent}-password`}
          label="Your password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={errorsFor(failure, intent).password}
        />
        {children}
        <button type="submit" className="btn-secondary" disabled={busy}>
          {submit}
        </button>
      </Form>
    </section>
  );
}
