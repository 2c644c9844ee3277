// Stage-event notes the system writes (an import, a signing corrected by an import) are stored
// as a message key, not as text in the importer's language, so every reader sees them in theirs.
export const SYSTEM_NOTES = ["import.eventNote", "import.signingCorrectedNote"] as const;
export type TSystemNote = (typeof SYSTEM_NOTES)[number];

const PREFIX = "i18n:";

/** The stored form of a system note: "i18n:import.eventNote". */
export const systemNote = (key: TSystemNote) => `${PREFIX}${key}`;

/** The message key of a stored system note, or null for a note a person wrote. */
export function systemNoteKey(note: string | null | undefined): TSystemNote | null {
  if (!note?.startsWith(PREFIX)) return null;
  const key = note.slice(PREFIX.length);
  return (SYSTEM_NOTES as readonly string[]).includes(key) ? (key as TSystemNote) : null;
}
