import { assess } from "../coverage/assess.ts";
import { type IsoDate, LEGAL_AREAS, type LegalArea, type Policy, type Product } from "../model.ts";
import type { QuestionKind, ServiceType } from "./advice.ts";
import { adviseService } from "./advise.ts";

/** What a verified customer may be told to expect: per legal area, the service, without reasons. */
export interface ExpectedService {
  legalArea: LegalArea;
  type: ServiceType;
}

/**
 * The service a question raised today can expect in each legal area (or only the one asked), judged
 * on the customer's policies as they run today. No amount is known, so a module with a minimum
 * amount reads as "under review": advice by phone.
 */
export function expectedServices(
  policies: readonly Policy[],
  products: ReadonlyMap<string, Product>,
  today: IsoDate,
  ask: { legalArea?: LegalArea | undefined; questionKind?: QuestionKind | undefined } = {},
): ExpectedService[] {
  const areas = ask.legalArea ? [ask.legalArea] : LEGAL_AREAS;
  return areas.map((legalArea) => {
    const a = assess({ policies, products, incidentDate: today, legalArea, today });
    const advice = adviseService({
      verdict: a.verdict,
      reasons: a.reasons,
      partner: a.policy?.partner,
      legalArea,
      questionKind: ask.questionKind ?? "claim",
    });
    return { legalArea, type: advice.type };
  });
}
