// Pages go out compressed: Brotli to browsers that accept it (every browser over HTTPS), gzip to the rest,
// and both decompress to the very page sent uncompressed. The real Express app around the app's real routes.
import http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayIn, toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import { createClassType, createMember, createSession, createUser } from "../support/factories";
import { signedInCookie } from "../support/routes";
import { serveAppBuild } from "../support/serve-app";

let port = 0;
let cookie = "";
let close: () => Promise<unknown> = async () => {};

beforeAll(async () => {
  const served = await serveAppBuild();
  port = served.port;
  close = served.close;

  const em = await forkEm();
  const coach = await createUser(em, { role: "COACH" });
  const { user: client } = await createMember(em, { type: "PACK" });
  const classType = await createClassType(em);
  const tomorrow = addDays(todayIn("Europe/London"), 1);
  for (const time of ["06:30", "07:00", "09:30", "10:05", "12:30", "17:30", "18:05"]) {
    await createSession(em, { coach, classType, start: toInstant(tomorrow, time, "Europe/London") });
  }
  cookie = await signedInCookie(client);
});

afterAll(async () => {
  await close();
});

/** The raw answer to GET `path` (fetch would decompress it unasked). */
function get(path: string, acceptEncoding: string): Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path, headers: { cookie, "accept-encoding": acceptEncoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ encoding: response.headers["content-encoding"], vary: response.headers.vary, body: Buffer.concat(chunks) }));
    });
    request.on("error", reject);
  });
}

describe("compressed pages", () => {
  it("sends the timetable as Brotli or gzip, each the same page as sent plain, and much smaller", async () => {
    const plain = await get("/client/sessions", "identity");
    expect(plain.encoding).toBeUndefined();
    expect(plain.body.toString()).toContain("Book a session");

    const brotli = await get("/client/sessions", "gzip, deflate, br");
    expect(brotli.encoding).toBe("br");
    expect(brotli.vary).toMatch(/accept-encoding/i);
    const gzip = await get("/client/sessions", "gzip, deflate");
    expect(gzip.encoding).toBe("gzip");

    // The pages differ only in the CSP nonce, a fresh one per answer.
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/'nonce-[^']*'/g, "");
    expect(withoutNonce(zlib.brotliDecompressSync(brotli.body).toString())).toBe(withoutNonce(plain.body.toString()));
    expect(withoutNonce(zlib.gunzipSync(gzip.body).toString())).toBe(withoutNonce(plain.body.toString()));
    expect(brotli.body.length).toBeLessThan(plain.body.length / 3);
    expect(gzip.body.length).toBeLessThan(plain.body.length / 3);
  });
});
