import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";

export type TClientError = { message: string; fields: Record<string, string>; code?: string; appCode?: string; duplicates?: TDuplicate[] };
export type TDuplicate = { id: string; name: string; creditCode: string | null; reason: "credit_code" | "name" };

/** The localised message and field errors the server sent (see the error formatter). */
export function readError(err: unknown, fallback: string): TClientError {
  if (err instanceof TRPCClientError) {
    const e = err as TRPCClientError<AppRouter>;
    const data = e.data as { fields?: Record<string, string>; code?: string; appCode?: string; duplicates?: TDuplicate[] } | undefined;
    return { message: e.message || fallback, fields: data?.fields ?? {}, code: data?.code, appCode: data?.appCode, duplicates: data?.duplicates };
  }
  return { message: fallback, fields: {} };
}
