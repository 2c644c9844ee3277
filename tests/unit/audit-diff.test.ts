import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, auditChanges, fieldKind, LABELLED_FIELDS, referencedIds } from "@/lib/audit-diff";

const has = (messages: object, key: string) => key.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), messages) !== undefined;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(e.name) ? [p] : [];
  });
}

describe("audit diff", () => {
  it("an update lists only the fields that changed, bookkeeping left out, a nested event flattened", () => {
    const before = { id: "p1", name: "旧名", plannedAmount: "100.00", stage: "contact", version: 3, updatedAt: "2026-01-01T00:00:00.000Z", notes: null };
    const after = { ...before, name: "新名", stage: "signed", version: 4, updatedAt: "2026-02-01T00:00:00.000Z", event: { businessDate: "2026-02-01", note: "签约", projectId: "p1", id: "e1" } };
    expect(auditChanges(before, after)).toEqual([
      { field: "name", before: "旧名", after: "新名" },
      { field: "stage", before: "contact", after: "signed" },
      { field: "event.businessDate", before: null, after: "2026-02-01" },
      { field: "event.note", before: null, after: "签约" },
    ]);
    expect(auditChanges(before, { ...before })).toEqual([]);
  });

  it("a creation lists what it set, a removal what the object held", () => {
    expect(auditChanges(null, { id: "c1", name: "王经理", title: null, phone: "", email: "w@x.cn", version: 1 })).toEqual([
      { field: "name", before: undefined, after: "王经理" },
      { field: "email", before: undefined, after: "w@x.cn" },
    ]);
    expect(auditChanges({ id: "t1", amount: "5.00", note: null }, null)).toEqual([{ field: "amount", before: "5.00", after: undefined }]);
  });

  it("reads each field as its kind: enums by entity, money, people, units", () => {
    expect(fieldKind("tranche", "status")).toEqual({ kind: "enum", prefix: "enums.trancheStatus" });
    expect(fieldKind("project", "status")).toEqual({ kind: "enum", prefix: "enums.status" });
    expect(fieldKind("project", "event.toStage")).toEqual({ kind: "enum", prefix: "enums.stage" });
    expect(fieldKind("tranche", "amount")).toEqual({ kind: "money" });
    expect(fieldKind("tranche", "verifiedBy")).toEqual({ kind: "user" });
    expect(fieldKind("contact", "ownerUnitId")).toEqual({ kind: "unit" });
    expect(fieldKind("project", "summary")).toEqual({ kind: "text" });
    const u = "11111111-2222-4333-8444-555555555555";
    const p = "99999999-2222-4333-8444-555555555555";
    const ids = referencedIds([{ entityType: "project", entityId: p, before: null, after: { ownerId: u, unitId: u, investorId: u, name: u } }]);
    expect([...ids.users]).toEqual([u]);
    expect([...ids.units]).toEqual([u]);
    expect([...ids.investors]).toEqual([u]);
    expect([...ids.projects]).toEqual([p]);
  });

  it("every action the services write, every object type and field has a label in both languages", () => {
    const written = new Set<string>();
    for (const dir of ["server", "db"])
      for (const f of sourceFiles(dir))
        for (const m of fs.readFileSync(f, "utf8").matchAll(/action: (?:[^,"]*\? )?"([a-z_]+\.[a-z_]+)"(?: : "([a-z_]+\.[a-z_]+)")?/g)) {
          written.add(m[1]!);
          if (m[2]) written.add(m[2]);
        }
    expect(written.size).toBeGreaterThan(25);
    expect([...written].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a)), "add the action to AUDIT_ACTIONS and audit.actions.*").toEqual([]);
    for (const messages of [zh, en]) {
      expect(AUDIT_ACTIONS.filter((a) => !has(messages, `audit.actions.${a}`))).toEqual([]);
      expect(AUDIT_ENTITY_TYPES.filter((x) => !has(messages, `audit.types.${x}`))).toEqual([]);
      expect(LABELLED_FIELDS.filter((x) => !has(messages, `audit.fields.${x}`))).toEqual([]);
    }
  });
});
