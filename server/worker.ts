// `npm run worker` (build/server/worker.js): NODE_ENV is set before anything else loads, as server/start.ts
// does for the web server; the worker itself is server/worker-main.ts.
import module from "node:module";
import { productionNodeEnv } from "./production-env";

process.env.NODE_ENV = productionNodeEnv(process.env.NODE_ENV);
// Node keeps the compiled code of every module it loads on disk (NODE_COMPILE_CACHE, else a folder in the
// system's temporary directory), so a restart skips compiling the same code again (docs/decisions/0030).
module.enableCompileCache?.();
await import("./worker-main");
