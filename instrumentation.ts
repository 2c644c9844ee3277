// Runs once per server process before requests are served.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { prepareDatabase } = await import("./server/startup/prepare-database");
    try {
      await prepareDatabase();
    } catch (err) {
      // If register() throws, Next keeps running and answers 500 forever: stop instead.
      console.error("[start] database start-up failed:", err instanceof Error ? err.message : err);
      process.exit(1);
    }
  }
}
