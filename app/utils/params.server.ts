import { id } from "./form-fields";
import { notFound } from "./http.server";

const IdSchema = id("Not an id.");

/** A numeric route id, or 404 (a malformed id names nothing we have). */
export function idParam(raw: string | undefined, what = "that page"): number {
  const id = IdSchema.safeParse(raw);
  if (!id.success) notFound(`We could not find ${what}.`);
  return id.data;
}
