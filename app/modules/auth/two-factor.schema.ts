import { z } from "zod";

// The forms of /login/two-factor and /account/two-factor.

const code = z
  .string({ error: "Enter the 6-digit code from your authenticator app, or a recovery code." })
  .trim()
  .min(1, "Enter the 6-digit code from your authenticator app, or a recovery code.")
  .max(64, "That code is too long.");

const password = z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(128, "That password is too long.");

/** The second step of a sign-in. */
export const SecondFactorSchema = z.object({ code });

export const TwoFactorPageSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("start") }),
    z.object({ intent: z.literal("confirm"), code }),
    z.object({ intent: z.literal("cancel") }),
    z.object({ intent: z.literal("regenerate"), password }),
    z.object({ intent: z.literal("disable"), password, code }),
  ],
  { error: "Reload the page and try again." },
);
