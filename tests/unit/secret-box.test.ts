import { describe, expect, it } from "vitest";
import { deriveKey, open, seal } from "~/utils/secret-box.server";

describe("secret box", () => {
  const key = deriveKey("totp", "a-session-secret-of-at-least-32-characters");

  it("opens what it sealed, and the sealed text does not contain the secret", () => {
    const sealed = seal("JBSWY3DPEHPK3PXP", "user 1", key);
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(sealed).toMatch(/^v1\./);
    expect(open(sealed, "user 1", key)).toBe("JBSWY3DPEHPK3PXP");
    expect(seal("JBSWY3DPEHPK3PXP", "user 1", key)).not.toBe(sealed);
  });

  it("opens nothing under another key, another context or when damaged", () => {
    const sealed = seal("JBSWY3DPEHPK3PXP", "user 1", key);
    expect(open(sealed, "user 1", deriveKey("totp", "another-session-secret-of-32-characters!"))).toBeNull();
    expect(open(sealed, "user 1", deriveKey("other purpose", "a-session-secret-of-at-least-32-characters"))).toBeNull();
    expect(open(sealed, "user 2", key)).toBeNull();
    expect(open(`${sealed.slice(0, -2)}AA`, "user 1", key)).toBeNull();
    expect(open("v1.bad", "user 1", key)).toBeNull();
    expect(open("JBSWY3DPEHPK3PXP", "user 1", key)).toBeNull();
  });
});
