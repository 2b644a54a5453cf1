import type { Request, Response } from "express";
import { describe, expect, it, vi } from "vitest";
import { asyncHandler } from "../../server/app";

describe("asyncHandler", () => {
  it("hands a rejection to the error middleware instead of leaving it unhandled", async () => {
    const failure = new Error("database gone");
    const next = vi.fn();
    asyncHandler(async () => {
      throw failure;
    })({} as Request, {} as Response, next);
    await vi.waitFor(() => expect(next).toHaveBeenCalledWith(failure));
  });

  it("leaves next alone when the handler answers", async () => {
    const next = vi.fn();
    let answered = false;
    asyncHandler(async () => {
      answered = true;
    })({} as Request, {} as Response, next);
    await vi.waitFor(() => expect(answered).toBe(true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(next).not.toHaveBeenCalled();
  });
});
