// The administrators' command line: `npm run cli -- <command>`, on the same database as the app
// (DATABASE_URL, else PGlite in PGLITE_DIR or ./data). Every command calls the same services as
// the web app.
import { randomBytes } from "node:crypto";
import { Command, Option } from "commander";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { DEMO_LOGINS, isDatabaseEmpty, seedDemo } from "@/db/seed/demo";
import { ROLES, STAGES, UNIT_KINDS } from "@/lib/domain";
import { SYSTEM_ACTOR } from "@/server/auth/actor";
import { createRootUnit, createUnit, getUnit } from "@/server/units/units";
import { createUser, resetPassword } from "@/server/users/users";
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { IMPORT_KINDS, type TImportKind } from "@/server/imports/columns";
import { importFile } from "@/server/imports/import-file";
import { localizeImportResult } from "@/server/imports/localize";
import { writeProjectsCsv, writeProjectsXlsx, writeStageReportCsv } from "@/server/exports/project-export";
import { parseAsOf } from "@/lib/as-of";
import { isIsoDate } from "@/lib/dates";
import { computeHeadline, headlineJson } from "@/server/figures/headline";
import { headlineCsv, headlineXlsx } from "@/server/exports/headline-table";
import { backupToFile } from "@/server/backup/backup-database";
import { restoreFromFile } from "@/server/backup/restore-database";
import { parseAuditHead } from "@/server/audit/audit-head";
import { describeAuditBreak, verifyAuditChain } from "@/server/audit/verify-audit";
import { can } from "@/server/auth/permissions";
import { forbidden } from "@/server/lib/errors";
import { EDITABLE_SETTINGS, findSettings, setSetting, type TEditableSetting } from "@/server/settings/settings";
import { actorByEmail, cliActor, cliLocale, db, run } from "./run";

const program = new Command("cli").description("Investment project pipeline tracker — administration").showHelpAfterError();
const out = (s: string) => process.stdout.write(`${s}\n`);
const generatedPassword = () => randomBytes(9).toString("base64url");

const dbCmd = program.command("db").description("database: migrate, seed, backup, restore");
dbCmd
  .command("migrate")
  .description("apply pending migrations")
  .action(() =>
    run(async () => {
      await db(); // opening migrates
      out("migrations applied");
    }),
  );
dbCmd
  .command("seed")
  .description("load the deterministic demo data (Liaoning) into an empty database")
  .option("--seed <n>", "random seed", "20260101")
  .option("--projects <n>", "projects first contacted in the demo's 3½ years (default ~590, plus those still being funded from before)")
  .option("--password <p>", "password of the demo users (default: $DEMO_PASSWORD, else generated)")
  .action((o: { seed: string; projects?: string; password?: string }) =>
    run(async () => {
      const d = await db();
      if (!(await isDatabaseEmpty(d))) throw new Error("the database already has data; demo data goes only into an empty database");
      const password = o.password ?? process.env.DEMO_PASSWORD ?? generatedPassword();
      const whole = (name: string, v: string) => {
        if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new Error(`--${name} must be a whole number from 1, not "${v}"`);
        return Number(v);
      };
      const summary = await seedDemo(d, { password, seed: whole("seed", o.seed), projects: o.projects === undefined ? undefined : whole("projects", o.projects) });
      out(`demo data: ${summary.projects} projects, ${summary.tranches} tranches, ${summary.investors} investors, ${summary.users} users`);
      for (const u of DEMO_LOGINS) out(`  ${u.role.padEnd(6)} ${u.email.padEnd(24)} ${u.unit}`);
      out(`  password: ${password}`);
    }),
  );

const count = (s: { tables: Array<{ name: string; rows: number }> }, table: string) => s.tables.find((t) => t.name === table)?.rows ?? 0;
dbCmd
  .command("backup")
  .description("write the whole database (evidence files and audit log included) to a gzip'd backup file")
  .argument("<file>", "e.g. backup-2026-03-31.jsonl.gz")
  .action((file: string) =>
    run(async () => {
      const s = await backupToFile(await db(), file);
      out(`backup written to ${file}: ${s.rows} rows in ${s.tables.length} tables (${count(s, "audit_log")} audit entries, ${count(s, "evidence_files")} evidence files), ${(s.bytes! / 1024 / 1024).toFixed(1)} MB, at ${s.migrations.tag ?? `${s.migrations.count} migrations`}`);
    }),
  );
