// Runs once per server process before requests are served.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { prepareDatabase } = await import("./server/startup/prepare-database");
    const { errorText } = await import("./db/setup-errors");
    const { nextAuthUrlProblem } = await import("./server/lib/http");
    // writes are accepted only from NEXTAUTH_URL's origin: a value that is no URL refuses them all
    const problem = nextAuthUrlProblem();
    if (problem) {
      console.error(`[start] ${problem}`);
      process.exit(1);
    }
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
