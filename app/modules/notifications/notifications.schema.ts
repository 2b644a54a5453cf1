import { z } from "zod";
import { asList, id } from "~/utils/form-fields";
import type { NotificationKind } from "./notifications.entities.server";
import { KIND_INFO } from "./notifications.rules";

// The forms of /account/notifications and /unsubscribe/:token.

/** The kinds a client may turn off, in the order the page lists them. */
export const OPTIONAL_KINDS = (Object.keys(KIND_INFO) as NotificationKind[]).filter((kind) => KIND_INFO[kind].optional) as [
  NotificationKind,
  ...NotificationKind[],
];

export const NotificationsPageSchema = z.discriminatedUnion(
  "intent",
  [
    // One checkbox per optional kind, all named "email": the ticked ones are wanted, the others turned off.
    z.object({
      intent: z.literal("preferences"),
      email: z.preprocess(asList, z.array(z.enum(OPTIONAL_KINDS, { error: "Choose messages from the list." }))),
    }),
    // Read up to the newest notification the page showed, so one that arrived since stays unread.
    z.object({ intent: z.literal("mark-read"), upTo: id("Reload the page and try again.") }),
  ],
  { error: "Reload the page and try again." },
);

/** The page's button posts nothing else; a mail client's one-click unsubscribe (RFC 8058) posts List-Unsubscribe=One-Click. */
export const UnsubscribeSchema = z.object({
  "List-Unsubscribe": z.literal("One-Click", { error: "Send List-Unsubscribe=One-Click." }).optional(),
});
