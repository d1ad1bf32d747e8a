import { BLOCKING_REASONS, type ReasonCode, type Verdict } from "../coverage/result.ts";
import type { LegalArea } from "../model.ts";
import type { QuestionKind, ServiceAdvice, ServiceReason, ServiceReasonCode } from "./advice.ts";

/** What the service advice is decided from: the coverage assessment, the legal area and the question kind. */
export interface AdviceFacts {
  verdict: Verdict;
  reasons: ReadonlyArray<{ code: ReasonCode }>;
  /** Partner of the assessed policy, when there is one (named in a referral back to the partner). */
  partner?: string | undefined;
  legalArea: LegalArea;
  questionKind: QuestionKind;
}

/** Legal areas where a covered claim goes to mediation: the parties have to go on living with each other. */
export const MEDIATION_AREAS: ReadonlyMap<LegalArea, ServiceReasonCode> = new Map([
  ["familie", "MEDIATION_FAMILY"],
  ["buren", "MEDIATION_NEIGHBOURS"],
]);

/**
 * Decides which service fits (see docs/service-advice.md): a covered advice question gets advice by
 * phone; a covered claim gets case handling, or mediation in family and neighbour matters; while
 * cover is under review, advice by phone and nothing more yet; what is not covered is referred
 * elsewhere, except a claim only below the minimum amount, which still gets advice by phone.
 */
export function adviseService(facts: AdviceFacts): ServiceAdvice {
  const { verdict, legalArea, questionKind } = facts;
  const claim = questionKind === "claim";
  if (verdict === "covered") {
    if (!claim) return advice("juridisch-advies", reason("ADVICE_QUESTION_COVERED"));
    const mediation = MEDIATION_AREAS.get(legalArea);
    return mediation
      ? advice("mediation", reason(mediation))
      : advice("zaakbehandeling", reason("CLAIM_COVERED"));
  }
  if (verdict === "needs_review") {
    const mediation = claim && MEDIATION_AREAS.has(legalArea);
    return advice("juridisch-advies", {
      code: "COVERAGE_UNDER_REVIEW",
      message: claim
        ? `Wij moeten eerst nagaan of uw zaak onder uw verzekering valt. Tot die beoordeling klaar is, krijgt u telefonisch juridisch advies; daarna kunnen wij uw zaak ${mediation ? "met mediation oppakken" : "in behandeling nemen"}.`
        : "Wij moeten nog nagaan of uw vraag onder uw verzekering valt. U krijgt alvast telefonisch algemeen juridisch advies; wat wij verder voor u kunnen doen hangt af van die beoordeling.",
    });
  }
  const refusals = new Set(facts.reasons.map((r) => r.code).filter((c) => BLOCKING_REASONS.has(c)));
  if (refusals.size === 1 && refusals.has("BELOW_MINIMUM"))
    return advice("juridisch-advies", {
      code: "BELOW_MINIMUM_ADVICE",
      message: claim
        ? "Het belang van uw zaak ligt onder het minimum waarvoor wij een zaak in behandeling nemen. U krijgt wel telefonisch juridisch advies over wat u zelf kunt doen."
        : "Voor een adviesvraag geldt geen minimaal belang. U krijgt telefonisch juridisch advies.",
    });
  const why: ServiceReasonCode = refusals.has("POLICY_NOT_ACTIVE")
    ? "NO_ACTIVE_POLICY"
    : refusals.has("MODULE_NOT_INSURED") || refusals.has("EXCLUDED_BY_CLAUSE")
      ? "AREA_NOT_INSURED"
      : refusals.has("WAITING_PERIOD")
        ? "WAITING_PERIOD_RUNNING"
        : "AREA_NOT_INSURED";
  const reasons: ServiceReason[] = [refusal(why, claim)];
  if (why === "NO_ACTIVE_POLICY" && facts.partner) reasons.push(referToPartner(facts.partner));
  if (legalArea === "buren") reasons.push(reason("REFER_BUURTBEMIDDELING"));
  reasons.push(reason("REFER_JURIDISCH_LOKET"), reason("REFER_OWN_LAWYER"));
  return { type: "doorverwijzing", reasons };
}

const advice = (type: ServiceAdvice["type"], ...reasons: ServiceReason[]): ServiceAdvice => ({
  type,
  reasons,
});

const FIXED: Partial<Record<ServiceReasonCode, string>> = {
  ADVICE_QUESTION_COVERED:
    "Uw vraag valt onder uw rechtsbijstandverzekering. U krijgt telefonisch juridisch advies van een van onze juristen.",
  CLAIM_COVERED:
    "Uw zaak valt onder uw rechtsbijstandverzekering. Een jurist neemt uw zaak in behandeling en komt voor u op tegenover de andere partij.",
  MEDIATION_FAMILY:
    "Uw zaak valt onder uw verzekering. Bij een familiezaak, zoals een scheiding of afspraken over de kinderen, werkt een oplossing die u samen bereikt meestal het best. Wij bieden u mediation aan: een neutrale mediator helpt u en de andere partij samen tot afspraken te komen.",
  MEDIATION_NEIGHBOURS:
    "Uw zaak valt onder uw verzekering. Met uw buren blijft u naast elkaar wonen; een oplossing die u samen bereikt houdt meestal beter stand dan een procedure. Wij bieden u mediation aan: een neutrale mediator helpt u en uw buren samen tot afspraken te komen.",
  REFER_BUURTBEMIDDELING:
    "Voor een conflict met uw buren kunt u terecht bij buurtbemiddeling in uw gemeente; in veel gemeenten is dat gratis.",
  REFER_JURIDISCH_LOKET:
    "Bij het Juridisch Loket kunt u gratis juridisch advies krijgen (www.juridischloket.nl).",
  REFER_OWN_LAWYER: "U kunt ook zelf een advocaat inschakelen, op eigen kosten.",
};

function reason(code: ServiceReasonCode): ServiceReason {
  return { code, message: FIXED[code]! };
}

function refusal(code: ServiceReasonCode, claim: boolean): ServiceReason {
  const cannot = `Wij kunnen u daarom niet helpen met ${claim ? "deze zaak" : "deze vraag"}.`;
  const because: Partial<Record<ServiceReasonCode, string>> = {
    NO_ACTIVE_POLICY: "Volgens onze gegevens liep er op de datum van de gebeurtenis geen polis.",
    AREA_NOT_INSURED: "Dit rechtsgebied valt niet onder uw verzekering.",
    WAITING_PERIOD_RUNNING:
      "De gebeurtenis valt in de wachttijd: de dekking voor dit rechtsgebied was toen nog niet ingegaan.",
  };
  return { code, message: `${because[code]} ${cannot}` };
}

function referToPartner(partner: string): ServiceReason {
  return {
    code: "REFER_PARTNER",
    message: `Heeft u inmiddels een andere of nieuwere polis? Neem dan contact op met uw verzekeraar of tussenpersoon (${partner}); die kan de polisgegevens aan ons doorgeven.`,
  };
}
