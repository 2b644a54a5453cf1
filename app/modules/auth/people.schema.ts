import { z } from "zod";
import { pageNumber, searchText } from "~/utils/form-fields";
import { emailField } from "./auth.schema";
import { INVITE_ROLES, ROLES } from "./people.rules";

const name = z.string({ error: "Enter their name." }).trim().min(1, "Enter their name.").max(100, "Use at most 100 characters.");

export const InviteSchema = z.object({
  name,
  email: emailField,
  role: z.enum(INVITE_ROLES, { error: "Choose coach or admin." }),
});
export type InviteInput = z.infer<typeof InviteSchema>;

export const RoleChangeSchema = z.object({ role: z.enum(ROLES, { error: "Choose client, coach or admin." }) });

export const PeopleSearchSchema = z.object({
  q: searchText,
  page: pageNumber,
});
export type PeopleSearch = z.infer<typeof PeopleSearchSchema>;

/** `npm run create-admin`'s arguments (the password, when given, comes from ADMIN_PASSWORD). */
export const CreateAdminSchema = z.object({
  name: z.string({ error: "Give --name." }).trim().min(1, "Give --name.").max(100, "Use at most 100 characters in --name."),
  email: emailField,
});
