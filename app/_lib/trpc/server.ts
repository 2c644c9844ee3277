import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { createRequestContext } from "@/server/api/context";
import { createCaller } from "@/server/api/root";

/**
 * The tRPC caller for server components of signed-in pages: same procedures, same permission
 * checks. Signed out (or the session was ended) → the sign-in page.
 */
export const serverApi = cache(async () => {
  await connection();
  const ctx = await createRequestContext();
  if (!ctx.actor) redirect("/sign-in");
  return createCaller(ctx);
});
