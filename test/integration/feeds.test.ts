import { JSDOM } from "jsdom";
import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, openIncident } from "../support/incidents";

/** Parses XML strictly (jsdom's XML parser): a malformed document yields <parsererror>. */
function parseXml(text: string): Document {
  const doc = new new JSDOM("").window.DOMParser().parseFromString(text, "application/xml");
  expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
  return doc;
}
const texts = (doc: Document | Element, tag: string) =>
  [...doc.getElementsByTagName(tag)].map((e) => e.textContent ?? "");

describe("Atom and RSS feeds of public incidents", () => {
  let t: TestBeacon;
  let apiIncident: string;
  beforeAll(async () => {
    t = await startTestBeacon({ env: { PUBLIC_URL: "https://status.example.com" } });
    const api = await createService(t.admin, "API");
    const web = await createService(t.admin, "Website");
    apiIncident = (await openIncident(t.admin, { title: "API errors", public: true, serviceIds: [api] })).id;
    await t.admin.ok(
      'mutation($i: ID!) { postPublicUpdate(incidentId: $i, message: "Fix deployed & monitoring <closely>.", status: MONITORING) { id } }',
      { i: apiIncident },
    );
    await openIncident(t.admin, { title: "Website slow", public: true, serviceIds: [web] });
    await openIncident(t.admin, { title: "Secret internal", public: false, serviceIds: [api] });
  });
  afterAll(() => t?.stop());

  it("/history.atom is a valid Atom feed of the public incidents, newest first", async () => {
    const res = await fetch(`${t.url}/history.atom`);
    expect(res.headers.get("content-type")).toMatch(/application\/atom\+xml/);
    const body = await res.text();
    const doc = parseXml(body);
    const feed = doc.documentElement;
    expect(feed.localName).toBe("feed");
    expect(feed.namespaceURI).toBe("http://www.w3.org/2005/Atom");
    // Atom (RFC 4287) requires id, title and updated on the feed and on every entry.
    for (const tag of ["id", "title", "updated"])
      expect(feed.getElementsByTagName(tag).length).toBeGreaterThan(0);
    const entries = [...doc.getElementsByTagName("entry")];
    expect(entries.map((e) => texts(e, "title")[0])).toEqual([
      "Investigating: Website slow",
      "Monitoring: API errors",
    ]);
    for (const e of entries) {
      for (const tag of ["id", "title", "updated"]) expect(e.getElementsByTagName(tag)).toHaveLength(1);
      expect(e.getElementsByTagName("link")[0]?.getAttribute("href")).toMatch(
        /^https:\/\/status\.example\.com\/incidents\//,
      );
    }
    // Escaped or CDATA in the XML; the parsed text is the message as written.
    const second = entries[1];
    assert.exists(second, "a second entry");
    expect(texts(second, "summary")[0]).toContain("Fix deployed & monitoring <closely>.");
    expect(body).not.toContain("Secret internal");
  });

  it("/history.rss is a valid RSS 2.0 feed; ?service= narrows both to one service", async () => {
    const doc = parseXml(await (await fetch(`${t.url}/history.rss`)).text());
    expect(doc.documentElement.localName).toBe("rss");
    expect(doc.documentElement.getAttribute("version")).toBe("2.0");
    const channel = doc.getElementsByTagName("channel")[0];
    assert.exists(channel, "a <channel>");
    for (const tag of ["title", "link", "description"])
      expect(channel.getElementsByTagName(tag).length).toBeGreaterThan(0);
    expect([...doc.getElementsByTagName("item")].map((i) => texts(i, "title")[0])).toEqual([
      "Investigating: Website slow",
      "Monitoring: API errors",
    ]);
    const api = parseXml(await (await fetch(`${t.url}/history.rss?service=api`)).text());
    expect([...api.getElementsByTagName("item")].map((i) => texts(i, "link")[0])).toEqual([
      `https://status.example.com/incidents/${apiIncident}`,
    ]);
    const atom = parseXml(await (await fetch(`${t.url}/history.atom?service=website`)).text());
    expect(texts(atom, "title")[0]).toBe("Beacon status: Website");
    expect(atom.getElementsByTagName("entry")).toHaveLength(1);
    expect((await fetch(`${t.url}/history.atom?service=nope`)).status).toBe(404);
  });
});
