import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/** The page's axe violations, one line each (an empty list: none). */
export async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
}
