// axe-core in the page under test: the WCAG 2.x A and AA rules, with JavaScript on and off.
import type { Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: the rules a page must pass (axe's best practices are not WCAG). */
export const WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

/**
 * With JavaScript off the page still lets Playwright evaluate code, and promises settle, but no timer ever
 * fires, and axe waits on `setTimeout` between its steps. So axe gets timers of its own that run as
 * microtasks: a local binding that shadows the global, so nothing of the page's own changes.
 */
const AXE_WITHOUT_TIMERS = `(function (setTimeout, clearTimeout) {\n${AXE_SOURCE}\n}).call(window, (fn, _ms, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; }, () => undefined);`;

export type Violation = { rule: string; impact: string | null; help: string; nodes: string[] };

/** The WCAG A/AA violations axe finds on the page as it is now. */
export async function axeViolations(page: Page, { javaScript }: { javaScript: boolean }): Promise<Violation[]> {
  await page.evaluate(javaScript ? AXE_SOURCE : AXE_WITHOUT_TIMERS);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe;
    // Frames are left out: the only one is the outbox's sandboxed preview of an email, which runs no script.
    const results = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"], iframes: false });
    return results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`),
    }));
  }, WCAG_A_AA);
}

type AxeResults = {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary: string }[] }[];
};
