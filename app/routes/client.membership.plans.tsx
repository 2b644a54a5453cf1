import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatMoney, planSummary } from "~/modules/memberships/memberships.rules";
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

const GROUPS = [
  { type: "RECURRING", title: "Monthly memberships", intro: "A set number of classes every week, billed monthly." },
  { type: "PACK", title: "Class packs", intro: "A bundle of sessions to use whenever you like." },
  { type: "PREPAID", title: "Prepaid passes", intro: "Unlimited classes for a set number of days." },
] as const;

export default function PlanBrowser() {
  const { plans } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="plans-title">
      <p className="mb-2">
        <Link to="/client/membership">← My membership</Link>
      </p>
      <h1 id="plans-title" className="mb-4 text-2xl font-bold">
        Plans
      </h1>
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
                  <p className="mt-auto pt-3 text-sm text-slate-600">Ask at the front desk to join; online payment is coming soon.</p>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
