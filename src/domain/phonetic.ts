import { fold } from "./normalise/text.ts";

/**
 * Spelling groups that sound alike in Dutch surnames, longest first, each with the canonical tokens
 * it is written as. Canonical forms are chosen so that a key is itself its own key.
 */
const GROUPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["sch", ["s"]],
  ["eij", ["y"]],
  ["uij", ["ui"]],
  ["auw", ["au"]],
  ["ouw", ["au"]],
  ["ij", ["y"]],
  ["ei", ["y"]],
  ["ey", ["y"]],
  ["uy", ["ui"]],
  ["ui", ["ui"]],
  ["au", ["au"]],
  ["ou", ["au"]],
  ["oe", ["oe"]],
  ["ie", ["i"]],
  ["ae", ["a"]],
  ["eu", ["eu"]],
  ["ck", ["k"]],
  ["ch", ["g"]],
  ["ph", ["f"]],
  ["th", ["t"]],
  ["qu", ["k", "w"]],
  ["dt", ["t"]],
  ["x", ["k", "s"]],
  ["v", ["f"]],
  ["z", ["s"]],
];

const VOWELS = new Set(["a", "e", "i", "o", "u", "y", "ui", "au", "oe", "eu"]);
const isConsonant = (t: string | undefined) => t !== undefined && !VOWELS.has(t);

function tokenize(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  outer: while (i < s.length) {
    for (const [spelling, tokens] of GROUPS) {
      if (s.startsWith(spelling, i)) {
        out.push(...tokens);
        i += spelling.length;
        continue outer;
      }
    }
    const ch = s[i]!;
    if (ch === "c") out.push("eiy".includes(s[i + 1] ?? "") ? "s" : "k");
    // An h after a consonant is silent or already part of the consonant (`Thijs`, `Ghijsen`).
    else if (ch !== "h" || !isConsonant(out.at(-1))) out.push(ch);
    i++;
  }
  return out;
}

const collapse = (tokens: string[]) => tokens.filter((t, i) => t !== tokens[i - 1]);

function keyOnce(word: string): string {
  const s = fold(word).replace(/[^a-z]/g, "");
  let t = collapse(tokenize(s));
  // Word-final d sounds as t (`Smid`, `Brand`).
  if (t.at(-1) === "d") t[t.length - 1] = "t";
  t = collapse(t);
  // An unstressed e between consonants after the first vowel is swallowed in speech and often in
  // spelling (`Henderiks`/`Hendriks`, `Peeters`/`Peters`, `Jansen`/`Janssen`).
  const firstVowel = t.findIndex((x) => VOWELS.has(x));
  t = t.filter((x, i) => !(x === "e" && i > firstVowel && isConsonant(t[i - 1]) && isConsonant(t[i + 1])));
  return collapse(t).join("");
}

/**
 * A Dutch phonetic key for one word (a surname part, first name or company word): spellings that
 * sound alike share a key (`Meijer`/`Meyer`/`Mijer`, `Smit`/`Smid`/`Schmidt`, `Hendriks`/`Hendrickx`),
 * clearly different names do not (`Bos`/`Vos`). Case and diacritics do not matter; a plural or
 * genitive `s` is kept (`Jansens` ≠ `Jansen`). The key of a key is the key itself.
 */
export function dutchPhonetic(word: string): string {
  let key = keyOnce(word);
  // Rare letter sequences can form anew in a key (`ie`+`j` → `ij`); a few rounds reach the fixpoint.
  for (let i = 0; i < 4; i++) {
    const next = keyOnce(key);
    if (next === key) break;
    key = next;
  }
  return key;
}
