// With TEST_DATABASE_URL (CI's second pass), build one migrated template database that each test
// file clones; without it, tests use in-memory PGlite and need nothing here.
import { TEMPLATE_DB, withDatabase } from "@/db/testing/test-db";
import { openPostgres } from "@/db/client";

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const { default: postgres } = await import("postgres");
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  const handle = await openPostgres(withDatabase(url, TEMPLATE_DB), { max: 1 });
  await handle.close();
  await admin.end();
  return async () => {
    const a = postgres(url, { max: 1, onnotice: () => {} });
    await a.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await a.end();
  };
}
