// Production server (`npm start`, the Docker image: build/server/start.js). NODE_ENV is set here, before any
// other module loads, since some read it as they load (cookie names and flags, React's build) and the caller
// may not set it. The rest is imported afterwards, dynamically: bundled, a static import would not run
// later than this line (esbuild hoists the npm packages a bundle imports above its own code).
import module from "node:module";
import { productionNodeEnv } from "./production-env";

process.env.NODE_ENV = productionNodeEnv(process.env.NODE_ENV);
// Node keeps the compiled code of every module it loads on disk (NODE_COMPILE_CACHE, else a folder in the
// system's temporary directory), so a restart skips compiling the same code again (docs/decisions/0030).
module.enableCompileCache?.();
await import("./serve");