dbCmd
  .command("restore")
  .description("restore a backup file into an empty database (a new PGLITE_DIR or PostgreSQL database; superuser), then verify the audit chain")
  .argument("<file>", "a file written by db backup")
  .action((file: string) =>
    run(async () => {
      const d = await db("owner");
      const s = await restoreFromFile(d, file);
      out(`restored ${file} (backup of ${s.createdAt}): ${s.rows} rows in ${s.tables.length} tables (${count(s, "audit_log")} audit entries, ${count(s, "evidence_files")} evidence files)`);
      const v = await verifyAuditChain(d);
      if (!v.ok) throw new Error(`restored, but ${describeAuditBreak(v.broken)}`);
      out(`audit chain intact: ${v.entries} entries`);
    }),
  );

const unitCmd = program.command("unit").description("units");
unitCmd
  .command("add")
  .description("add a unit; without --parent, the root (home province) of an empty installation")
  .requiredOption("--code <code>", "unit code, e.g. 210000")
  .requiredOption("--name <name>", "unit name, e.g. 辽宁省")
  .option("--parent <code>", "parent unit code")
  .addOption(new Option("--kind <kind>", "unit kind").choices(UNIT_KINDS).default("city"))
  .action((o: { code: string; name: string; parent?: string; kind: (typeof UNIT_KINDS)[number] }) =>
    run(async () => {
      const d = await db();
      const unit = o.parent
        ? await createUnit(d, SYSTEM_ACTOR, { code: o.code, name: o.name, kind: o.kind, parentId: (await getUnit(d, SYSTEM_ACTOR, o.parent)).id })
        : await createRootUnit(d, { code: o.code, name: o.name });
      out(`unit ${unit.code} ${unit.name} added`);
    }),
  );

const userCmd = program.command("user").description("users");
userCmd
  .command("add")
  .description("add a user")
  .requiredOption("--email <email>")
  .requiredOption("--name <name>")
  .addOption(new Option("--role <role>").choices(ROLES).makeOptionMandatory())
  .requiredOption("--unit <code>", "unit code")
  .option("--password <password>", "at least 8 characters (default: generated and printed)")
  .action((o: { email: string; name: string; role: (typeof ROLES)[number]; unit: string; password?: string }) =>
    run(async () => {
      const d = await db();
      const unit = await getUnit(d, SYSTEM_ACTOR, o.unit);
      const password = o.password ?? generatedPassword();
      const u = await createUser(d, SYSTEM_ACTOR, { email: o.email, name: o.name, role: o.role, unitId: unit.id, password });
      out(`user ${u.email} (${u.role}, ${unit.code} ${unit.name}) added`);
      if (!o.password) out(`password: ${password}`);
    }),
  );
userCmd
  .command("password")
  .description("set a user's password (their sessions end)")
  .requiredOption("--email <email>")
  .option("--password <password>", "default: generated and printed")
  .action((o: { email: string; password?: string }) =>
    run(async () => {
      const d = await db();
      const [u] = await d.select({ id: users.id, version: users.version }).from(users).where(eq(users.email, o.email.trim().toLowerCase()));
      if (!u) throw new Error(`no user with email ${o.email}`);
      const password = o.password ?? generatedPassword();
      await resetPassword(d, SYSTEM_ACTOR, { id: u.id, version: u.version, password });
      out(`password of ${o.email} changed`);
      if (!o.password) out(`password: ${password}`);
    }),
  );

