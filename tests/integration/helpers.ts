import { PassThrough } from "node:stream";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { createCaller } from "@/server/api/root";
import type { Db } from "@/db/client";
import type { TActor } from "@/server/auth/actor";
import type { TLocale } from "@/server/lib/i18n";

export const callerFor = (db: Db, actor: TActor | null, locale: TLocale = "zh-CN") => createCaller({ db, actor, locale });

/** Await a rejected call and return its TRPCError (code + localised message + field errors). */
export async function trpcError(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

/**
 * The request body a tRPC client would send for `input` (superjson). superjson's own encoder
 * recurses and gives up on inputs nested ~1,300 deep; for those the body is what any other client
 * may send, plain JSON under `json` (a valid superjson payload), so deep inputs reach the server.
 */
export async function wireBody(input: unknown) {
  const superjson = (await import("superjson")).default;
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch (e) {
    if (!(e instanceof RangeError && /call stack/i.test(e.message))) throw e; // not an invalid Date, say
    return JSON.stringify({ json: input });
  }
}

/**
 * Call a procedure over HTTP through the real fetch adapter, so the error formatter runs and the
 * answer is exactly what a browser gets (localised message, field errors, no stack).
 */
export async function httpCall(
  db: Db,
  actor: TActor | null,
  locale: TLocale,
  path: string,
  input: unknown,
  kind: "query" | "mutation" = "mutation",
) {
  const { fetchRequestHandler } = await import("@trpc/server/adapters/fetch");
  const { appRouter } = await import("@/server/api/root");
  const body = await wireBody(input);
  const url = `http://localhost/api/trpc/${path}${kind === "query" ? `?input=${encodeURIComponent(body)}` : ""}`;
  const req = new Request(url, kind === "query" ? { method: "GET" } : { method: "POST", body, headers: { "content-type": "application/json" } });
  const res = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => ({ db, actor, locale }) });
  const json = (await res.json()) as { error?: { json: { message: string; data: Record<string, unknown> } }; result?: { data: { json: unknown } } };
  return { status: res.status, error: json.error?.json, result: json.result?.data?.json };
}

/** Bytes of a text as a file holds it (UTF-8, no BOM). */
export const utf8 = (s: string) => new TextEncoder().encode(s);

/** Everything an export writes into its stream, once it has ended. */
export async function collect(fill: (out: PassThrough) => Promise<unknown>) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve, reject) => (out.on("end", resolve), out.on("error", reject)));
  await fill(out);
  await ended;
  return Buffer.concat(chunks);
}
