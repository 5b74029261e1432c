/// <reference lib="dom" />
// Page checks the browser tests run on every page: an axe-core accessibility scan, the phone
// layout, and keyboard focus. axe is injected from node_modules by the tests only (never shipped,
// never fetched from a CDN).
import { createRequire } from "node:module";
import type { Locator, Page } from "playwright-core";

const AXE_SCRIPT = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** A phone's viewport (an iPhone 12–15 in CSS pixels). */
export const PHONE_VIEWPORT = { width: 390, height: 844 } as const;

export interface AccessibilityViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's violations of impact `serious` or `critical` on the page as it is now (WCAG 2.x A and
 * AA rules and axe's best practices).
 */
export async function seriousAccessibilityViolations(
  page: Page,
): Promise<AccessibilityViolation[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    interface AxeResult {
      id: string;
      impact?: string | null;
      help: string;
      nodes: { target: unknown[] }[];
    }
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeResult[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? "unknown",
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(" ")),
    }));
  });
  return violations.filter((violation) => ["serious", "critical"].includes(violation.impact));
}

/** One line per violation, naming the rule and the elements (for an assertion's message). */
export function describeViolations(page: string, violations: AccessibilityViolation[]): string[] {
  return violations.map(
    (violation) =>
      `${page}: ${violation.id} (${violation.impact}, ${violation.help}) at ${violation.targets.slice(0, 5).join(", ")}${violation.targets.length > 5 ? ` and ${violation.targets.length - 5} more` : ""}`,
  );
}

/**
 * What is wrong with the page's layout at the current (phone) width: the page scrolls sideways
 * (naming the elements that stick out), the main navigation is not all on screen, or a table is
 * not inside its own horizontally scrolling box.
 */
export async function phoneLayoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const describe = (element: Element) => {
      const id = element.id === "" ? "" : `#${element.id}`;
      const classes = [...element.classList].map((name) => `.${name}`).join("");
      const text = element.textContent.trim().slice(0, 40);
      return `${element.tagName.toLowerCase()}${id}${classes} "${text}"`;
    };
    const scrollsSideways = (element: Element) =>
      ["auto", "scroll"].includes(getComputedStyle(element).overflowX);
    const insideScrollBox = (element: Element) => {
      for (let parent = element.parentElement; parent !== null; parent = parent.parentElement) {
        if (parent === document.body) return false;
        if (scrollsSideways(parent)) return true;
      }
      return false;
    };
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth > width) {
      const outside = [...document.body.querySelectorAll("*")].filter(
        (element) =>
          element.getBoundingClientRect().right > width + 0.5 && !insideScrollBox(element),
      );
      // The innermost offenders say most; their ancestors stick out because of them.
      const innermost = outside.filter(
        (element) => !outside.some((other) => other !== element && element.contains(other)),
      );
      problems.push(
        `the page is ${pageWidth}px wide in a ${width}px viewport: ${innermost.slice(0, 5).map(describe).join("; ")}`,
      );
    }
    const links = [...document.querySelectorAll('nav[aria-label="Main"] a')];
    if (links.length === 0) problems.push("no main navigation");
    for (const link of links) {
      const box = link.getBoundingClientRect();
      if (box.width === 0 || box.left < 0 || box.right > width) {
        problems.push(`the navigation link ${describe(link)} is not on screen`);
      }
    }
    for (const table of document.querySelectorAll("table")) {
      if (!insideScrollBox(table)) {
        problems.push(`${describe(table)} is not inside its own scrolling box`);
      }
    }
    return problems;
  });
}

/** Whether `locator`'s element has the keyboard focus. */
export async function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/**
 * Presses Tab (at most `maxPresses` times) until `target` has the focus, as a keyboard user
 * would; fails naming where the focus went instead.
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 40): Promise<void> {
  const visited: string[] = [];
  for (let press = 0; press < maxPresses; press += 1) {
    await page.keyboard.press("Tab");
    if (await hasFocus(target)) return;
    visited.push(
      await page.evaluate(() => {
        const active = document.activeElement;
        if (active === null) return "nothing";
        const name = (active.getAttribute("aria-label") ?? active.textContent).trim();
        return `${active.tagName.toLowerCase()} "${name.slice(0, 30)}"`;
      }),
    );
  }
  throw new Error(`Tab never reached the target; the focus went to: ${visited.join(" → ")}`);
}

/**
 * The focus indicator the focused element draws: its outline when the outline is visible, or
 * its box shadow. Undefined when it draws none.
 */
export async function focusIndicator(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active?.matches(":focus-visible") !== true) return undefined;
    const style = getComputedStyle(active);
    const outlineWidth = Number.parseFloat(style.outlineWidth);
    if (style.outlineStyle !== "none" && outlineWidth >= 2) {
      return `outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`;
    }
    if (style.boxShadow !== "none") return `box-shadow ${style.boxShadow}`;
    return undefined;
  });
}

/**
 * Records, from the page's first byte, every text each live region (role=status or alert,
 * aria-live) shows, so a test can tell a region that was updated (which screen readers announce)
 * from one inserted already holding its text (which many do not). Read with `liveRegionHistory`.
 */
export async function recordLiveRegions(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const history: { region: number; text: string }[] = [];
    const regions = new WeakMap<Element, number>();
    const lastText: string[] = [];
    (window as unknown as { __liveRegions: typeof history }).__liveRegions = history;
    const record = () => {
      const found = document.querySelectorAll("[role=status], [role=alert], [aria-live]");
      for (const element of found) {
        let region = regions.get(element);
        if (region === undefined) {
          region = lastText.length;
          regions.set(element, region);
          lastText.push("");
        }
        const text = element.textContent.trim();
        if (lastText[region] !== text || !history.some((entry) => entry.region === region)) {
          lastText[region] = text;
          history.push({ region, text });
        }
      }
    };
    new MutationObserver(record).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

/** The texts each live region showed, in order, by region. */
export async function liveRegionHistory(page: Page): Promise<string[][]> {
  return page.evaluate(() => {
    const history = (window as unknown as { __liveRegions: { region: number; text: string }[] })
      .__liveRegions;
    const byRegion: string[][] = [];
    for (const entry of history) (byRegion[entry.region] ??= []).push(entry.text);
    return byRegion;
  });
}
