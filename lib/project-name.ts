// 重复签约 detection compares project names of one investor once what varies between how two units
// write the same project up is removed (then by similarity: lib/flags isSameProject) — spaces,
// punctuation, full/half width and letter case, and generic words (项目, 建设, 扩建, 产业园, 生产基地 …).
// Phases and products (一期/二期, 研发中心, 年产10万吨) are kept: those are different projects.
// pg_trgm is not available in PGlite, so the comparison runs in TypeScript over the candidate pairs.

// Longest first, so "改扩建" goes before "扩建" and "产业园区" before "产业园".
const GENERIC_WORDS = [
  "技术改造",
  "生产基地",
  "产业园区",
  "建设项目",
  "改扩建",
  "产业园",
  "项目",
  "建设",
  "新建",
  "扩建",
  "改建",
  "技改",
  "工程",
  "project",
];

const SEPARATORS = /[\s\p{P}\p{S}]+/gu;

/** The comparable core of a project name; never empty for a non-empty name. */
export function normalizeProjectName(name: string): string {
  const bare = name.normalize("NFKC").toLowerCase().replace(SEPARATORS, "");
  let s = bare;
  for (let changed = true; changed; ) {
    changed = false;
    for (const w of GENERIC_WORDS) {
      if (s.includes(w)) {
        s = s.split(w).join("");
        changed = true;
      }
    }
  }
  // a name made only of generic words ("建设项目") must not match every other such name
  return s || bare;
}
