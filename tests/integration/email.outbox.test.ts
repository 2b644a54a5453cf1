// /admin/outbox: the email messages an admin reads (all of them, without SMTP), newest first.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { deliverNotification } from "~/modules/notifications/delivery.server";
import { notify } from "~/modules/notifications/notify.server";
import { loader as listLoader } from "~/routes/admin.outbox._index";
import { loader as messageLoader } from "~/routes/admin.outbox.$id";
import { forkEm } from "../support/db";
import * as factories from "../support/factories";
import { getLoader, loaderData, signedInCookie } from "../support/routes";

type Row = { id: number; toAddress: string; subject: string; status: string; attempts: number; sentAt: string | null; createdAt: string };
type List = { messages: Row[]; total: number; page: number; pageCount: number; smtpHost: string | null; invalid: boolean };
type Message = { message: { subject: string; toAddress: string; status: string; textBody: string; htmlBody: string; lastError: string | null; kind: string } };

let admin: IUser;
let coach: IUser;
let alice: IUser;
let bob: IUser;
const cookies = new Map<number, string>();
const emailIds: number[] = [];

async function emailFor(user: IUser, subject: string, body: string) {
  const id = await (await forkEm()).transactional((tx) => notify(tx, { userId: user.id, kind: "PAYMENT_FAILED", subject, body }));
  await deliverNotification(await forkEm(), id!, { mailer: null, lastAttempt: false, appUrl: "https://book.example.com" });
  const [row] = await (await forkEm()).execute<{ id: number }[]>(`select id from email_message where notification_id = ?`, [id]);
  emailIds.push(row.id);
  return row.id;
}

beforeAll(async () => {
  const em = await forkEm();
  admin = await factories.createUser(em, { role: "ADMIN" });
  coach = await factories.createUser(em, { role: "COACH" });
  alice = await factories.createUser(em, { name: factories.uniqueName("Alice Outbox") });
  bob = await factories.createUser(em, { name: factories.uniqueName("Bob Outbox") });
  for (const user of [admin, coach, alice, bob]) cookies.set(user.id, await signedInCookie(user));
  await emailFor(alice, "First for Alice", "Hello Alice.");
  await emailFor(bob, "For Bob", `<img src=x onerror="alert(1)"> Bob`);
  await emailFor(alice, "Second for Alice", "Hello again.");
  // One that was sent, to filter by status.
  await (await forkEm()).execute(`update email_message set status = 'SENT', sent_at = now(), attempts = 1 where id = ?`, [emailIds[2]]);
});

async function statusOf(loader: (args: LoaderFunctionArgs) => Promise<unknown>, path: string, params: Record<string, string>, user: IUser) {
  return (await getLoader(loader, { path, params, cookie: cookies.get(user.id)! })).status;
}

const list = (query = "") => loaderData<List>(listLoader, { path: `/admin/outbox${query}`, cookie: cookies.get(admin.id)! });

describe("/admin/outbox", () => {
  it("is for admins only", async () => {
    expect(await statusOf(listLoader, "/admin/outbox", {}, coach)).toBe(403);
    expect(await statusOf(listLoader, "/admin/outbox", {}, alice)).toBe(403);
    expect(await statusOf(messageLoader, `/admin/outbox/${emailIds[0]}`, { id: String(emailIds[0]) }, coach)).toBe(403);
    expect(await statusOf(listLoader, "/admin/outbox", {}, admin)).toBe(200);
  });

  it("lists the messages newest first with when, to, subject, status, attempts and sent at, and says SMTP is not configured", async () => {
    const data = await list();
    expect(data.smtpHost).toBeNull();
    const ours = data.messages.filter((m) => emailIds.includes(m.id));
    expect(ours.map((m) => m.subject)).toEqual(["Second for Alice", "For Bob", "First for Alice"]);
    expect(ours[0]).toMatchObject({ toAddress: alice.email, status: "SENT", attempts: 1, sentAt: expect.stringMatching(/\d{4} at \d\d:\d\d$/) });
    expect(ours[1]).toMatchObject({ toAddress: bob.email, status: "OUTBOX", attempts: 0, sentAt: null, createdAt: expect.stringMatching(/ at \d\d:\d\d$/) });
  });

  it("filters by status and by recipient (address or name), and ignores a bad filter", async () => {
    expect((await list("?status=SENT")).messages.map((m) => m.id)).toEqual([emailIds[2]]);
    expect((await list(`?q=${encodeURIComponent(alice.email)}`)).messages.map((m) => m.id)).toEqual([emailIds[2], emailIds[0]]);
    expect((await list(`?q=${encodeURIComponent(bob.name)}&status=OUTBOX`)).messages.map((m) => m.id)).toEqual([emailIds[1]]);
    expect((await list("?q=%25")).messages).toEqual([]);
    const bad = await list("?status=LOST&page=0");
    expect(bad.invalid).toBe(true);
    expect(bad.total).toBeGreaterThanOrEqual(3);
  });

  it("shows one message's text and HTML, and answers 404 for one that is not there", async () => {
    const { message } = await loaderData<Message>(messageLoader, {
      path: `/admin/outbox/${emailIds[1]}`,
      params: { id: String(emailIds[1]) },
      cookie: cookies.get(admin.id)!,
    });
    expect(message).toMatchObject({ subject: "For Bob", toAddress: bob.email, status: "OUTBOX", kind: "PAYMENT_FAILED", lastError: null });
    expect(message.textBody).toContain(`<img src=x onerror="alert(1)"> Bob`);
    // The stored HTML is escaped; the page only ever puts it in a sandboxed frame or shows it as text.
    expect(message.htmlBody).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Bob");
    expect(message.htmlBody).not.toContain("<img");
    for (const id of ["2147483647", "abc", "0", "99999999999"]) expect(await statusOf(messageLoader, `/admin/outbox/${id}`, { id }, admin), id).toBe(404);
  });

  it("never shows a password-reset link, not even to an admin; an invitation's link stays", async () => {
    const link = (token: string) => `https://book.example.com/reset-password/${token}`;
    const messageOf = async (kind: "PASSWORD_RESET" | "ACCOUNT_INVITE", token: string) => {
      const id = await (
        await forkEm()
      ).transactional((tx) => notify(tx, { userId: alice.id, kind, subject: `Your link (${kind})`, body: `Open ${link(token)} within the hour.` }));
      await deliverNotification(await forkEm(), id!, { mailer: null, lastAttempt: false, appUrl: "https://book.example.com" });
      const [row] = await (await forkEm()).execute<{ id: number }[]>(`select id from email_message where notification_id = ?`, [id]);
      return (await loaderData<Message>(messageLoader, { path: `/admin/outbox/${row.id}`, params: { id: String(row.id) }, cookie: cookies.get(admin.id)! }))
        .message;
    };
    const reset = await messageOf("PASSWORD_RESET", "secret-reset-token");
    expect(reset.textBody + reset.htmlBody).not.toContain("secret-reset-token");
    expect(reset.textBody).toContain("/reset-password/[hidden: only the recipient may use this link]");
    const invite = await messageOf("ACCOUNT_INVITE", "invite-token");
    expect(invite.textBody).toContain(link("invite-token"));
  });
});
