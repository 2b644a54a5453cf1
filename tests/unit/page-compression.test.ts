import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { compressPage } from "~/utils/page-compression.server";

const html = `<!DOCTYPE html><html><body>${"<li>06:30–06:55 HIIT · 4 of 10 places</li>".repeat(200)}</body></html>`;

describe("compressPage", () => {
  it("sends Brotli to a browser that accepts it, the page itself when decompressed", () => {
    const page = compressPage(html, "gzip, deflate, br, zstd");
    expect(page.encoding).toBe("br");
    expect(zlib.brotliDecompressSync(page.body).toString()).toBe(html);
    expect(page.body.length).toBeLessThan(Buffer.byteLength(html) / 10);
  });

  it("sends gzip to a client without Brotli, or one that refuses it", () => {
    for (const accepts of ["gzip, deflate", "br;q=0, gzip"]) {
      const page = compressPage(html, accepts);
      expect(page.encoding, accepts).toBe("gzip");
      expect(zlib.gunzipSync(page.body).toString()).toBe(html);
    }
  });

  it("sends the page as it is to a client that accepts no compression, or says nothing", () => {
    for (const accepts of [null, "", "identity", "deflate"]) {
      const page = compressPage(html, accepts);
      expect(page.encoding, String(accepts)).toBeNull();
      expect(page.body.toString()).toBe(html);
    }
  });
});
