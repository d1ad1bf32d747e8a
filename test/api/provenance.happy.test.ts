import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./support/harness.ts";
import { describeOnSearchEngines } from "./support/on-search-engines.ts";
import { describeOnStores } from "./support/on-stores.ts";

const HEADER =
  "polisnummer;voorletters;voornamen;tussenvoegsel;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats;telefoon;email;product;dekkingen;ingangsdatum";

/** A person the partners deliver; each test has its own, so the tests share one service. */
interface Person {
  surname: string;
  birthDate: string;
  postcode: string;
}
const row = (p: Person, o: { polis: string; voornamen?: string; telefoon: string; email: string }) =>
  [
    o.polis,
    "A.M.",
    o.voornamen ?? "",
    "de",
    p.surname,
    p.birthDate,
    "Kerkstraat",
    "12",
    p.postcode,
    "Amsterdam",
    o.telefoon,
    o.email,
    "RB-PARTICULIER",
    "CONS,WON",
    "01-01-2024",
  ].join(";");

interface Found {
  results: Array<{ customerId: string; customer: { firstNames?: string; phones: string[]; email?: string } }>;
}
interface Card {
  firstNames?: string;
  party: { firstNames?: string };
  phones: Array<{ e164: string | null }>;
  email?: string;
  sources: Array<{
    partner: string;
    deliveryId: string;
    receivedAt: string;
    channel?: string;
    party: { firstNames?: string };
    phones: Array<{ e164: string | null }>;
    email?: string;
  }>;
}

