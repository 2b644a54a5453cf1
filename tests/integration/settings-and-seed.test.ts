import { describe, expect, it } from "vitest";
import { User } from "~/modules/auth/auth.entities.server";
import { verifyLogin } from "~/modules/auth/auth.service.server";
import { DEFAULT_SETTINGS } from "~/modules/settings/settings.rules";
import { getSettings, updateSettings } from "~/modules/settings/settings.service.server";
import { SystemSettings } from "~/modules/settings/settings.entities.server";
import { seed } from "../../db/seed";
import { DEMO_PASSWORD } from "../../db/seeders/demo-people";
import { forkEm, testDatabaseUrl } from "../support/db";

describe("demo seed", () => {
  it("creates the admin, six coaches and sixty clients, and running it again adds nothing", async () => {
    // As in a new database (the test template stores the setting, tests/support/global-setup.ts).
    await (await forkEm()).nativeDelete(SystemSettings, { key: "staffTwoFactorRequired" });
    await seed(testDatabaseUrl());
    await seed(testDatabaseUrl());
    const em = await forkEm();
    expect(await em.count(User, { role: "ADMIN" })).toBe(1);
    expect(await em.count(User, { role: "COACH" })).toBe(6);
    expect(await em.count(User, { role: "CLIENT" })).toBe(60);
    expect(
      await em.count(User, {
        email: {
          $in: ["gav@centurion.test", "rory@centurion.test", "clare@centurion.test", "josh@centurion.test", "conor@centurion.test", "jacki@centurion.test"],
        },
      }),
    ).toBe(6);
    expect(await em.count(SystemSettings)).toBe(Object.keys(DEFAULT_SETTINGS).length);
    // The demo accounts share a published password: the demo studio does not require a second factor.
    expect((await getSettings(em)).staffTwoFactorRequired).toBe(false);
  });

  it("lets every demo person sign in with the demo password", async () => {
    const em = await forkEm();
    for (const email of ["admin@centurion.test", "gav@centurion.test", "client60@centurion.test"]) {
      expect((await verifyLogin(em, { email, password: DEMO_PASSWORD, ipAddress: "127.0.0.1" })).ok).toBe(true);
    }
  });
});

describe("settings service", () => {
  it("reads the defaults, saves changes and keeps unrelated keys", async () => {
    expect((await getSettings(await forkEm()))["features.sessions.enabled"]).toBe(true);
    const updated = await updateSettings(await forkEm(), { "features.appointments.enabled": true, defaultLateCancelCutoffHours: 4 });
    expect(updated["features.appointments.enabled"]).toBe(true);
    expect(updated.defaultLateCancelCutoffHours).toBe(4);
    const reread = await getSettings(await forkEm());
    expect(reread).toMatchObject({ "features.appointments.enabled": true, defaultLateCancelCutoffHours: 4, studioTimeZone: "Europe/London", currency: "GBP" });
  });
});
