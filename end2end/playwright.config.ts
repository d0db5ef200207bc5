import { defineConfig } from "@playwright/test";

// Debian's Chromium is used instead of Playwright's downloaded browsers.
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const phone = {
  browserName: "chromium" as const,
  baseURL: process.env.BASE_URL ?? "http://localhost:3000",
  viewport: { width: 360, height: 740 },
  isMobile: false,
  hasTouch: true,
  locale: "vi-VN",
  trace: "retain-on-failure" as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: chromiumArgs,
  },
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  outputDir: "test-results",
  use: phone,
  projects: [
    {
      name: "chromium-phone",
      use: phone,
    },
  ],
});
