import { requireCoach } from "../auth/auth-session.server";
import { getEm } from "../db.server";
import { forbidden, notFound } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { cohortForCoach } from "./cohort-access.server";

/**
 * For a coach's cohort pages: the signed-in coach (or admin) and the cohort named by the address, if they
 * coach it. Throws 404 for no such cohort (or a malformed id) and 403 for a cohort they do not coach.
 */
export async function requireCohortCoach(request: Request, rawId: string | undefined, forbiddenMessage = "You do not coach this cohort.") {
  const user = await requireCoach(request);
  const access = await cohortForCoach(getEm(), user, idParam(rawId, "that cohort"));
  if (access.kind === "missing") notFound("We could not find that cohort.");
  if (access.kind === "forbidden") forbidden(forbiddenMessage);
  return { user, cohort: access.cohort };
}
