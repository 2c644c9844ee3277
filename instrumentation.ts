// Runs once per server process before requests are served.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { prepareDatabase } = await import("./server/startup/prepare-database");
    const { errorText } = await import("./db/setup-errors");
    try {
      await prepareDatabase();
    } catch (err) {
      // If register() throws, Next keeps running and answers 500 forever: stop instead. The cause
      // chain is printed: a driver's own message is only "Failed query: <SQL>".
      console.error(`[start] database start-up failed: ${errorText(err)}`);
      process.exit(1);
    }
  }
}
