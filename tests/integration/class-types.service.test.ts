import { describe, expect, it } from "vitest";
import { ClassType } from "~/modules/sessions/sessions.entities.server";
import { ClassTypeFormSchema, type ClassTypeInput } from "~/modules/sessions/sessions.schema";
import { createClassType, findClassType, listClassTypes, setClassTypeActive, updateClassType } from "~/modules/sessions/class-types.service.server";
import { parseForm } from "~/utils/forms";
import { forkEm } from "../support/db";

const NAME_TAKEN = { name: ["An active class type already has this name."] };

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}

const BASE = {
  name: "Class",
  description: "",
  color: "#1d4ed8",
  defaultCapacity: "12",
  defaultDurationMins: "45",
  bookingOpensDaysBefore: "",
  bookingClosesMinutesBefore: "",
};

/** The form path: fields as typed, through the schema, as the route does. */
function input(fields: Partial<typeof BASE> = {}): ClassTypeInput {
  const parsed = parseForm(ClassTypeFormSchema, form({ ...BASE, ...fields }));
  if (!parsed.ok) throw new Error(`Test input does not parse: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.data;
}

async function create(fields: Partial<typeof BASE>) {
  const result = await createClassType(await forkEm(), input(fields));
  if (!result.ok) throw new Error(`Could not create class type: ${JSON.stringify(result.fieldErrors)}`);
  return result.classType;
}

describe("ClassTypeFormSchema via parseForm", () => {
  it("normalises a short colour and turns blank optional numbers into undefined", () => {
    const parsed = parseForm(ClassTypeFormSchema, form({ ...BASE, name: "  Spin  ", color: "#ABC" }));
    expect(parsed).toEqual({
      ok: true,
      data: {
        name: "Spin",
        color: "#aabbcc",
        defaultCapacity: 12,
        defaultDurationMins: 45,
        description: undefined,
        bookingOpensDaysBefore: undefined,
        bookingClosesMinutesBefore: undefined,
      },
    });
  });

  it("explains a malformed colour, a capacity of 0 and a blank name", () => {
    for (const color of ["red", "#12345", "#GGGGGG", "1d4ed8", ""]) {
      const parsed = parseForm(ClassTypeFormSchema, form({ ...BASE, color }));
      expect(parsed.ok, color).toBe(false);
      if (!parsed.ok) expect(parsed.fieldErrors, color).toEqual({ color: ["Use a hex colour like #1d4ed8."] });
    }

    const capacity = parseForm(ClassTypeFormSchema, form({ ...BASE, defaultCapacity: "0" }));
    expect(capacity.ok).toBe(false);
    if (!capacity.ok) expect(capacity.fieldErrors).toEqual({ defaultCapacity: ["The capacity must be at least 1."] });

    const name = parseForm(ClassTypeFormSchema, form({ ...BASE, name: "   " }));
    expect(name.ok).toBe(false);
    if (!name.ok) {
      expect(name.fieldErrors).toEqual({ name: ["Enter a name."] });
      expect(name.values.name).toBe("   ");
    }
  });

  it("reports several bad fields at once", () => {
    const parsed = parseForm(ClassTypeFormSchema, form({ ...BASE, name: "", color: "blue", defaultCapacity: "0", defaultDurationMins: "2.5" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fieldErrors).toEqual({
        name: ["Enter a name."],
        color: ["Use a hex colour like #1d4ed8."],
        defaultCapacity: ["The capacity must be at least 1."],
        defaultDurationMins: ["Enter the duration as a whole number."],
      });
    }
  });
});

describe("createClassType", () => {
  it("creates a class type and stores the colour in its six-digit lower-case form", async () => {
    const created = await create({ name: "Core", color: "#ABC", description: "Abs and more", bookingOpensDaysBefore: "7", bookingClosesMinutesBefore: "30" });
    expect(created.id).toBeGreaterThan(0);

    const stored = await findClassType(await forkEm(), created.id);
    expect(stored).toMatchObject({
      name: "Core",
      color: "#aabbcc",
      description: "Abs and more",
      defaultCapacity: 12,
      defaultDurationMins: 45,
      bookingOpensDaysBefore: 7,
      bookingClosesMinutesBefore: 30,
      isActive: true,
    });
    const [row] = await (await forkEm()).getConnection().execute<{ color: string }[]>(`select color from class_type where id = ?`, [created.id]);
    expect(row.color).toBe("#aabbcc");
  });

  it("leaves blank optional fields null", async () => {
    const created = await create({ name: "Mobility" });
    const stored = await findClassType(await forkEm(), created.id);
    expect(stored).toMatchObject({ description: null, bookingOpensDaysBefore: null, bookingClosesMinutesBefore: null });
  });

  it("refuses a second active class type with the same name in any case, and allows it once the first is inactive", async () => {
    const first = await create({ name: "HIIT" });

    const clash = await createClassType(await forkEm(), input({ name: "hiit" }));
    expect(clash).toEqual({ ok: false, fieldErrors: NAME_TAKEN });
    expect(await (await forkEm()).count(ClassType, { name: { $ilike: "hiit" } })).toBe(1);

    expect(await setClassTypeActive(await forkEm(), first.id, false)).toMatchObject({ ok: true, classType: { isActive: false } });

    const second = await createClassType(await forkEm(), input({ name: "hiit" }));
    expect(second.ok).toBe(true);
    expect(await (await forkEm()).count(ClassType, { name: { $ilike: "hiit" } })).toBe(2);

    // Reactivating the first would make two active "HIIT"s.
    expect(await setClassTypeActive(await forkEm(), first.id, true)).toEqual({
      ok: false,
      fieldErrors: { name: ["Another active class type has this name; rename one of them first."] },
    });
    expect((await findClassType(await forkEm(), first.id))?.isActive).toBe(false);
  });

  it("refuses the clash through the unique index when two creations race", async () => {
    const results = await Promise.all([1, 2, 3].map(async () => createClassType(await forkEm(), input({ name: "Race Day" }))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(r).toEqual({ ok: false, fieldErrors: NAME_TAKEN });
    expect(await (await forkEm()).count(ClassType, { name: "Race Day", isActive: true })).toBe(1);
  });
});

describe("updateClassType", () => {
  it("saves changes, clearing optional fields left blank", async () => {
    const created = await create({ name: "Pilates", bookingOpensDaysBefore: "3", bookingClosesMinutesBefore: "15", description: "Slow" });
    const result = await updateClassType(
      await forkEm(),
      created.id,
      input({ name: "Reformer Pilates", color: "#F0A", defaultCapacity: "8", defaultDurationMins: "50" }),
    );
    expect(result).toMatchObject({ ok: true });
    const stored = await findClassType(await forkEm(), created.id);
    expect(stored).toMatchObject({
      name: "Reformer Pilates",
      color: "#ff00aa",
      defaultCapacity: 8,
      defaultDurationMins: 50,
      description: null,
      bookingOpensDaysBefore: null,
      bookingClosesMinutesBefore: null,
    });
  });

  it("lets a class type keep (or re-case) its own name", async () => {
    const created = await create({ name: "Boxing" });
    expect(await updateClassType(await forkEm(), created.id, input({ name: "BOXING", defaultCapacity: "20" }))).toMatchObject({
      ok: true,
      classType: { name: "BOXING", defaultCapacity: 20 },
    });
  });

  it("refuses renaming an active class type to another active one's name", async () => {
    await create({ name: "Yoga" });
    const other = await create({ name: "Stretch" });
    expect(await updateClassType(await forkEm(), other.id, input({ name: " yoga " }))).toEqual({ ok: false, fieldErrors: NAME_TAKEN });
    expect((await findClassType(await forkEm(), other.id))?.name).toBe("Stretch");
  });

  it("returns null for an unknown class type", async () => {
    expect(await updateClassType(await forkEm(), 999_999, input({ name: "Ghost" }))).toBeNull();
    expect(await setClassTypeActive(await forkEm(), 999_999, false)).toBeNull();
  });
});

describe("deactivating and reactivating", () => {
  it("hides an inactive class type from the default list and brings it back on reactivation", async () => {
    const created = await create({ name: "Kettlebells" });
    expect(await setClassTypeActive(await forkEm(), created.id, false)).toMatchObject({ ok: true, classType: { isActive: false } });

    expect((await listClassTypes(await forkEm())).map((c) => c.id)).not.toContain(created.id);
    expect((await listClassTypes(await forkEm(), { includeInactive: true })).map((c) => c.id)).toContain(created.id);

    expect(await setClassTypeActive(await forkEm(), created.id, true)).toMatchObject({ ok: true, classType: { isActive: true } });
    expect((await listClassTypes(await forkEm())).map((c) => c.id)).toContain(created.id);
  });

  it("lists active class types first, by name", async () => {
    const all = await listClassTypes(await forkEm(), { includeInactive: true });
    const firstInactive = all.findIndex((c) => !c.isActive);
    expect(firstInactive).toBeGreaterThan(0);
    expect(all.slice(firstInactive).every((c) => !c.isActive)).toBe(true);
    // Names whose order is the same under any collation.
    const active = all.slice(0, firstInactive).map((c) => c.name);
    const known = ["Core", "Kettlebells", "Mobility", "Stretch", "Yoga"];
    expect(active.filter((name) => known.includes(name))).toEqual(known);
  });
});

describe("database constraints", () => {
  it("rejects a colour that is not six lower-case hex digits, whatever the app does", async () => {
    const em = await forkEm();
    for (const color of ["#ABCDEF", "#abc", "red"]) {
      await expect(
        em.getConnection().execute(`insert into class_type (name, color, created_at, updated_at) values (?, ?, now(), now())`, [`Bad ${color}`, color]),
        color,
      ).rejects.toThrow(/class_type_color_check/);
    }
    expect(await (await forkEm()).count(ClassType, { name: { $like: "Bad %" } })).toBe(0);
  });

  it("enforces active-name uniqueness case-insensitively on direct inserts too", async () => {
    const em = await forkEm();
    await em.getConnection().execute(`insert into class_type (name, color, created_at, updated_at) values ('Sprint', '#000000', now(), now())`);
    await expect(
      em.getConnection().execute(`insert into class_type (name, color, created_at, updated_at) values ('SPRINT', '#000000', now(), now())`),
    ).rejects.toThrow(/class_type_active_name_unique/);
    // An inactive duplicate is fine.
    await em
      .getConnection()
      .execute(`insert into class_type (name, color, is_active, created_at, updated_at) values ('SPRINT', '#000000', false, now(), now())`);
  });
});
