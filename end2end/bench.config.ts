// The browser benchmarks (end2end/bench/*.bench.ts): the tests' phone and Chromium, one run
// at a time. Used by scripts/bench-page only; `npx playwright test` never picks them up.
import { defineConfig } from "@playwright/test";
import tests from "./playwright.config";

export default defineConfig({
  ...tests,
  testDir: "./bench",
  testMatch: "*.bench.ts",
  outputDir: "bench-results",
  timeout: 600_000,
});
