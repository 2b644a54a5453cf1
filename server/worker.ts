// `npm run worker` (build/server/worker.js): NODE_ENV is set before anything else loads, as server/start.ts
// does for the web server; the worker itself is server/worker-main.ts.
import { productionNodeEnv } from "./production-env";

process.env.NODE_ENV = productionNodeEnv(process.env.NODE_ENV);
await import("./worker-main");
