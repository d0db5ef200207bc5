// The test function every spec uses: Playwright's, plus a log of what went wrong inside the
// browser (console errors and warnings, uncaught exceptions, failed requests, 5xx replies),
// printed when a test fails. A CI run then says why a page did not hydrate or a tap did not
// take, without the trace file.
import { test as base, expect } from "@playwright/test";

export { expect };

export const test = base.extend<{ browserLog: string[] }>({
  browserLog: [
    async ({ page }, use, testInfo) => {
      const lines: string[] = [];
      const started = Date.now();
      const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") {
          lines.push(`${at()} console.${m.type()}: ${m.text()}`);
        }
      });
      page.on("pageerror", (e) => lines.push(`${at()} uncaught: ${e.message}`));
      page.on("requestfailed", (r) =>
        lines.push(`${at()} request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`),
      );
      page.on("response", (r) => {
        if (r.status() >= 500) lines.push(`${at()} ${r.status()}: ${r.request().method()} ${r.url()}`);
      });
      await use(lines);
      if (testInfo.status !== testInfo.expectedStatus) {
        console.log(
          `browser log of “${testInfo.title}” (${lines.length} lines):\n` +
            (lines.length ? lines.join("\n") : "(nothing went wrong inside the browser)"),
        );
      }
    },
    { auto: true },
  ],
});
