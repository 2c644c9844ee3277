import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, type core } from "zod";
import { en as zodEn, zhCN as zodZhCN } from "zod/locales";
import type { Db } from "@/db/client";
import type { TActor } from "@/server/auth/actor";
import { can as roleCan, type TAction } from "@/server/auth/permissions";
import { APP_ERROR_CODES, AppError, invalid } from "@/server/lib/errors";
import { translate, type TLocale } from "@/server/lib/i18n";
import { logger } from "@/server/lib/logger";

export type TContext = { db: Db; actor: TActor | null; locale: TLocale };

const zodLocales = { "zh-CN": zodZhCN(), en: zodEn() };

/** Zod issue → message in the user's language: our own keys ("errors.…") or zod's locale text. */
function zodMessage(issue: core.$ZodIssue, locale: TLocale) {
  if (issue.message?.startsWith("errors.")) return translate(locale, issue.message);
  const m = zodLocales[locale].localeError(issue as never);
  return typeof m === "string" ? m : (m?.message ?? translate(locale, "errors.invalidInput"));
}

export type TErrorData = {
  appCode?: string;
  fields?: Record<string, string>;
  duplicates?: unknown;
};

export type TMeta = { action?: TAction };

const t = initTRPC.context<TContext>().meta<TMeta>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const locale = ctx?.locale ?? "zh-CN";
    const cause = error.cause;
    const { stack: _stack, ...rest } = shape.data;
    const data: Omit<typeof shape.data, "stack"> & TErrorData = rest;
    let message = shape.message;
    if (cause instanceof AppError) {
      message = translate(locale, cause.msg.key, cause.msg.values);
      data.appCode = cause.code;
      if (cause.fields)
        data.fields = Object.fromEntries(Object.entries(cause.fields).map(([k, v]) => [k, translate(locale, v.key, v.values)]));
      if (cause.data?.duplicates) data.duplicates = cause.data.duplicates;
    } else if (cause instanceof ZodError) {
      message = translate(locale, "errors.invalidInput");
      data.appCode = "INVALID";
      data.fields = {};
      for (const issue of cause.issues) {
        const key = issue.path.join(".") || "_";
        data.fields[key] ??= zodMessage(issue, locale);
      }
    } else if (error.code === "INTERNAL_SERVER_ERROR") {
      message = translate(locale, "errors.internal"); // never SQL text or a stack to the user
    } else if (error.code === "UNAUTHORIZED") {
      message = translate(locale, "errors.unauthorized");
    } else if (error.code === "FORBIDDEN") {
      message = translate(locale, "errors.forbidden");
    } else if (error.code === "NOT_FOUND") {
      message = translate(locale, "errors.notFound");
    } else if (error.code === "PARSE_ERROR" || error.code === "BAD_REQUEST") {
      message = translate(locale, "errors.invalidInput");
    }
    return { ...shape, message, data };
  },
});

/** AppError → TRPCError with the mapped code; anything unexpected is logged and hidden. */
const errorConversion = t.middleware(async ({ next, path }) => {
  const res = await next();
  if (!res.ok) {
    const cause = res.error.cause;
    if (cause instanceof AppError) {
      res.error = new TRPCError({ code: APP_ERROR_CODES[cause.code], message: cause.msg.key, cause });
    } else if (res.error.code === "INTERNAL_SERVER_ERROR" && !(cause instanceof ZodError)) {
      logger.error({ path, err: cause ?? res.error }, "procedure failed");
    } else if (cause instanceof ZodError && res.error.code === "INTERNAL_SERVER_ERROR") {
      res.error = new TRPCError({ code: "BAD_REQUEST", message: "invalid input", cause });
    }
  }
  return res;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(errorConversion);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/**
 * Where in the input a string holds U+0000, or null. PostgreSQL text cannot hold NUL: such a
 * value fails every query it reaches (storing it, but also comparing with it), so it is refused
 * as a field error before any service runs. Iterative: the input may be deeply nested.
 */
function nulAt(input: unknown): string | null {
  const stack: Array<[unknown, string]> = [[input, ""]];
  const seen = new Set<object>();
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return path || "_";
    } else if (v && typeof v === "object" && !seen.has(v)) {
      seen.add(v);
      for (const [k, x] of Object.entries(v)) stack.push([x, path ? `${path}.${k}` : k]);
    }
  }
  return null;
}

/** A procedure callable by the roles the permission table grants `action`. */
export const can = (action: TAction) =>
  authedProcedure
    .meta({ action })
    .use(({ ctx, next }) => {
      if (!roleCan(ctx.actor.role, action)) throw new TRPCError({ code: "FORBIDDEN" });
      return next();
    })
    .use(async ({ getRawInput, next }) => {
      const at = nulAt(await getRawInput());
      if (at) throw invalid({ [at]: "errors.invalidCharacter" });
      return next();
    });
