import { AuthSession, LoginAttempt, User } from "~/modules/auth/auth.entities.server";
import { SystemSettings } from "~/modules/settings/settings.entities.server";

/** Every entity the ORM knows; add new areas here. */
export const entities = [User, AuthSession, LoginAttempt, SystemSettings];
