import { describe, expect, it } from "vitest";
import { defaultFrom, renderEmail, smtpConfigured, smtpHost, smtpOptions } from "~/modules/notifications/email.server";
import { readEnv } from "~/utils/env.server";
import { readUnsubscribeToken, unsubscribeToken, unsubscribeUrl } from "~/modules/notifications/unsubscribe-link.server";

const base = { studioName: "Bangor Strength", subject: "You're in", appUrl: "https://book.example.com", unsubscribeUrl: null };

describe("renderEmail", () => {
  it("puts the studio's name at the top and in the sign-off, the body, and a link to the app, in text and HTML", () => {
    const email = renderEmail({ ...base, body: "A place opened up and you are now booked on Circuits." });
    expect(email.subject).toBe("You're in");
    expect(email.text.split("\n")[0]).toBe("Bangor Strength");
    expect(email.text).toContain("A place opened up and you are now booked on Circuits.");
    expect(email.text).toContain("— Bangor Strength\nhttps://book.example.com");
    expect(email.html).toContain(">Bangor Strength</p>");
    expect(email.html).toContain("— Bangor Strength<br>");
    expect(email.html).toContain('<a href="https://book.example.com"');
    expect(email.html).toContain('<p style="margin:0 0 16px;">A place opened up and you are now booked on Circuits.</p>');
  });

  it("escapes the body, the subject and the studio's name in the HTML, and keeps the text as written", () => {
    const body = `Coach <b>Gav</b> says: "5 > 3" & it's <script>alert(1)</script>`;
    const email = renderEmail({ ...base, studioName: "A&B <Gym>", subject: "<i>Hi</i>", body });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<b>Gav</b>");
    expect(email.html).toContain("Coach &lt;b&gt;Gav&lt;/b&gt; says: &quot;5 &gt; 3&quot; &amp; it&#39;s &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.html).toContain("<title>&lt;i&gt;Hi&lt;/i&gt;</title>");
    expect(email.html).toContain("A&amp;B &lt;Gym&gt;");
    expect(email.text).toContain(body);
  });

  it("keeps paragraphs and line breaks", () => {
    const email = renderEmail({ ...base, body: "Released:\n- Spin on Mon\n- Yoga on Tue\n\nSee you soon." });
    expect(email.html).toContain("Released:<br>- Spin on Mon<br>- Yoga on Tue</p>");
    expect(email.html).toContain(">See you soon.</p>");
    expect(email.text).toContain("Released:\n- Spin on Mon\n- Yoga on Tue\n\nSee you soon.");
  });

  it("makes app paths in the body absolute links, and links web addresses, leaving punctuation after them", () => {
    const email = renderEmail({ ...base, body: "Read it on your cohort page: /client/cohort/weeks/2. Or https://example.org/a?b=1&c=2." });
    expect(email.text).toContain("Read it on your cohort page: https://book.example.com/client/cohort/weeks/2. Or https://example.org/a?b=1&c=2.");
    expect(email.html).toContain(
      '<a href="https://book.example.com/client/cohort/weeks/2" style="color:#1d4ed8;">https://book.example.com/client/cohort/weeks/2</a>.',
    );
    expect(email.html).toContain('<a href="https://example.org/a?b=1&amp;c=2" style="color:#1d4ed8;">https://example.org/a?b=1&amp;c=2</a>.');
    // A slash inside a word is not a path.
    expect(renderEmail({ ...base, body: "Bring water and/or a towel." }).html).not.toContain('<a href="https://book.example.com/or');
  });

  it("adds the one-click unsubscribe link and the preferences page only when given one (optional kinds)", () => {
    const link = "https://book.example.com/unsubscribe/12.LATE_CANCEL.abc";
    const optional = renderEmail({ ...base, body: "Late cancel.", unsubscribeUrl: link });
    expect(optional.text).toContain(`Unsubscribe with one click: ${link}`);
    expect(optional.text).toContain("Choose which emails you get: https://book.example.com/account/notifications");
    expect(optional.html).toContain(`<a href="${link}"`);
    expect(optional.html).toContain(">Unsubscribe</a>");

    const always = renderEmail({ ...base, body: "Your class was cancelled." });
    expect(always.text).not.toMatch(/unsubscribe/i);
    expect(always.html).not.toMatch(/unsubscribe/i);
  });
});

describe("unsubscribe links", () => {
  const secret = "s".repeat(40);

  it("reads back the user and kind of a link it made", () => {
    const url = unsubscribeUrl(42, "CLASS_REMINDER", { baseUrl: "https://book.example.com", secret });
    expect(url).toMatch(/^https:\/\/book\.example\.com\/unsubscribe\/42\.CLASS_REMINDER\.[A-Za-z0-9_-]{43}$/);
    expect(readUnsubscribeToken(url.split("/").pop()!, secret)).toEqual({ userId: 42, kind: "CLASS_REMINDER" });
  });

  it("refuses a token for someone else, another kind, another secret or in a bad shape", () => {
    const token = unsubscribeToken(42, "CLASS_REMINDER", secret);
    const mac = token.split(".")[2];
    expect(readUnsubscribeToken(`43.CLASS_REMINDER.${mac}`, secret)).toBeNull();
    expect(readUnsubscribeToken(`42.LATE_CANCEL.${mac}`, secret)).toBeNull();
    expect(readUnsubscribeToken(token, "t".repeat(40))).toBeNull();
    for (const bad of ["", "42", "42.CLASS_REMINDER", `0.CLASS_REMINDER.${mac}`, `42.NOPE.${mac}`, `99999999999.CLASS_REMINDER.${mac}`, `${token}.x`]) {
      expect(readUnsubscribeToken(bad, secret)).toBeNull();
    }
  });
});

describe("SMTP settings", () => {
  it("reads SMTP_URL, or the SMTP_* parts, and nothing means the outbox", () => {
    expect(smtpConfigured(readEnv({}))).toBe(false);
    expect(smtpHost(readEnv({}))).toBeNull();
    expect(smtpOptions(readEnv({ SMTP_URL: "smtps://u:p@mail.example.com:465" }))).toEqual({ url: "smtps://u:p@mail.example.com:465" });
    expect(smtpHost(readEnv({ SMTP_URL: "smtps://u:p@mail.example.com:465" }))).toBe("mail.example.com");
    expect(smtpOptions(readEnv({ SMTP_HOST: "mail.example.com", SMTP_USER: "u", SMTP_PASS: "p" }))).toEqual({
      host: "mail.example.com",
      port: 587,
      secure: false,
      auth: { user: "u", pass: "p" },
    });
    expect(smtpOptions(readEnv({ SMTP_HOST: "mail.example.com", SMTP_SECURE: "true" }))).toEqual({ host: "mail.example.com", port: 465, secure: true });
  });

  it("sends from the studio's name at no-reply@ the app's host when MAIL_FROM is not set", () => {
    expect(defaultFrom('Bangor "Strength"', "https://book.example.com")).toBe('"Bangor Strength" <no-reply@book.example.com>');
  });
});
