import { z } from "zod";
import { asList, blankToUndefined, checkbox, id, optionalId, pageNumber, searchText } from "~/utils/form-fields";
import { ownValue } from "~/utils/forms";
import { isLocalDate } from "~/utils/time";
import { parsePriceToPence } from "./memberships.rules";

const count = (label: string, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `Enter ${label} as a whole number.` })
      .int(`Enter ${label} as a whole number.`)
      .min(min, `Use at least ${min} for ${label}.`)
      .max(max, `Use at most ${max} for ${label}.`)
      .optional(),
  );

/**
 * The admin plan form. Without JavaScript every type's fieldset is posted; only the chosen type's
 * fields are checked and kept, the others are ignored. The weekly limit (`sessionsPerWeek`) belongs to
 * every type: blank is no limit for a pack or a prepaid pass, and coaching only for a recurring plan.
 */
const TYPE_FIELDS = {
  RECURRING: ["commitmentMonths"],
  PACK: ["totalSessions"],
  PREPAID: ["durationDays"],
} as const;
const ALL_TYPE_FIELDS: string[] = Object.values(TYPE_FIELDS).flat();

/** Drops what was posted in the other types' fieldsets before anything is checked. */
function onlyChosenTypeFields(raw: unknown) {
  if (typeof raw !== "object" || raw === null) return raw;
  const values = raw as Record<string, unknown>;
  const own: readonly string[] = ownValue(TYPE_FIELDS, values.type) ?? [];
  return Object.fromEntries(Object.entries(values).filter(([key]) => !ALL_TYPE_FIELDS.includes(key) || own.includes(key)));
}

export const PlanFormSchema = z.preprocess(
  onlyChosenTypeFields,
  z
    .object({
      name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
      description: z.preprocess(blankToUndefined, z.string().trim().max(2000, "Use at most 2000 characters.").optional()),
      type: z.enum(["RECURRING", "PACK", "PREPAID"], { error: "Choose recurring, pack or prepaid." }),
      price: z.string({ error: "Enter a price, like 9.99." }).transform((value, ctx) => {
        const pence = parsePriceToPence(value);
        if (pence === null) {
          ctx.addIssue({ code: "custom", message: "Enter a price of 0 or more, like 9.99." });
          return z.NEVER;
        }
        return pence;
      }),
      sessionsPerWeek: count("sessions a week", 1, 14),
      commitmentMonths: count("the commitment", 1, 36),
      totalSessions: count("the sessions", 1, 500),
      durationDays: count("the days", 1, 730),
      lateCancelCutoffHours: count("the cut-off", 0, 168),
      allowRepeatPurchase: checkbox,
      purchasableByClient: checkbox,
      penaltySystemEnabled: checkbox,
      classTypeIds: z.preprocess(asList, z.array(id("Choose class types from the list."))),
    })
    .superRefine((plan, ctx) => {
      if (plan.type === "PACK" && plan.totalSessions === undefined) {
        ctx.addIssue({ code: "custom", path: ["totalSessions"], message: "A pack needs its number of sessions." });
      }
      if (plan.type === "PREPAID" && plan.durationDays === undefined) {
        ctx.addIssue({ code: "custom", path: ["durationDays"], message: "A prepaid pass needs its number of days." });
      }
    })
    .transform((plan) => ({
      ...plan,
      // Keep only the chosen type's own fields.
      sessionsPerWeek: plan.sessionsPerWeek ?? null,
      commitmentMonths: plan.type === "RECURRING" ? (plan.commitmentMonths ?? null) : null,
      totalSessions: plan.type === "PACK" ? (plan.totalSessions ?? null) : null,
      durationDays: plan.type === "PREPAID" ? (plan.durationDays ?? null) : null,
      lateCancelCutoffHours: plan.lateCancelCutoffHours ?? null,
      description: plan.description ?? null,
    })),
);
export type PlanInput = z.output<typeof PlanFormSchema>;

export const AssignFormSchema = z.object({
  planId: id("Choose a plan."),
  startDate: z.string({ error: "Enter the start date." }).trim().refine(isLocalDate, "Enter the start date as YYYY-MM-DD."),
});

/** A client buying a plan (/client/membership/plans). */
export const BuyPlanSchema = z.object({ planId: id("Choose a plan from the list.") });

/** An admin retrying a plan's sync with Stripe (/admin/plans). */
export const PlanSyncSchema = z.object({ intent: z.literal("sync", { error: "Unknown action." }), planId: id("Choose a plan.") });

export const MembershipActionSchema = z.object({
  membershipId: id("Choose a membership."),
});

export const MemberSearchSchema = z.object({
  q: searchText,
  plan: optionalId("Choose a plan from the list."),
  status: z.preprocess(blankToUndefined, z.enum(["ACTIVE", "PAUSED", "EXPIRED", "CANCELLED", "NONE"]).optional()),
  page: pageNumber,
});
export type MemberSearch = z.output<typeof MemberSearchSchema>;
