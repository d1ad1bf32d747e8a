import type { Product } from "../domain/model.ts";

/*
 * The demo catalogue: one private-customer product and one small-business product, with the codes the
 * demo portfolio and the generator use. Clause texts are written as a policy would state them.
 */

/** Rechtsbijstand Particulier: modular legal-expense insurance for private customers. */
export const RB_PARTICULIER: Product = {
  code: "RB-PARTICULIER",
  name: "Rechtsbijstandverzekering Particulier",
  reportingDeadlineMonths: 12,
  modules: [
    {
      code: "CONS",
      name: "Consument en reizen",
      legalAreas: ["consument", "reizen"],
      waitingPeriodMonths: 0,
    },
    { code: "WON", name: "Wonen en buren", legalAreas: ["wonen", "buren"], waitingPeriodMonths: 0 },
    { code: "ARB", name: "Werk en inkomen", legalAreas: ["arbeid", "inkomen"], waitingPeriodMonths: 3 },
    { code: "VERK", name: "Verkeer", legalAreas: ["verkeer", "personenschade"], waitingPeriodMonths: 0 },
    {
      code: "FAM",
      name: "Familie en erfrecht",
      legalAreas: ["familie", "erfrecht"],
      waitingPeriodMonths: 12,
    },
    {
      code: "FIS",
      name: "Fiscaal en vermogen",
      legalAreas: ["fiscaal", "vermogen"],
      waitingPeriodMonths: 3,
      minimumClaimAmount: 500,
    },
    { code: "MED", name: "Medisch", legalAreas: ["medisch"], waitingPeriodMonths: 0 },
  ],
  clauses: [
    {
      code: "CL-BOUW",
      text:
        "Geen rechtsbijstand bij geschillen over het bouwen, verbouwen of slopen van de eigen woning of de " +
        "grond waarop die staat, ook niet als de aannemer of architect de wederpartij is.",
      excludesLegalAreas: ["wonen"],
    },
    {
      code: "CL-ECHT",
      text:
        "Geen rechtsbijstand bij echtscheiding, ontbinding van een geregistreerd partnerschap of het " +
        "beëindigen van een samenlevingscontract, en bij de geschillen die daaruit voortvloeien.",
      excludesLegalAreas: ["familie"],
    },
  ],
  conditions: [
    { code: "RBP-2022", validFrom: "2022-01-01" },
    { code: "RBP-2025", validFrom: "2025-01-01" },
  ],
};

/** Rechtsbijstand Zakelijk: legal-expense insurance for the self-employed and small businesses. */
export const RB_ZAKELIJK: Product = {
  code: "RB-ZAKELIJK",
  name: "Rechtsbijstandverzekering Zakelijk (MKB en zzp)",
  reportingDeadlineMonths: 12,
  modules: [
    {
      code: "ONDN",
      name: "Ondernemen",
      legalAreas: ["ondernemen", "consument"],
      waitingPeriodMonths: 0,
      minimumClaimAmount: 1000,
    },
    { code: "ARBZ", name: "Werkgever en personeel", legalAreas: ["arbeid"], waitingPeriodMonths: 3 },
    { code: "VERKZ", name: "Zakelijk verkeer", legalAreas: ["verkeer"], waitingPeriodMonths: 0 },
    { code: "VAST", name: "Bedrijfspand en buren", legalAreas: ["wonen", "buren"], waitingPeriodMonths: 0 },
    { code: "FISZ", name: "Fiscaal zakelijk", legalAreas: ["fiscaal"], waitingPeriodMonths: 6 },
  ],
  clauses: [
    {
      code: "CL-INCASSO",
      text:
        "Geen rechtsbijstand bij het incasseren van onbetwiste vorderingen op klanten of opdrachtgevers; " +
        "daarvoor verwijzen wij naar een incassobureau.",
      excludesLegalAreas: ["ondernemen"],
    },
  ],
  conditions: [{ code: "RBZ-2023", validFrom: "2023-01-01" }],
};

/** Every product of the demo catalogue. */
export const DEMO_CATALOGUE: readonly Product[] = [RB_PARTICULIER, RB_ZAKELIJK];
