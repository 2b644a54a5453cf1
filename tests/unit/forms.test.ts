import { z } from "zod";
import { describe, expect, it } from "vitest";
import { NUL_REFUSED, parseForm } from "~/utils/forms";

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
};

const Schema = z.object({ name: z.string().trim().min(1), tags: z.array(z.string()).optional() });

describe("parseForm", () => {
  it("answers the schema's data, a key sent twice as a list", () => {
    expect(
      parseForm(
        Schema,
        form([
          ["name", " Ann "],
          ["tags", "a"],
          ["tags", "b"],
        ]),
      ),
    ).toEqual({ ok: true, data: { name: "Ann", tags: ["a", "b"] } });
  });

  it("refuses a null character (which PostgreSQL cannot store) by its field, and shows the rest without it", () => {
    expect(
      parseForm(
        Schema,
        form([
          ["name", "A\u0000nn"],
          ["tags", "a"],
          ["tags", "\u0000"],
          ["password", "x\u0000"],
        ]),
      ),
    ).toEqual({
      ok: false,
      fieldErrors: { name: [NUL_REFUSED], tags: [NUL_REFUSED], password: [NUL_REFUSED] },
      values: { name: "Ann", tags: ["a", ""] },
    });
    expect(
      parseForm(
        Schema,
        form([
          ["name", "Ann"],
          ["n\u0000", "x"],
        ]),
      ),
    ).toMatchObject({ ok: false, fieldErrors: { n: [NUL_REFUSED] } });
  });

  it("reads fields named after Object's own properties as plain fields", () => {
    const fields: [string, string][] = [
      ["toString", "1"],
      ["toString", "2"],
      ["__proto__", "x"],
      ["__proto__", "y"],
      ["hasOwnProperty", "z"],
    ];
    expect(parseForm(Schema, form([["name", "Ann"], ...fields]))).toEqual({ ok: true, data: { name: "Ann" } });
    const refused = parseForm(Schema, form([["name", ""], ...fields]));
    expect(refused.ok).toBe(false);
    expect(JSON.parse(JSON.stringify(!refused.ok && refused.values))).toEqual({
      name: "",
      toString: ["1", "2"],
      ["__proto__"]: ["x", "y"],
      hasOwnProperty: "z",
    });
  });
});
