import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { connection } from "next/server";
import { createRequestContext } from "@/server/api/context";
import { appRouter } from "@/server/api/root";
import { isSameOrigin } from "@/server/lib/http";

async function handler(req: Request) {
  await connection();
  // queries are GETs; every mutation must come from our own pages (CSRF)
  if (req.method !== "GET" && !isSameOrigin(req)) return new Response("Forbidden", { status: 403 });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: createRequestContext,
  });
  res.headers.set("Cache-Control", "no-store");
  return res;
}

export { handler as GET, handler as POST };
