import "server-only";
import { cache } from "react";
import { serverApi } from "@/app/_lib/trpc/server";

// one computation per request, shared by the widgets that show it
export const loadHeadline = cache(async (unit: string, from: string, to: string, asOfIso: string | null) =>
  (await serverApi()).figures.headline({ unit, from, to, asOf: asOfIso ? new Date(asOfIso) : null }),
);
export const loadPipeline = cache(async (unit: string) => (await serverApi()).figures.pipeline({ unit }));
