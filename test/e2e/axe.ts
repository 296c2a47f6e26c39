// axe-core in the real page: 0 serious or critical violations, or the test fails naming each one.
import axe from "axe-core";
import type { Page } from "playwright-core";

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe on the page as it is now; returns the serious and critical violations. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // evaluate, not a <script> tag: the app's Content-Security-Policy (rightly) refuses inline scripts.
  await page.evaluate(axe.source);
  const found = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: Document,
          opts: object,
        ) => Promise<{
          violations: {
            id: string;
            impact: string | null;
            help: string;
            nodes: { target: unknown[]; failureSummary?: string }[];
          }[];
        }>;
      };
    };
    const r = await w.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`),
    }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Fails with a readable list when the page has serious or critical violations. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const bad = await axeViolations(page);
  if (bad.length > 0) {
    const text = bad
      .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join("\n    ")}`)
      .join("\n");
    throw new Error(`${where}: ${bad.length} serious/critical accessibility violation(s)\n${text}`);
  }
}
