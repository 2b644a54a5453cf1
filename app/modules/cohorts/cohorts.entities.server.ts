import { defineEntity, p, type InferEntity } from "@mikro-orm/core";

/**
 * A multi-week group programme (the PRD's Cohort). Only what sessions link to for now; the cohort
 * issue adds members, coaches, questionnaires and check-ins.
 */
export const Cohort = defineEntity({
  name: "Cohort",
  tableName: "cohort",
  properties: {
    id: p.integer().primary(),
    name: p.string().length(100),
    description: p.text().nullable(),
    startDate: p.string().columnType("date"),
    weeks: p.integer(),
    isActive: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ICohort = InferEntity<typeof Cohort>;
