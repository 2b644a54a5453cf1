import { AuthSession, LoginAttempt, User } from "~/modules/auth/auth.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { Cohort } from "~/modules/cohorts/cohorts.entities.server";
import { FormSubmission } from "~/modules/idempotency/idempotency.entities.server";
import { MembershipClassTypeAllowance, MembershipEvent, MembershipPlan, UserMembership } from "~/modules/memberships/memberships.entities.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { ClassType, Session, Venue } from "~/modules/sessions/sessions.entities.server";
import { SystemSettings } from "~/modules/settings/settings.entities.server";

/** Every entity the ORM knows; add new areas here. */
export const entities = [User, AuthSession, LoginAttempt, SystemSettings, Cohort, ClassType, Venue, Session, SessionRegistration, Notification, MembershipPlan, MembershipClassTypeAllowance, UserMembership, MembershipEvent, FormSubmission];
