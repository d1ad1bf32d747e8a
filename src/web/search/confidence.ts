/** How sure a result is, in words an agent can act on (the API's confidence is 0–1). */
export function confidenceWords(confidence: number): { label: string; level: "high" | "medium" | "low" } {
  if (confidence >= 0.9) return { label: "Vrijwel zeker deze klant", level: "high" };
  if (confidence >= 0.7) return { label: "Waarschijnlijk", level: "medium" };
  if (confidence >= 0.4) return { label: "Mogelijk: controleer een tweede gegeven", level: "low" };
  return { label: "Onzeker: vraag meer gegevens", level: "low" };
}
