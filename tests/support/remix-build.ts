// The app's Remix build made in-process from its source (every route module under app/routes, the root
// and entry.server.tsx), for integration tests that drive the real Express app (server/app.ts) over HTTP
// without `npm run build`. Pages render on the server as in production; the browser assets it names are
// not served. Route modules run on this test file's database (DATABASE_URL) through the app's own ORM.
import type { ServerBuild } from "@remix-run/node";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import type { RouteManifest } from "@remix-run/dev/dist/config/routes.js";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./app-server";

type RouteModule = Record<string, unknown>;

export async function loadAppBuild(): Promise<ServerBuild> {
  const appDirectory = path.join(ROOT, "app");
  // The root imports the stylesheet, which is built (`npm run build:css`, part of `npm run build`), not committed.
  if (!existsSync(path.join(appDirectory, "styles/app.css"))) {
    const css = spawnSync("npm", ["run", "build:css"], { cwd: ROOT, encoding: "utf8" });
    if (css.status !== 0) throw new Error(`npm run build:css failed:\n${css.stdout}${css.stderr}`);
  }
  // The same ignored files as remix.config.js.
  const manifest: RouteManifest = { root: { id: "root", path: "", file: "root.tsx" }, ...flatRoutes(appDirectory, ["**/.*", "**/*.test.*"]) };
  const routes: ServerBuild["routes"] = {};
  const assetsRoutes: ServerBuild["assets"]["routes"] = {};
  for (const route of Object.values(manifest)) {
    const module = (await import(path.join(appDirectory, route.file))) as RouteModule;
    const shape = { id: route.id, parentId: route.parentId, path: route.path, index: route.index, caseSensitive: route.caseSensitive };
    routes[route.id] = { ...shape, module: module as unknown as ServerBuild["routes"][string]["module"] };
    assetsRoutes[route.id] = {
      ...shape,
      module: `/build/${route.id}.js`,
      imports: [],
      hasLoader: typeof module.loader === "function",
      hasAction: typeof module.action === "function",
      hasClientLoader: false,
      hasClientAction: false,
      hasErrorBoundary: typeof module.ErrorBoundary === "function",
    };
  }
  const entry = (await import(path.join(appDirectory, "entry.server.tsx"))) as ServerBuild["entry"]["module"];
  return {
    mode: "production",
    entry: { module: entry },
    routes,
    assets: { version: "test", url: "/build/manifest-test.js", entry: { module: "/build/entry.client-test.js", imports: [] }, routes: assetsRoutes },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true } as ServerBuild["future"],
    isSpaMode: false,
  };
}
