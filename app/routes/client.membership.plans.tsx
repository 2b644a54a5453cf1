import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/field";
import { startCheckout } from "~/modules/billing/checkout.service.server";
import { getStripe } from "~/modules/billing/stripe.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";
import { formatMoney, planSummary } from "~/modules/memberships/memberships.rules";
import { BuyPlanSchema } from "~/modules/memberships/memberships.schema";
import { listPlans } from "~/modules/memberships/plans.service.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";

export const meta: MetaFunction = () => [{ title: "Plans · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const plans = await listPlans(getEm(), { purchasableOnly: true });
  return json({
    plans: plans.map(({ plan, classTypes }) => ({
      id: plan.id,
      name: plan.name,
      description: plan.description ?? null,
      type: plan.type,
      price: formatMoney(plan.pricePence, plan.currency),
      summary: planSummary(plan),
      classes: classTypes.length ? classTypes.map((c) => c.name).join(", ") : "All classes",
      repeatable: plan.allowRepeatPurchase,
    })),
  });
}

/** C-6/C-7: buying a plan goes to Stripe Checkout (303), or answers 400 with why not, creating nothing. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(BuyPlanSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  const result = await startCheckout(getEm(), getStripe(), { userId: user.id, planId: form.data.planId, siteUrl: new URL(request.url).origin });
  if (!result) notFound("We could not find that plan.");
  if (!result.ok) return badRequest({ ...formFailure({ planId: String(form.data.planId) }, result) });
  return redirect(result.url, 303);
}

const GROUPS = [
  { type: "RECURRING", title: "Monthly memberships", intro: "A set number of classes every week, billed monthly." },
  { type: "PACK", title: "Class packs", intro: "A bundle of sessions to use whenever you like." },
  { type: "PREPAID", title: "Prepaid passes", intro: "Unlimited classes for a set number of days." },
] as const;

export default function PlanBrowser() {
  const { plans } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const buying = useNavigation().formData?.get("planId");
  const refusedPlan = failure?.values.planId;
  return (
    <section aria-labelledby="plans-title">
      <p className="mb-2">
        <Link to="/client/membership">← My membership</Link>
      </p>
      <h1 id="plans-title" className="mb-4 text-2xl font-bold">
        Plans
      </h1>
      {failure && !refusedPlan ? <FormError message={failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")} /> : null}
      {GROUPS.map((group) => {
        const inGroup = plans.filter((p) => p.type === group.type);
        if (!inGroup.length) return null;
        return (
          <section key={group.type} aria-labelledby={`group-${group.type}`} className="mb-8">
            <h2 id={`group-${group.type}`} className="text-xl font-bold">
              {group.title}
            </h2>
            <p className="mb-3 text-slate-700">{group.intro}</p>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {inGroup.map((p) => (
                <li key={p.id} className="card flex flex-col">
                  <h3 className="text-lg font-bold">{p.name}</h3>
                  <p className="text-2xl font-bold text-brand-700">
                    {p.price}
                    {p.type === "RECURRING" ? <span className="text-base font-normal text-slate-600"> a month</span> : null}
                  </p>
                  <p className="mt-1 text-sm">{p.summary}</p>
                  <p className="mt-1 text-sm">
                    <span className="font-semibold">Classes:</span> {p.classes}
                  </p>
                  {p.description ? <p className="mt-1 text-sm text-slate-700">{p.description}</p> : null}
                  {p.repeatable ? null : <p className="mt-1 text-sm text-slate-600">One per member.</p>}
                  {refusedPlan === String(p.id) ? <FormError message={failure?.formError ?? failure?.fieldErrors.planId?.join(" ")} /> : null}
                  <Form method="post" className="mt-auto pt-3">
                    <input type="hidden" name="planId" value={p.id} />
                    {/* The name starts with the words on the button (WCAG 2.5.3) and adds the plan's, to tell the buttons apart. */}
                    <button
                      type="submit"
                      className="btn-primary w-full"
                      aria-label={buying === String(p.id) ? undefined : p.type === "RECURRING" ? `Subscribe to ${p.name}` : `Buy ${p.name}`}
                      disabled={buying === String(p.id)}
                    >
                      {buying === String(p.id) ? "Opening the payment page…" : p.type === "RECURRING" ? "Subscribe" : "Buy"}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
