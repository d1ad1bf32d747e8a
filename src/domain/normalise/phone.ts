/**
 * Normalises a phone number in any common notation to E.164 (`+31612345678`); null when it is not
 * a plausible number. Dutch notations: `06-12345678`, `020 123 4567`, `+31 (0)6 …`, `0031 6 …`.
 * Numbers without a country prefix are taken as Dutch.
 */
export function normalisePhone(input: string): string | null {
  let s = input.trim().replace(/\(0\)/g, "");
  if (!/^[+\d\s\-()./]+$/.test(s)) return null;
  const plus = s.startsWith("+");
  s = s.replace(/\D/g, "");
  if (!plus) {
    if (s.startsWith("00")) s = s.slice(2);
    else if (s.startsWith("0")) s = `31${s.slice(1)}`;
    else if (s.length === 9 && /^[1-9]/.test(s))
      s = `31${s}`; // 612345678: Dutch, trunk zero dropped
    else if (!(s.startsWith("31") && s.length === 11)) return null; // 31612345678 lacks only its plus
  }
  if (s.startsWith("310")) s = `31${s.slice(3)}`; // +31 06…: a trunk zero kept by mistake
  if (s.startsWith("31")) return s.length === 11 ? `+${s}` : null;
  return s.length >= 8 && s.length <= 15 ? `+${s}` : null;
}
