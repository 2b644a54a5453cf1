import type { RequestHandler } from "express";
import { bodyTooLargeError, MAX_BODY_BYTES } from "../app/utils/body-limit";

/**
 * Refuses a request body over `limit` bytes with 413, before anything buffers it.
 *
 * - A declared `Content-Length` over the limit is answered at once, and the connection closed, without
 *   reading a byte of the body. A body within it cannot grow past it: Node's parser stops at the length.
 * - A chunked body (no length) is counted as whoever reads it (Remix) reads it: the stream is paused first,
 *   so counting does not start it flowing before its reader is there. Past the limit the answer is 413 and
 *   the request is destroyed, so its reader sees an error (`isBodyTooLarge`), never a complete body, and
 *   nothing is changed.
 *
 * Written here rather than with body-parser's `limit`: body-parser reads an oversized body to its end before
 * answering, and it would consume the stream that Remix's Express adapter reads the body from.
 */
export function limitBodySize(limit = MAX_BODY_BYTES): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers["content-length"];
    if (declared !== undefined) {
      if (Number(declared) > limit) refuse(res, limit);
      else next();
      return;
    }
    if (req.headers["transfer-encoding"] === undefined) {
      next();
      return;
    }
    let received = 0;
    req.pause();
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit || req.destroyed) return;
      // Answered already (a route that did not read the body, say): only stop reading.
      if (!res.headersSent) refuse(res, limit);
      req.destroy(bodyTooLargeError(limit));
    });
    // Destroying the request above emits this error; its reader has its own listener (or none yet).
    req.on("error", () => {});
    next();
  };
}

function refuse(res: Parameters<RequestHandler>[1], limit: number): void {
  res.locals.bodyTooLarge = true;
  res.status(413).set({ Connection: "close", "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(`That request is too large: send at most ${Math.floor(limit / 1024)} KB.`);
}