const report = program.command("report").description("figures");
report
  .command("headline")
  .description("the headline figures of a unit and its children for a period (verified funds only)")
  .requiredOption("--unit <code>", "unit code, e.g. 210000")
  .requiredOption("--from <date>", "first day, YYYY-MM-DD")
  .requiredOption("--to <date>", "last day, YYYY-MM-DD")
  .option("--as-of <time>", "compute from what was recorded and verified up to this moment: a date alone (2017-04-10) is the end of that day in Beijing time; a time without an offset is Beijing time; 2017-04-10T18:00:00+08:00 or …Z is taken as given")
  .addOption(new Option("--format <format>").choices(["json", "csv", "xlsx"]).default("json"))
  .option("--out <file>", "write to a file (required for xlsx)")
  .option("--as <email>", "apply this user's scope (default: the whole installation)")
  .action((o: { unit: string; from: string; to: string; asOf?: string; format: "json" | "csv" | "xlsx"; out?: string; as?: string }) =>
    run(async () => {
      const d = await db();
      const actor = o.as ? await actorByEmail(d, o.as) : SYSTEM_ACTOR;
      if (!isIsoDate(o.from) || !isIsoDate(o.to) || o.from > o.to) throw new Error("--from and --to must be dates (YYYY-MM-DD), from ≤ to");
      const asOf = o.asOf ? parseAsOf(o.asOf) : null;
      if (o.asOf && !asOf) throw new Error("--as-of must be a date (2017-04-10: the end of that day, Beijing time) or a time (2017-04-10T18:00:00+08:00)");
      const h = await computeHeadline(d, actor, { unit: o.unit, from: o.from, to: o.to, asOf });
      if (o.format === "xlsx" && !o.out) throw new Error("--format xlsx needs --out <file>");
      const body = o.format === "json" ? `${JSON.stringify(headlineJson(h), null, 2)}\n` : o.format === "csv" ? headlineCsv(h, cliLocale, { keys: true }) : await headlineXlsx(h, cliLocale);
      if (o.out) {
        writeFileSync(o.out, body);
        process.stderr.write(`written ${o.out}\n`);
      } else process.stdout.write(body);
    }),
  );

program
  .command("import")
  .description("import a CSV/XLSX file: validates every row, writes all or nothing")
  .argument("<kind>", "units | projects | tranches | targets")
  .argument("<file>", "CSV (UTF-8 or GBK) or XLSX")
  .option("--dry-run", "validate and show what would change, write nothing")
  .option("--sheet <name>", "XLSX sheet (default: the first)")
  .option("--as <email>", "import as this user (their role and scope)")
  .action((kind: string, file: string, o: { dryRun?: boolean; sheet?: string; as?: string }) =>
    run(async () => {
      if (!IMPORT_KINDS.includes(kind as never)) throw new Error(`unknown kind "${kind}": units, projects, tranches or targets`);
      const d = await db();
      const actor = await cliActor(d, o.as);
      const bytes = new Uint8Array(readFileSync(file));
      let last = "";
      const r = localizeImportResult(
        await importFile(d, actor, {
          kind: kind as TImportKind,
          bytes,
          sheet: o.sheet,
          dryRun: !!o.dryRun,
          onProgress: (p) => {
            const line = `${p.phase} ${p.done}/${p.total}`;
            if (process.stderr.isTTY && line !== last) process.stderr.write(`\r${(last = line)}   `);
          },
        }),
        cliLocale,
      );
      if (process.stderr.isTTY) process.stderr.write("\r");
      out(`${file}: ${r.totalRows} rows (${r.encoding}${r.sheet ? `, sheet ${r.sheet}` : ""}) — new ${r.counts.new}, updated ${r.counts.updated}, unchanged ${r.counts.unchanged}, errors ${r.errors.length}`);
      for (const s of r.sample.slice(0, 20)) out(`  row ${s.row}: ${s.action} ${s.key} ${s.changes.join("; ")}`);
      if (r.errors.length) {
        for (const e of r.errors) process.stderr.write(`row ${e.row}${e.column ? ` [${e.column}]` : ""}: ${e.message}\n`);
        throw new Error(`${r.errors.length} error(s): nothing was written`);
      }
      out(r.applied ? "imported (one transaction)" : "dry run: nothing written");
    }),
  );

