import type { ServerBuild } from "@remix-run/node";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { createApp } from "../../server/app";
import { loadAppBuild } from "./remix-build";

/** The real Express app (server/app.ts) around the app's build made from source, on a free port of 127.0.0.1. */
export async function serveAppBuild(): Promise<{ build: ServerBuild; base: string; port: number; close: () => Promise<void> }> {
  const build = await loadAppBuild();
  const app = createApp({ getBuild: async () => build, mode: "production", https: false, logger: pino({ level: "silent" }) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { build, base: `http://127.0.0.1:${port}`, port, close };
}
