// Minimal structured logger: one JSON line per event on stderr (a log shipper reads it as is).
type Fields = Record<string, unknown>;

function serialize(fields: Fields) {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields))
    out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  return out;
}

function log(level: "info" | "warn" | "error", fields: Fields, msg: string) {
  if (process.env.VITEST && level !== "error") return;
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...serialize(fields) })}\n`);
}

export const logger = {
  info: (fields: Fields, msg: string) => log("info", fields, msg),
  warn: (fields: Fields, msg: string) => log("warn", fields, msg),
  error: (fields: Fields, msg: string) => log("error", fields, msg),
};
