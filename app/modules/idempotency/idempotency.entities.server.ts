import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";

/**
 * A form submission that created a record, by the one-time token its form carried (made by the page's
 * loader). The token is the primary key, so one token makes at most one record, across app instances.
 */
export const FormSubmission = defineEntity({
  name: "FormSubmission",
  tableName: "form_submission",
  properties: {
    token: p.uuid().primary(),
    /** What the form does, e.g. "assign-membership": a token answers only the form it was made for. */
    purpose: p.string().length(50),
    actor: () => p.manyToOne(User).deleteRule("cascade").index(),
    /** The id of the record the submission created. */
    resultId: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IFormSubmission = InferEntity<typeof FormSubmission>;
