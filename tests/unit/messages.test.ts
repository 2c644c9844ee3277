import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

describe("messages", () => {
  it("zh-CN and English have exactly the same keys", () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it("every error key thrown by the code has a message in both languages", () => {
    const used = new Set<string>();
    for (const dir of ["server", "lib", "app"])
      for (const f of sourceFiles(dir)) for (const m of fs.readFileSync(f, "utf8").matchAll(/"(errors\.[a-zA-Z.]+)"/g)) used.add(m[1]!);
    const known = new Set(keys(zh));
    expect([...used].filter((k) => !known.has(k))).toEqual([]);
    expect(used.size).toBeGreaterThan(20);
  });
});
