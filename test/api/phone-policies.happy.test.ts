import { expect, it } from "vitest";
import { auditTextWithoutGeneratedValues } from "../support/audit-record.ts";
import { describeOnStores } from "./support/on-stores.ts";
import { PHONE_POLICY, phonePolicy } from "./support/phone-policy.ts";

interface Found {
  results: Array<{
    customerId: string;
    customer: { surname?: string };
    policies: Array<{ policyNumber: string; partner: string; givenByPhone?: { by: string; at: string } }>;
  }>;
}

describeOnStores("POST /v1/phone-policies: a policy passed on by phone", (h) => {
  const agent = () => h().token("agent", { sub: "agent-anna" });
  const search = async (json: unknown) => {
    const res = await h().call("POST", "/v1/search", { token: await agent(), json });
    expect(res.status).toBe(200);
    return (await res.json()) as Found;
  };

  it("is recorded as a phone delivery, searchable at once and marked with who took it", async () => {
    const before = Date.now();
    const res = await h().call("POST", "/v1/phone-policies", { token: await agent(), json: PHONE_POLICY });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { deliveryId: string; customerId: string; policyNumber: string };
    expect(Object.keys(body).sort()).toEqual(["customerId", "deliveryId", "policyNumber"]);
    expect(body.policyNumber).toBe("TB-77001");
    expect(res.headers.get("location")).toBe(`/v1/customers/${body.customerId}`);

    // A delivery like any other: the partner's, kind mutation, channel phone, by the agent, file kept.
    const delivery = await h().system.services.store.getDelivery(body.deliveryId);
    expect(delivery).toMatchObject({
      partner: "TUSSEN-B",
      kind: "mutation",
      format: "jsonl",
      channel: "phone",
      submittedBy: "agent-anna",
      status: "completed",
      counts: { rows: 1, accepted: 1, rejected: 0 },
    });
    let file = "";
    for await (const chunk of h().system.services.store.readFile(body.deliveryId))
      file += new TextDecoder().decode(chunk);
    expect(JSON.parse(file)).toMatchObject({ policyNumber: "TB-77001", party: { surname: "Bakker" } });

    const found = await search({ name: "Sanne Bakker", birthDate: "14-09-1988" });
    const hit = found.results[0]!;
    expect(hit.customerId).toBe(body.customerId);
    const policy = hit.policies.find((p) => p.policyNumber === "TB-77001");
    expect(policy?.partner).toBe("TUSSEN-B");
    expect(policy?.givenByPhone?.by).toBe("agent-anna");
    const at = Date.parse(policy!.givenByPhone!.at);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());

    const detail = await h().call("GET", `/v1/customers/${body.customerId}`, { token: await agent() });
    const card = (await detail.json()) as {
      address: { postcode?: string; houseNumber?: number; houseNumberAddition?: string };
      phones: Array<{ e164: string | null }>;
      policies: Array<{
        policyNumber: string;
        givenByPhone?: { by: string; at: string };
        timeline: Array<{ deliveryIds: string[]; givenByPhone?: { by: string } }>;
      }>;
    };
    // Normalised as a partner's CSV row would be.
    expect(card.address).toMatchObject({ postcode: "3011 AB", houseNumber: 8, houseNumberAddition: "A" });
    expect(card.phones[0]?.e164).toBe("+31687654321");
    expect(card.policies[0]?.givenByPhone).toEqual(policy?.givenByPhone);
    expect(card.policies[0]?.timeline).toMatchObject([
      { deliveryIds: [body.deliveryId], givenByPhone: { by: "agent-anna" } },
    ]);
  });

  it("lands on the customer it belongs to, beside the policies of other partners", async () => {
    const berg = (await search({ name: "J. van der Berg", birthDate: "12-03-1975" })).results[0]!;
    expect(berg.customer.surname).toBe("Berg");
    const res = await h().call("POST", "/v1/phone-policies", {
      token: await agent(),
      json: phonePolicy({
        policyNumber: "TB-88002",
        policyholder: {
          initials: "J.",
          firstNames: "Jan",
          tussenvoegsel: "van der",
          surname: "Berg",
          birthDate: "1975-03-12",
          street: "Kerkstraat",
          houseNumber: 12,
          postcode: "1234 AB",
          city: "Amsterdam",
          phone: "06-12345678",
          email: "jan.vdberg@example.nl",
        },
      }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { customerId: string }).customerId).toBe(berg.customerId);
    const again = (await search({ name: "J. van der Berg", birthDate: "12-03-1975" })).results[0]!;
    expect(again.policies.map((p) => [p.policyNumber, p.givenByPhone?.by ?? null])).toEqual([
      ["TB-88002", "agent-anna"],
      ["VA-1001", null],
    ]);
  });

  it("loses its marking once the partner's own delivery confirms the policy", async () => {
    const ingest = await h().token("ingest", { sub: "uploader-b", partner: "TUSSEN-B" });
    const csv = [
      "polisnummer;voorletters;voornamen;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats;telefoon;email;product;dekkingen;ingangsdatum",
      "TB-77001;S.;Sanne;Bakker;14-09-1988;Havenstraat;8a;3011 AB;Rotterdam;06-87654321;sanne.bakker@example.nl;RB-PARTICULIER;CONS,WON;01-05-2024",
    ].join("\n");
    const res = await h().call("POST", "/v1/deliveries?partner=TUSSEN-B&kind=mutation", {
      token: ingest,
      body: csv,
      headers: { "content-type": "text/csv" },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect((await h().system.services.intake.whenSettled(id)).counts.accepted).toBe(1);
    const hit = (await search({ name: "Sanne Bakker", birthDate: "14-09-1988" })).results[0]!;
    const policy = hit.policies.find((p) => p.policyNumber === "TB-77001");
    expect(policy).toBeDefined();
    expect(policy?.givenByPhone).toBeUndefined();
  });

  it("the same policy given again is recognised as the same delivery and changes nothing", async () => {
    const token = await agent();
    const json = phonePolicy({ policyNumber: "TB-66004" });
    const first = (await (await h().call("POST", "/v1/phone-policies", { token, json })).json()) as {
      deliveryId: string;
      customerId: string;
    };
    const store = h().system.services.store;
    const [before] = await store.getPolicies([{ partner: "TUSSEN-B", policyNumber: "TB-66004" }]);
    const res = await h().call("POST", "/v1/phone-policies", { token, json });
    expect(res.status).toBe(201);
    const second = (await res.json()) as { deliveryId: string; customerId: string };
    expect(second.customerId).toBe(first.customerId);
    expect(second.deliveryId).not.toBe(first.deliveryId);
    expect(await store.getDelivery(second.deliveryId)).toMatchObject({ duplicateOf: first.deliveryId });
    expect(await store.getPolicies([{ partner: "TUSSEN-B", policyNumber: "TB-66004" }])).toEqual([before]);
  });

  it("is on the audit record: who, which fields and which customer, none of the values", async () => {
    const token = await h().token("agent", { sub: "agent-bert" });
    const res = await h().call("POST", "/v1/phone-policies", {
      token,
      json: phonePolicy({ policyNumber: "TB-99003" }),
    });
    expect(res.status).toBe(201);
    const { customerId } = (await res.json()) as { customerId: string };
    const [record] = await h().audit();
    expect(record).toMatchObject({
      subject: "agent-bert",
      endpoint: "POST /v1/phone-policies",
      outcome: "ok",
      status: 201,
      customerIds: [customerId],
    });
    expect(record!.fields).toEqual(
      expect.arrayContaining(["partner", "policyNumber", "policyholder.surname"]),
    );
    const text = auditTextWithoutGeneratedValues(record!).toLowerCase();
    for (const value of ["bakker", "sanne", "1988", "3011", "havenstraat", "87654321", "tb-99003"])
      expect(text).not.toContain(value);
  });

  it("is in the OpenAPI document, with the marking on search results", async () => {
    const doc = (await (await h().call("GET", "/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; "x-roles"?: string[] }>>;
    };
    const op = doc.paths["/v1/phone-policies"]?.post;
    expect(op?.["x-roles"]).toEqual(["agent"]);
    expect(Object.keys(op?.responses ?? {})).toContain("201");
    const search = JSON.stringify(doc.paths["/v1/search"]);
    for (const word of ["givenByPhone", "hasMore"]) expect(search).toContain(word);
  });
});
