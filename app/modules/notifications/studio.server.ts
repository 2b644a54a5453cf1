import type { EntityManager } from "@mikro-orm/postgresql";
import type { Settings } from "../settings/settings.rules";
import { getSettings } from "../settings/settings.service.server";
import type { Studio } from "./messages";

/** The app's public address, for links in messages (the same base as the unsubscribe links). */
export function appUrl(): string {
  return process.env.APP_URL ?? "http://localhost:3000";
}

/** The studio a message comes from, from settings already read. */
export function studioOf(settings: Settings): Studio {
  return { name: settings.studioName, zone: settings.studioTimeZone, url: appUrl() };
}

export async function studioFrom(em: EntityManager): Promise<Studio> {
  return studioOf(await getSettings(em));
}
