import { AppointmentBooking } from "../../app/modules/appointments/appointments.entities.server";
import { UserMembership } from "../../app/modules/memberships/memberships.entities.server";
import { updateSettings } from "../../app/modules/settings/settings.service.server";
import { formatDayHeading } from "../../app/utils/time";
import { uniqueName } from "../support/factories";
import { bookingDay, expect, test } from "./fixtures";
import { day, flash } from "./helpers";

// 1-on-1 appointments end to end, with JavaScript on and off. The area is switched off by default and the
// switch is studio-wide, so the test switches it on in the database (`changesStudioSettings`: the fixture
// runs such tests one at a time and puts every setting back afterwards).
test.describe("appointments", () => {
  test.use({ changesStudioSettings: true });

  test("a coach offers a slot, a client with a massage pack books it, sees it on their list and calendar, and cancels early (refunded)", async ({
    make,
    em,
    signedIn,
  }) => {
    await updateSettings(em, { "features.appointments.enabled": true });
    const coach = await make.coach();
    const massage = await make.classType({ name: uniqueName("Massage"), defaultCapacity: 1, defaultDurationMins: 45 });
    const { person: client, plan, membership } = await make.member({ type: "PACK", totalSessions: 3, classTypes: [massage] });
    const date = bookingDay(3);
    const slot = `10:30–11:15 ${massage.name} with ${coach.name}`;

    // ---- the coach offers one slot ----
    const coachPage = await signedIn(coach);
    await coachPage.goto("/coach");
    await coachPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Appointments" }).click();
    await expect(coachPage.getByRole("heading", { name: "Appointments", level: 1 })).toBeVisible();
    await coachPage.getByRole("link", { name: "Offer slots" }).click();
    const one = coachPage.getByRole("form", { name: "One slot" });
    await one.getByLabel("Class type").selectOption({ label: massage.name });
    await one.getByLabel("Date").fill(date);
    await one.getByLabel("Start time").fill("10:30");
    await one.getByLabel("Length (minutes)").fill("45");
    await one.getByLabel("Location").fill("Treatment room");
    await one.getByRole("button", { name: "Offer this slot" }).click();
    await expect(flash(coachPage)).toHaveText("Slot offered: clients can book it now.");
    await expect(coachPage.getByRole("heading", { level: 1 })).toHaveText(new RegExp(`${massage.name} appointment\\s*Open`));
    await expect(coachPage.getByRole("main")).toContainText(`${formatDayHeading(date)}, 10:30–11:15`);

    // ---- the client books it with their pack ----
    const page = await signedIn(client);
    await page.goto("/client");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Appointments" }).click();
    await expect(page.getByRole("heading", { name: "Appointments", level: 1 })).toBeVisible();
    const item = day(page, date).getByRole("listitem").filter({ hasText: slot });
    await expect(item).toContainText("Treatment room");
    await item.getByRole("button", { name: `Book: ${slot}` }).click();
    await expect(flash(page)).toHaveText(`Your appointment is booked: one session of your ${plan.name} was used.`);
    await expect(page).toHaveURL(/\/client\/appointments\/\d+$/);
    await expect(page.getByRole("heading", { name: `${massage.name} appointment`, level: 1 })).toBeVisible();
    await expect(page.getByText("Booked", { exact: true })).toBeVisible();
    expect((await em.fork().findOneOrFail(UserMembership, membership.id)).sessionsRemaining).toBe(2);

    // On their list of appointments, and gone from the open slots.
    await page.goto("/client/appointments");
    const upcoming = page.getByRole("region", { name: "Your upcoming appointments" });
    await expect(upcoming.getByRole("link", { name: `${formatDayHeading(date)}, 10:30–11:15 ${massage.name} with ${coach.name}` })).toBeVisible();
    await expect(page.getByRole("button", { name: `Book: ${slot}` })).toHaveCount(0);

    // On their calendar, marked as an appointment.
    await page.goto(`/client/sessions/calendar?date=${date}`);
    const onCalendar = day(page, date)
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: `10:30–11:15 ${massage.name}`, exact: true }) });
    await expect(onCalendar).toContainText("Appointment");
    await expect(onCalendar).toContainText(`Booked · ${coach.name}`);

    // The coach sees who booked it, on the list and on the calendar.
    await coachPage.goto("/coach/appointments");
    await expect(coachPage.getByRole("region", { name: "Your upcoming slots" }).getByRole("row").filter({ hasText: massage.name })).toContainText(
      `Booked by ${client.name}`,
    );
    await coachPage.goto(`/coach/sessions/calendar?view=day&date=${date}&coach=${coach.id}`);
    await expect(coachPage.getByRole("main").getByRole("link", { name: new RegExp(`^10:30–11:15 ${massage.name}\\s*Appointment`) })).toContainText(
      `Booked by ${client.name}`,
    );

    // ---- the client cancels three days ahead: early, so free ----
    await page.goto("/client/appointments");
    await upcoming.getByRole("link", { name: new RegExp(`10:30–11:15 ${massage.name}`) }).click();
    await expect(page.getByText(/^Cancelling is free until /)).toBeVisible();
    await page.getByRole("button", { name: "Cancel appointment" }).click();
    await expect(flash(page)).toHaveText("Appointment cancelled: the session is back in your pack.");
    await expect(page).toHaveURL(/\/client\/appointments$/);
    await expect(upcoming).toContainText("None booked.");
    await expect(page.getByRole("region", { name: "Past and cancelled" })).toContainText("Cancelled");
    expect((await em.fork().findOneOrFail(UserMembership, membership.id)).sessionsRemaining).toBe(3);
    expect(await em.fork().findOneOrFail(AppointmentBooking, { client: client.id })).toMatchObject({ status: "CANCELLED" });
    // The slot is open to book again.
    await expect(day(page, date).getByRole("button", { name: `Book: ${slot}` })).toBeVisible();
  });

  test("a client without a membership that includes the type is told why, with no button to book", async ({ make, em, signedIn }) => {
    await updateSettings(em, { "features.appointments.enabled": true });
    const coach = await make.coach();
    const massage = await make.classType({ name: uniqueName("Massage"), defaultCapacity: 1, defaultDurationMins: 45 });
    const other = await make.classType();
    const { person: client } = await make.member({ type: "PACK", totalSessions: 3, classTypes: [other] });
    const date = bookingDay(4);
    const coachPage = await signedIn(coach);
    await coachPage.goto("/coach/appointments/new");
    const one = coachPage.getByRole("form", { name: "One slot" });
    await one.getByLabel("Class type").selectOption({ label: massage.name });
    await one.getByLabel("Date").fill(date);
    await one.getByLabel("Start time").fill("16:00");
    await one.getByRole("button", { name: "Offer this slot" }).click();
    await expect(flash(coachPage)).toHaveText("Slot offered: clients can book it now.");

    const page = await signedIn(client);
    await page.goto(`/client/appointments?coach=${coach.id}`);
    const item = day(page, date)
      .getByRole("listitem")
      .filter({ hasText: `16:00–16:45 ${massage.name} with ${coach.name}` });
    await expect(item).toContainText(`You need a membership that includes ${massage.name} to book this appointment. See the plans.`);
    await expect(item.getByRole("button")).toHaveCount(0);
  });
});
