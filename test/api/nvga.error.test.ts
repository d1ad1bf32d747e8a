import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTestPartners } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<NVGAFilePolis>
<AL><AL_ENTITEI>AL</AL_ENTITEI><AL_ADATMSG>20261031</AL_ADATMSG></AL>
<VE><VE_ENTITEI>VE</VE_ENTITEI></VE>
<VL><VL_ENTITEI>VL</VL_ENTITEI><VL_MYAAND>N013</VL_MYAAND></VL>
`;
const VP =
  "<VP><VP_ANAAM>Berg</VP_ANAAM><VP_VOORL>J.</VP_VOORL><VP_GEBDAT>19750312</VP_GEBDAT><VP_PCODE>1234AB</VP_PCODE><VP_HUISNR>12</VP_HUISNR></VP>";
const pp = (n: string, inner = VP) =>
  `<PP><PP_NUMMER>${n}</PP_NUMMER><PP_BRANCHE>060</PP_BRANCHE><PP_PRODUCC>RB-PARTICULIER</PP_PRODUCC><PP_INGDAT>20230101</PP_INGDAT>${inner}</PP>\n`;
const file = (...policies: string[]) => `${HEAD}${policies.join("")}</NVGAFilePolis>\n`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ NVGA_POR_CODES: "N013" });
  await registerTestPartners(h);
});
afterAll(async () => {
  await h?.close();
});

/** Posts a file as VOLMACHT-A's uploader; answers the response and, when accepted, the settled delivery. */
async function post(body: string | Uint8Array, query = "kind=full&format=nvga-polis", headers = {}) {
  const res = await h.call("POST", `/v1/deliveries?partner=VOLMACHT-A&${query}`, {
    token: await h.token("ingest", { sub: "uploader-a", partner: "VOLMACHT-A" }),
    body,
    headers,
  });
  const json = (await res.json()) as { id?: string; code?: string; detail?: string };
  const settled = res.status === 202 ? await h.system.services.intake.whenSettled(json.id!) : undefined;
  return { status: res.status, json, settled };
}

/** What the store holds for the partner: deliveries kept, customers, stored files. */
async function held() {
  const store = h.system.services.store;
  return {
    deliveries: (await store.listDeliveries({ partner: "VOLMACHT-A" })).filter((d) => d.status !== "failed")
      .length,
    customers: await store.countCustomers(),
  };
}

describe("bad NVGA File Polis input: a clear answer, the store as it was", () => {
  it.each([
    [
      "an XML file with a DTD and entity declarations",
      `<?xml version="1.0"?>\n<!DOCTYPE NVGAFilePolis [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n${file(pp("D-1")).slice(HEAD.indexOf("<NVGAFilePolis>"))}`,
      /DTD or entity declarations/,
    ],
    ["a CSV file sent as nvga-polis", "polisnummer;achternaam\nVA-1;Berg\n", /not XML.*format=csv/],
    ["a zip bomb (gzip of 200 MB of zeros)", gzipSync(Buffer.alloc(200 * 1024 ** 2)), /compressed \(gzip\)/],
  ])("%s is refused before anything is stored", async (_what, body, message) => {
    const before = await held();
    const { status, json } = await post(body);
    expect(status).toBe(422);
    expect(json).toMatchObject({ code: "DELIVERY_REJECTED", detail: expect.stringMatching(message) });
    expect(await held()).toEqual(before);
  });

  it("a file for another insurer's POR code is refused (WRONG_RECIPIENT)", async () => {
    const before = await held();
    const { status, json } = await post(file(pp("W-1")).replace(">N013<", ">N999<"));
    expect(status).toBe(422);
    expect(json).toMatchObject({ code: "WRONG_RECIPIENT", detail: expect.stringMatching(/N999/) });
    expect(await held()).toEqual(before);
  });

  it("a compressed body (Content-Encoding: gzip) is refused, never inflated", async () => {
    const { status, json } = await post(gzipSync(file(pp("G-1"))), undefined, { "content-encoding": "gzip" });
    expect(status).toBe(415);
    expect(json.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("a DTD further in than the first look fails the delivery whole, with line and column", async () => {
    const before = await held();
    const padding = `<!-- ${"x".repeat(70 * 1024)} -->\n`;
    const body = `<?xml version="1.0"?>\n${padding}<!DOCTYPE NVGAFilePolis [<!ENTITY a "a">]>\n<NVGAFilePolis>&a;</NVGAFilePolis>`;
    const { status, settled } = await post(body);
    expect(status).toBe(202);
    expect(settled).toMatchObject({ status: "failed", failureCode: "DELIVERY_REJECTED" });
    expect(settled!.failure).toMatch(/DTD.*line 3/);
    expect(await held()).toEqual(before);
  });

  it("an unknown label is ignored and counted; a policy without VP is a row error with its line; the rest is taken in", async () => {
    const { status, settled } = await post(
      file(
        pp("U-1", `<PP_NIEUWLBL>x</PP_NIEUWLBL>${VP}`),
        pp("U-2", "<PP_STATUS>actief</PP_STATUS>"),
        pp("U-3"),
      ),
      "kind=mutation&format=nvga-polis",
    );
    expect(status).toBe(202);
    expect(settled).toMatchObject({
      status: "completed",
      counts: { rows: 3, accepted: 2, rejected: 1 },
      errors: [{ line: 7, field: "VP", message: expect.stringMatching(/no VP/) }],
      fileInfo: { unknownLabels: { PP_NIEUWLBL: 1 } },
    });
  });

  it("a CSV profile with format nvga-polis, or an NVGA profile with CSV, is a 400", async () => {
    expect((await post(file(pp("P-1")), "kind=full&format=nvga-polis&profile=standaard")).status).toBe(400);
    expect((await post("polisnummer\n1\n", "kind=full&format=csv&profile=nvga-polis")).status).toBe(400);
  });
});
