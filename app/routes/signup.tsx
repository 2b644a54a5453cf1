import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { PASSWORD_MIN, homePathFor } from "~/modules/auth/auth.rules";
import { SignupSchema } from "~/modules/auth/auth.schema";
import { registerClient } from "~/modules/auth/auth.service.server";
import { getOptionalUser, signInHeaders } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Create an account · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user) throw redirect(homePathFor(user.role), 303);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(SignupSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  const result = await registerClient(getEm(), form.data);
  if (!result.ok) return badRequest(formFailure({ name: form.data.name, email: form.data.email }, result));
  const headers = await signInHeaders(result.user, request, context.clientIp);
  return redirectWithFlash("/client", { kind: "success", message: `Welcome to the studio, ${result.user.name}!` }, { headers });
}

export default function Signup() {
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = failure?.fieldErrors ?? {};
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="signup-title">
      <h1 id="signup-title" className="mb-4 text-2xl font-bold">
        Create an account
      </h1>
      <FormError message={failure?.formError} />
      <Form method="post" noValidate>
        <Field label="Your name" name="name" autoComplete="name" required defaultValue={failure?.values.name} errors={errors.name} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={failure?.values.email} errors={errors.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters.`}
          errors={errors.password}
        />
        <Field label="Repeat the password" name="confirmPassword" type="password" autoComplete="new-password" required errors={errors.confirmPassword} />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </Form>
      <p className="mt-4 text-sm">
        Already a member? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}
