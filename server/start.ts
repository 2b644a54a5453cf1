// Production server (`npm start`, the Docker image: build/server/start.js). NODE_ENV is set here, before any
// other module loads, since some read it as they load (cookie names and flags, React's build) and the caller
// may not set it. The rest is imported afterwards, dynamically: bundled, a static import would not run
// later than this line (esbuild hoists the npm packages a bundle imports above its own code).
import { productionNodeEnv } from "./production-env";

process.env.NODE_ENV = productionNodeEnv(process.env.NODE_ENV);
await import("./serve");
