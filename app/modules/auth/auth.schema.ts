import { z } from "zod";
import { PASSWORD_MIN } from "./auth.rules";

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }))
  .transform((value) => value.toLowerCase());

const newPassword = z
  .string({ error: "Choose a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(128, "Use at most 128 characters.");

export const LoginSchema = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(128, "That password is too long."),
  redirectTo: z.string().optional(),
});

/** Joining asks only a name and an address: the password is chosen through the emailed link (ADR 0024). */
export const SignupSchema = z.object({
  name: z.string({ error: "Enter your name." }).trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email,
});

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
    newPassword,
    confirmPassword: z.string({ error: "Repeat the new password." }).min(1, "Repeat the new password."),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one." });

export const ForgotPasswordSchema = z.object({ email });

/** A new password chosen through an emailed link (a reset, an invitation or a sign-up). */
export const ResetPasswordSchema = z
  .object({
    password: newPassword,
    confirmPassword: z.string({ error: "Repeat your password." }).min(1, "Repeat your password."),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

/** The address field of the sign-in and sign-up forms, for other forms that ask for one. */
export const emailField = email;
