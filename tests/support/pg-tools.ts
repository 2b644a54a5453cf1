// PostgreSQL's own programs (pg_dump, pg_restore, and for a scratch cluster initdb, pg_ctl) for the backup
// test (tests/integration/backup-restore.test.ts). pg_dump refuses a server newer than itself, and
// pg_restore an archive from a newer pg_dump, so the tools must be the server's major version: they are
// looked for by version, never taken blindly from the PATH.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "../../server/embedded-postgres";
import { withClient } from "./pg";

export type PgTools = { major: number; binDir: string; pgDump: string; pgRestore: string };

/** The server's major version (`server_version_num` 150020 → 15, 180004 → 18). */
export async function serverMajor(url: string): Promise<number> {
  const rows = await withClient(url, (client) => client.query<{ server_version_num: string }>("show server_version_num"));
  return Math.floor(Number(rows.rows[0].server_version_num) / 10_000);
}

/** The major version a PostgreSQL program says it is ("pg_dump (PostgreSQL) 15.20 (Debian …)" → 15), or null. */
function programMajor(program: string): number | null {
  const run = spawnSync(program, ["--version"], { encoding: "utf8" });
  const match = run.status === 0 ? /\(PostgreSQL\)\s+(\d+)/.exec(run.stdout) : null;
  return match ? Number(match[1]) : null;
}

/** Where PostgreSQL's programs may be, for `major`: an explicit PG_BIN_DIR first, then the usual places. */
function candidateDirectories(major: number): string[] {
  const dirs: string[] = [];
  if (process.env.PG_BIN_DIR) dirs.push(process.env.PG_BIN_DIR);
  try {
    // embedded-postgres's platform package (it ships initdb, pg_ctl and postgres; pg_dump if a version adds it).
    const require = createRequire(import.meta.url);
    dirs.push(path.join(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`)), "native/bin"));
  } catch {
    // no platform package here
  }
  dirs.push(
    `/usr/lib/postgresql/${major}/bin`, // Debian, Ubuntu
    `/usr/pgsql-${major}/bin`, // RHEL, Fedora (PGDG)
    `/opt/homebrew/opt/postgresql@${major}/bin`, // macOS, Homebrew
    `/usr/local/opt/postgresql@${major}/bin`,
    `/Applications/Postgres.app/Contents/Versions/${major}/bin`,
  );
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) dirs.push(dir);
  return [...new Set(dirs)];
}

/** pg_dump and pg_restore of exactly `major`, and the directories looked in. */
export function findPgTools(major: number): { tools: PgTools | null; searched: string[] } {
  const searched = candidateDirectories(major);
  for (const binDir of searched) {
    const pgDump = path.join(binDir, "pg_dump");
    const pgRestore = path.join(binDir, "pg_restore");
    if (!existsSync(pgDump) || !existsSync(pgRestore)) continue;
    if (programMajor(pgDump) === major && programMajor(pgRestore) === major) return { tools: { major, binDir, pgDump, pgRestore }, searched };
  }
  return { tools: null, searched };
}

/**
 * The newest PostgreSQL installed on this machine with a server and its client tools in one directory
 * (Debian's /usr/lib/postgresql/<major>/bin, for one), or null.
 */
export function findLocalInstallation(): PgTools | null {
  const roots = ["/usr/lib/postgresql"].filter(existsSync);
  const majors = roots.flatMap((root) => readdirSync(root).filter((name) => /^\d+$/.test(name))).map(Number);
  for (const major of majors.sort((a, b) => b - a)) {
    const binDir = `/usr/lib/postgresql/${major}/bin`;
    const { tools } = findPgTools(major);
    if (tools && tools.binDir === binDir && ["initdb", "pg_ctl", "postgres"].every((p) => existsSync(path.join(binDir, p)))) return tools;
  }
  return null;
}

export type ScratchCluster = { adminUrl: string; stop: () => Promise<void> };

/**
 * A throwaway cluster of `tools`' own installation on a free port of 127.0.0.1, trusting local connections
 * as "postgres". PostgreSQL will not run as root: as root it runs as the system user "postgres".
 */
export async function startScratchCluster(tools: PgTools): Promise<ScratchCluster> {
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? {
        uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
        gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()),
      }
    : {};
  const dir = mkdtempSync(path.join(os.tmpdir(), "centurion-backup-pg-"));
  if (asRoot) chownSync(dir, ids.uid!, ids.gid!);
  const dataDir = path.join(dir, "data");
  const run = (program: string, args: string[]) => {
    const result = spawnSync(path.join(tools.binDir, program), args, { encoding: "utf8", cwd: dir, timeout: 120_000, ...ids });
    if (result.status !== 0) throw new Error(`${program} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  };
  run("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
  const port = await findFreePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  run("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "120", "start"]);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "120", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
