// Normalised investor name for duplicate detection: "大连 万达集团股份有限公司" and "大连万达集团", or
// "ＡＢＣ Co., Ltd." and "abc", are the same investor.
const CHINESE_SUFFIXES = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司"];
// Latin legal forms are only stripped as whole words, so "Tesco" keeps its "co".
const LATIN_SUFFIXES = new Set([
  "corporation", "company", "limited", "group", "corp", "gmbh", "inc", "llc", "ltd", "plc", "co", "ag", "sa",
]);
const PUNCTUATION = /[()（）[\]【】.,，。、·'"“”‘’&\-_/:;：；]/g;

export function normalizeInvestorName(name: string): string {
  const words = name.normalize("NFKC").toLowerCase().replace(PUNCTUATION, " ").split(/\s+/).filter(Boolean);
  while (words.length > 1 && LATIN_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  let s = words.join("");
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of CHINESE_SUFFIXES) {
      if (s.length > suffix.length && s.endsWith(suffix)) {
        s = s.slice(0, -suffix.length);
        changed = true;
      }
    }
  }
  return s;
}
