/**
 * The NODE_ENV the compiled server and worker run with: production, whatever the caller set (or did not),
 * except "test", which the end-to-end tests pass to run the production build over plain HTTP.
 */
export function productionNodeEnv(given: string | undefined): "production" | "test" {
  return given === "test" ? "test" : "production";
}
