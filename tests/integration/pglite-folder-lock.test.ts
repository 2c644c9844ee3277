// The embedded database's folder lock (db/client.ts): one process per PGlite folder. A stale lock
// (its process is dead) is taken over by removing it and creating it again exclusively, never by
// overwriting it, so two processes taking over at once cannot both hold it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DatabaseInUseError, openPglite } from "@/db/client";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-folder-lock-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A pid that certainly belongs to no running process: a child that has exited and been reaped. */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid!;

describe("PGlite folder lock", () => {
  it("refuses a folder held by a live process, takes over a dead one's lock, and releases its own", { timeout: 60_000 }, async () => {
    const data = path.join(dir, "data");
    const lock = `${data}.lock`;
    fs.writeFileSync(lock, String(process.ppid)); // a live process (the one that started the tests)
    await expect(openPglite(data)).rejects.toBeInstanceOf(DatabaseInUseError);
    expect(fs.readFileSync(lock, "utf8")).toBe(String(process.ppid)); // left alone

    // a lock being written this very moment (empty, fresh) is in use too; an old empty one is stale
    fs.writeFileSync(lock, "");
    await expect(openPglite(data)).rejects.toThrow(/in use by process \(starting\)/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    const h1 = await openPglite(data);
    expect(fs.readFileSync(lock, "utf8")).toBe(String(process.pid));
    await h1.close();
    expect(fs.existsSync(lock)).toBe(false);

    fs.writeFileSync(lock, String(deadPid()));
    const h2 = await openPglite(data);
    expect(fs.readFileSync(lock, "utf8")).toBe(String(process.pid));
    await h2.close();
    expect(fs.existsSync(lock)).toBe(false);
  });
});
