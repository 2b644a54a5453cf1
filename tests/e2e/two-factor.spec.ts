// Two-step sign-in (ADR 0026), with JavaScript and without: a coach sets up an authenticator on
// /account/two-factor and then signs in through the form with a code; a client signs in with a recovery
// code. Codes are made here with the same library the server checks them with. And the password asked
// again before a change to people (as to settings and plans) once the sign-in is older than 15 minutes.
import type { Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import type { EntityManager } from "@mikro-orm/postgresql";
import { AuthSession } from "../../app/modules/auth/auth.entities.server";
import { confirmEnrolment, startEnrolment, twoFactorState } from "../../app/modules/auth/two-factor.service.server";
import { expect, test } from "./fixtures";
import { axeViolations } from "./axe";
import { flash, jsOn, signOut } from "./helpers";

const PERIOD_MS = 30_000;
const codeForStep = (secret: string, step: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * PERIOD_MS });

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a coach sets up two-step sign-in, keeps the recovery codes, and then signs in with a code", async ({ make, signedIn }, testInfo) => {
  const coach = await make.coach();
  const page = await signedIn(coach);
  await page.goto("/coach");
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page.getByRole("heading", { name: "Two-step sign-in", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();

  // The QR code is drawn on the server; the same secret is shown as text.
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" }).locator("svg")).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByText("Set-up address").click();
  await expect(page.getByRole("link", { name: /^otpauth:\/\/totp\// })).toHaveAttribute("href", new RegExp(`secret=${secret}`));

  // A wrong code keeps it off.
  const step = Math.floor(Date.now() / PERIOD_MS);
  const near = new Set([-1, 0, 1, 2].map((d) => codeForStep(secret, step + d)));
  await page.getByLabel("Code from the app").fill(["123456", "654321", "111111", "222222", "333333"].find((code) => !near.has(code))!);
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByText("That code is not right.").first()).toBeVisible();

  const used = Math.floor(Date.now() / PERIOD_MS);
  await page.getByLabel("Code from the app").fill(codeForStep(secret, used));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByRole("heading", { name: "Two-step sign-in is on" })).toBeVisible();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await expect(codes.first()).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await page.getByRole("link", { name: "I have saved them: continue" }).click();
  await expect(page).toHaveURL(/\/coach$/);

  await signOut(page);
  await signInWithPassword(page, coach.email, coach.password);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(page.getByRole("heading", { name: "Enter your code" })).toBeVisible();
  // The code page needs a password just typed, so the accessibility spec's page list leaves it to this test.
  expect(await axeViolations(page, { javaScript: jsOn(testInfo) })).toEqual([]);
  // A step's code is accepted once: sign in with a later step's, now's or (one step of drift) the next one's.
  await page.getByLabel("Code", { exact: true }).fill(codeForStep(secret, Math.max(used + 1, Math.floor(Date.now() / PERIOD_MS))));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/coach$/);
  await page.goto("/account/two-factor");
  await expect(page.getByText(/You have\s+10 of 10\s+recovery codes left/)).toBeVisible();
});

/** Turns two-step sign-in on for `person` as the account page would; answers their recovery codes. */
async function twoFactorOn(em: EntityManager, person: { id: number; email: string }): Promise<string[]> {
  await startEnrolment(em.fork(), person.id);
  const state = await twoFactorState(em.fork(), person, "Centurion");
  if (state.status !== "pending") throw new Error("expected a set-up in progress");
  const confirmed = await confirmEnrolment(em.fork(), person.id, codeForStep(state.secret, Math.floor(Date.now() / PERIOD_MS)));
  if (!confirmed.ok) throw new Error(JSON.stringify(confirmed));
  return confirmed.recoveryCodes;
}

test("a client with two-step sign-in on signs in with a recovery code, once", async ({ make, em, page }) => {
  const client = await make.client();
  const [recoveryCode] = await twoFactorOn(em, client);

  await signInWithPassword(page, client.email, client.password);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await page.getByLabel("Code", { exact: true }).fill(recoveryCode.toLowerCase());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/client$/);
  await expect(flash(page)).toContainText("You signed in with a recovery code");
  await expect(flash(page)).toContainText("You have 9 left");

  await signOut(page);
  await signInWithPassword(page, client.email, client.password);
  await page.getByLabel("Code", { exact: true }).fill(recoveryCode);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expect(page.getByText("That code is not right.")).toBeVisible();
});

test("an admin resets the two-step sign-in of a client who lost their phone and codes, who then signs in with their password", async ({
  make,
  em,
  signedIn,
}) => {
  const client = await make.client();
  await twoFactorOn(em, client);
  const page = await signedIn(await make.admin());
  await page.goto(`/admin/people/${client.id}`);
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  await expect(section).toContainText("On. If they have lost both their authenticator and their recovery codes");
  await section.getByRole("button", { name: "Reset two-step sign-in" }).click();
  await expect(flash(page)).toContainText("two-step sign-in is reset: they are signed out everywhere");
  await expect(section).toContainText("Not set up on this account.");
  await expect(section.getByRole("button")).toHaveCount(0);

  await signOut(page);
  await signInWithPassword(page, client.email, client.password);
  await expect(page).toHaveURL(/\/client$/);
});

test("an admin whose password was typed over 15 minutes ago confirms it before inviting a coach, and loses nothing typed", async ({ make, em, signedIn }) => {
  const admin = await make.admin();
  const page = await signedIn(admin);
  await em.fork().nativeUpdate(AuthSession, { user: admin.id }, { passwordConfirmedAt: new Date(Date.now() - 16 * 60_000) });
  const email = `confirmed-${admin.id}@factory.test`;
  await page.goto("/admin/people");
  const form = page.getByRole("form", { name: "Invite a coach or admin" });
  await form.getByLabel("Name", { exact: true }).fill("Confirmed Coach");
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Role").selectOption({ label: "Coach" });
  await form.getByRole("button", { name: "Send invitation" }).click();

  await expect(page.getByRole("heading", { name: "Confirm your password", level: 1 })).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("not-my-password");
  await page.getByRole("button", { name: "Confirm and save" }).click();
  await expect(page.getByText("That is not your password. Try again.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByRole("button", { name: "Confirm and save" }).click();

  await expect(flash(page)).toContainText(`Invitation sent to ${email}`);
  const staff = page.getByRole("table", { name: "Coaches and admins" });
  await expect(staff.getByRole("row").filter({ hasText: email }).getByRole("cell")).toHaveText([email, "Coach", "Invitation sent"]);
});