/** The review's scenario and its neighbours, through the API of one running service. */
function provenanceSuite(h: () => Harness): void {
  const deliver = async (partner: string, lines: string[], receivedAt?: string) => {
    const token = receivedAt
      ? await h().token("admin", { sub: "admin-backfill" })
      : await h().token("ingest", { sub: `uploader-${partner}`, partner });
    const query = `partner=${partner}&kind=mutation${receivedAt ? `&receivedAt=${receivedAt}` : ""}`;
    const res = await h().call("POST", `/v1/deliveries?${query}`, {
      token,
      body: [HEADER, ...lines].join("\n"),
      headers: { "content-type": "text/csv" },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const done = await h().system.services.intake.whenSettled(id);
    expect(done).toMatchObject({ status: "completed", counts: { rejected: 0 } });
    return id;
  };
  const agent = () => h().token("agent", { sub: "agent-provenance" });
  const callers = async (phone: string) => {
    const res = await h().call("POST", "/v1/callers", { token: await agent(), json: { phone } });
    expect(res.status).toBe(200);
    return ((await res.json()) as Found).results;
  };
  const card = async (id: string) => {
    const res = await h().call("GET", `/v1/customers/${id}`, { token: await agent() });
    expect(res.status).toBe(200);
    return (await res.json()) as Card;
  };
  const verify = async (json: Record<string, string>) => {
    const bot = await h().token("intake-bot", { sub: "bot-provenance" });
    const res = await h().call("POST", "/v1/verifications", { token: bot, json });
    expect(res.status).toBe(200);
    return (await res.json()) as { verified: boolean; customerId?: string };
  };

  it("another partner's mutation with her keys leaves her own number, e-mail and first names hers", async () => {
    const her: Person = { surname: "Vries", birthDate: "01-05-1980", postcode: "1011 AB" };
    const a = await deliver("VOLMACHT-A", [
      row(her, {
        polis: "VA-7001",
        voornamen: "Anna Maria",
        telefoon: "+31612345678",
        email: "anna@example.nl",
      }),
    ]);
    const b = await deliver("TUSSEN-B", [
      row(her, { polis: "TB-7001", telefoon: "06-55501234", email: "amdevries@example.com" }),
    ]);

    // The caller lookup finds her by both numbers: each is hers (portfolio A's Jan van der Berg shares
    // the first; a household's landline or a recycled number is shared in life too).
    const byOther = await callers("+31 6 5550 1234");
    expect(byOther).toHaveLength(1);
    const id = byOther[0]!.customerId;
    expect(byOther[0]!.customer.firstNames).toBe("Anna Maria");
    expect((await callers("06 12 34 56 78")).map((r) => r.customerId)).toContain(id);

    // The card shows which partner says what; neither replaced the other.
    const shown = await card(id);
    expect(shown.party.firstNames).toBe("Anna Maria");
    expect(shown.phones.map((p) => p.e164)).toEqual(["+31655501234", "+31612345678"]);
    expect(shown.sources).toEqual([
      expect.objectContaining({
        partner: "TUSSEN-B",
        partnerName: "Partner TUSSEN-B",
        deliveryId: b,
        channel: "upload",
        phones: [expect.objectContaining({ e164: "+31655501234" })],
        email: "amdevries@example.com",
      }),
      expect.objectContaining({
        partner: "VOLMACHT-A",
        deliveryId: a,
        channel: "upload",
        party: expect.objectContaining({ firstNames: "Anna Maria" }),
        phones: [expect.objectContaining({ e164: "+31612345678" })],
        email: "anna@example.nl",
      }),
    ]);
    expect(shown.sources[0]!.party.firstNames).toBeUndefined();

    // The intake bot accepts her own number beside a strong combination, and the other partner's too.
    for (const phone of ["06-12345678", "06-55501234"])
      expect(await verify({ policyNumber: "VA-7001", birthDate: "1980-05-01", phone })).toMatchObject({
        verified: true,
        customerId: id,
      });
    // Search by either e-mail finds her.
    for (const email of ["anna@example.nl", "amdevries@example.com"]) {
      const res = await h().call("POST", "/v1/search", {
        token: await agent(),
        json: { email, name: "de Vries" },
      });
      expect(((await res.json()) as Found).results[0]?.customerId).toBe(id);
    }
  });

  it("the same partner's newer delivery replaces its own older number; the other partner's stays", async () => {
    const her: Person = { surname: "Visser", birthDate: "02-06-1981", postcode: "1012 AB" };
    await deliver("VOLMACHT-A", [
      row(her, { polis: "VA-7002", telefoon: "06-44401111", email: "v1@example.nl" }),
    ]);
    await deliver("TUSSEN-B", [
      row(her, { polis: "TB-7002", telefoon: "06-44402222", email: "v2@example.nl" }),
    ]);
    await deliver("VOLMACHT-A", [
      row(her, { polis: "VA-7002", telefoon: "06-44403333", email: "v1@example.nl" }),
    ]);

    const [hit] = await callers("06-44403333");
    expect(hit).toBeDefined();
    // The deliveries behind the card: each is listed, those whose version a partner's source holds marked.
    const listed = await h().call("GET", `/v1/customers/${hit!.customerId}/sources`, {
      token: await agent(),
    });
    const deliveries = ((await listed.json()) as { sources: Array<{ partner: string; current?: true }> })
      .sources;
    expect(deliveries.map((x) => `${x.partner}${x.current ? " current" : ""}`)).toEqual([
      "VOLMACHT-A current",
      "TUSSEN-B current",
      "VOLMACHT-A",
    ]);
    expect((await callers("06-44402222")).map((r) => r.customerId)).toEqual([hit!.customerId]);
    expect(await callers("06-44401111")).toEqual([]);
    const shown = await card(hit!.customerId);
    expect(shown.sources.map((s) => `${s.partner} ${s.phones.map((p) => p.e164).join(",")}`)).toEqual([
      "VOLMACHT-A +31644403333",
      "TUSSEN-B +31644402222",
    ]);
  });

  it("what an agent takes down by phone is a source of its own until the partner's next file", async () => {
    const her: Person = { surname: "Smit", birthDate: "04-08-1983", postcode: "1014 AB" };
    await deliver("VOLMACHT-A", [
      row(her, { polis: "VA-7004", telefoon: "06-22201111", email: "s@example.nl" }),
    ]);
    const agentToken = await h().token("agent", { sub: "agent-phone" });
    const res = await h().call("POST", "/v1/phone-policies", {
      token: agentToken,
      json: {
        partner: "VOLMACHT-A",
        policyNumber: "VA-7104",
        product: "RB-PARTICULIER",
        modules: ["CONS"],
        startDate: "2025-01-01",
        policyholder: {
          initials: "A.M.",
          tussenvoegsel: "de",
          surname: her.surname,
          birthDate: her.birthDate,
          houseNumber: 12,
          postcode: her.postcode,
          phone: "06-22209999",
        },
      },
    });
    expect(res.status).toBe(201);
    const { customerId } = (await res.json()) as { customerId: string };
    const says = async () =>
      (await card(customerId)).sources.map(
        (s) => `${s.partner} ${s.channel} ${s.phones.map((p) => p.e164).join(",")} ${s.email ?? "-"}`,
      );
    expect(await says()).toEqual([
      "VOLMACHT-A phone +31622209999 -",
      "VOLMACHT-A upload +31622201111 s@example.nl",
    ]);
    expect((await callers("06-22201111")).map((r) => r.customerId)).toEqual([customerId]);
    expect((await callers("06-22209999")).map((r) => r.customerId)).toEqual([customerId]);

    // The partner's next file (not the same file again, which would change nothing).
    await deliver("VOLMACHT-A", [
      row(her, { polis: "VA-7004", telefoon: "06-22201111", email: "s2@example.nl" }),
    ]);
    expect(await says()).toEqual(["VOLMACHT-A upload +31622201111 s2@example.nl"]);
    expect(await callers("06-22209999")).toEqual([]);
  });

  it("purging one partner's old delivery takes away only what that delivery said", async () => {
    const her: Person = { surname: "Dekker", birthDate: "03-07-1982", postcode: "1013 AB" };
    await deliver(
      "TUSSEN-B",
      [row(her, { polis: "TB-7003", telefoon: "06-33302222", email: "old@example.nl" })],
      "2020-01-15T09:00:00.000Z",
    );
    await deliver("VOLMACHT-A", [
      row(her, { polis: "VA-7003", voornamen: "Anne", telefoon: "06-33301111", email: "d@example.nl" }),
    ]);
    const [before] = await callers("06-33302222");
    expect(before).toBeDefined();

    const admin = await h().token("admin");
    const res = await h().call("POST", "/v1/jobs", { token: admin, json: { type: "purge" } });
    expect(res.status).toBe(202);
    await h().system.services.jobs.onIdle();

    expect(await callers("06-33302222")).toEqual([]);
    const [after] = await callers("06-33301111");
    expect(after?.customerId).toBe(before!.customerId);
    const shown = await card(after!.customerId);
    expect(shown.sources.map((s) => s.partner)).toEqual(["VOLMACHT-A"]);
    expect(shown.phones.map((p) => p.e164)).toEqual(["+31633301111"]);
    expect(shown.email).toBe("d@example.nl");
  });
}

describeOnStores("Customer data per partner", (h) => provenanceSuite(h));

describeOnSearchEngines("Customer data per partner", (h) => provenanceSuite(h));

describe("GET /v1/customers/{customerId} in the OpenAPI document", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness?.close());
  const h = () => harness;

  it("names the sources of the customer card, with what each partner says", async () => {
    const doc = (await (await h().call("GET", "/openapi.json")).json()) as {
      paths: Record<
        string,
        { get?: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }
      >;
    };
    const schema = JSON.stringify(doc.paths["/v1/customers/{customerId}"]?.get?.responses["200"]?.content);
    for (const word of ['"sources"', '"deliveryId"', '"receivedAt"', '"channel"', '"phones"'])
      expect(schema).toContain(word);
  });
});
