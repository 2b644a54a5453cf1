// The production server runs with the same Node flags however it is started: `npm start`, the Docker image,
// and the built server the end-to-end tests and the benchmarks start (tests/support/app-server.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, SERVER_ENTRY, SERVER_NODE_FLAGS } from "../support/app-server";

describe("the server's Node flags", () => {
  it("are those `npm start` gives", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(scripts.start).toBe(`NODE_ENV=production node ${[...SERVER_NODE_FLAGS, SERVER_ENTRY].join(" ")}`);
  });

  it("are those the Docker image's command gives", () => {
    const command = /^CMD (\[.*\])$/m.exec(readFileSync(path.join(ROOT, "Dockerfile"), "utf8"));
    expect(JSON.parse(command![1])).toEqual(["node", ...SERVER_NODE_FLAGS, SERVER_ENTRY]);
  });
});