program
  .command("export")
  .description("the files the pages export, for scheduled jobs")
  .argument("<what>", "stage-report | projects")
  .requiredOption("--unit <code>", "unit code: that unit and its descendants")
  .option("--stage <stages>", "comma-separated stages: contact,negotiation,signed,funds")
  .addOption(new Option("--format <format>").choices(["xlsx", "csv"]).default("xlsx"))
  .requiredOption("--out <file>", "output file")
  .option("--as <email>", "export as this user (their scope)")
  .action((what: string, o: { unit: string; stage?: string; format: "xlsx" | "csv"; out: string; as?: string }) =>
    run(async () => {
      if (what !== "stage-report" && what !== "projects") throw new Error(`unknown export "${what}": stage-report or projects`);
      const d = await db();
      const actor = await cliActor(d, o.as);
      await getUnit(d, actor, o.unit);
      const stage = o.stage?.split(",").map((s) => s.trim()).filter(Boolean);
      const bad = stage?.find((s) => !(STAGES as readonly string[]).includes(s));
      if (bad) throw new Error(`unknown stage "${bad}"`);
      const filters = { unit: o.unit, stage: stage as never };
      const stream = createWriteStream(o.out);
      const done = once(stream, "close");
      const n =
        o.format === "xlsx"
          ? await writeProjectsXlsx(d, actor, filters, cliLocale, stream, { stageReport: what === "stage-report" })
          : what === "stage-report"
            ? await writeStageReportCsv(d, actor, filters, cliLocale, stream)
            : await writeProjectsCsv(d, actor, filters, cliLocale, stream);
      await done;
      out(`${o.out}: ${n} projects`);
    }),
  );

const auditCmd = program.command("audit").description("the tamper-evident audit log");
auditCmd
  .command("verify")
  .description(
    "recompute every hash of the audit chain and check the heads recorded by period locks and publications; names the first broken entry (exit code 1). Prints the head verified: note it, and pass it later with --expect",
  )
  .option("--expect <seq:hash>", "a head printed by an earlier run: it must still be in the chain", (v: string, all: string[] = []) => [...all, v])
  .action((o: { expect?: string[] }) =>
    run(async () => {
      const expect = (o.expect ?? []).map((e) => {
        const a = parseAuditHead(e);
        if (!a) throw new Error(`--expect ${e}: expected <seq>:<64 hex digits>, as printed by audit verify`);
        return a;
      });
      const v = await verifyAuditChain(await db(), {
        expect,
        onProgress: (n) => {
          if (process.stderr.isTTY) process.stderr.write(`\rchecked ${n}   `);
        },
      });
      if (process.stderr.isTTY) process.stderr.write("\r");
      if (!v.ok) throw new Error(describeAuditBreak(v.broken));
      out(`audit chain intact: ${v.entries} entries`);
      out(`head: ${v.lastSeq === null ? "(empty)" : `${v.lastSeq}:${v.lastHash}`} (${v.anchors} recorded head(s) checked)`);
    }),
  );

const settingsCmd = program.command("settings").description("thresholds: stale days, backdating, 三未 days, major-project amounts");
settingsCmd
  .command("list")
  .description("every setting with its current and default value")
  .action(() =>
    run(async () => {
      for (const s of await findSettings(await db())) out(`${s.key.padEnd(18)} ${String(s.value).padEnd(16)} default ${s.default}${s.version === null ? "" : ` (changed ${s.updatedAt!.toISOString()})`}`);
    }),
  );
settingsCmd
  .command("set")
  .description("change a setting (audited); amounts in yuan / US dollars, days as whole numbers")
  .argument("<key>", EDITABLE_SETTINGS.join(" | "))
  .argument("<value>", "e.g. 45, or 200000000")
  .option("--as <email>", "as this user (an administrator)")
  .action((key: string, value: string, o: { as?: string }) =>
    run(async () => {
      const d = await db();
      const actor = await cliActor(d, o.as);
      if (!can(actor.role, "settings.manage")) throw forbidden();
      const s = await setSetting(d, actor, { key: key as TEditableSetting, value });
      out(`${s.key} = ${s.value}`);
    }),
  );

program.parseAsync(process.argv);
