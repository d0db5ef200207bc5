// The cold attempt page on a slow phone, measured (a benchmark, not a test: it records figures
// and asserts only that the page worked). Run by `scripts/bench-page`, never by the test suite.
//
// Each run opens the attempt page in a fresh browser context (empty cache) with Chromium's
// DevTools throttling: BENCH_KBPS kilobits per second each way, BENCH_RTT_MS round trip and
// the CPU slowed BENCH_CPU times. It records when the page was first painted (the choices can
// be tapped from then on: taps made before hydration are kept and sent after it), when the
// quiz island hydrated, when the first tapped answer was acknowledged by the server, and
// the bytes that crossed the wire.
import { expect, test } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { AttemptPage, HomePage, PASSWORD, registerFromHome, SAVED, uniquePhone } from "../tests/pages";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const KBPS = Number(process.env.BENCH_KBPS ?? 400);
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 400);
const CPU = Number(process.env.BENCH_CPU ?? 4);
const OUT = process.env.BENCH_OUT ?? "../bench-results/page-latest.md";

interface Run {
  paint: number;
  hydrated: number;
  saved: number;
  bytes: number;
  wasmBytes: number;
  requests: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const worst = (xs: number[]) => Math.max(...xs);

test("trang làm bài, lần đầu mở, mạng chậm", async ({ browser }) => {
  test.setTimeout(60_000 + RUNS * 60_000);
  // Sign in and start the attempt at full speed: only the attempt page is measured.
  const setup = await browser.newContext();
  const page = await setup.newPage();
  await registerFromHome(page, {
    fullName: "Trần Văn Đo",
    birthDate: "1988-02-14",
    phone: uniquePhone(7),
    password: PASSWORD,
  });
  await new HomePage(page).startOpenRound();
  const url = page.url();
  const cookies = await setup.storageState();
  await setup.close();

  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ storageState: cookies });
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: RTT_MS,
      downloadThroughput: (KBPS * 1000) / 8,
      uploadThroughput: (KBPS * 1000) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
    let bytes = 0;
    let wasmBytes = 0;
    let requests = 0;
    const urls = new Map<string, string>();
    cdp.on("Network.requestWillBeSent", (e) => {
      urls.set(e.requestId, e.request.url);
      requests++;
    });
    cdp.on("Network.loadingFinished", (e) => {
      bytes += e.encodedDataLength;
      if (urls.get(e.requestId)?.endsWith(".wasm")) wasmBytes += e.encodedDataLength;
    });

    const attempt = new AttemptPage(p);
    const t0 = Date.now();
    await p.goto(url, { waitUntil: "commit" });
    await expect(attempt.option(0)).toBeVisible({ timeout: 60_000 });
    const paint = Date.now() - t0;
    await attempt.waitForHydration();
    const hydrated = Date.now() - t0;
    await attempt.choose(i % 4);
    await expect(attempt.saveStatus).toHaveText(SAVED, { timeout: 30_000 });
    const saved = Date.now() - t0;
    runs.push({ paint, hydrated, saved, bytes, wasmBytes, requests });
    console.log(
      `run ${i + 1}: painted ${paint} ms, hydrated ${hydrated} ms, first answer saved ${saved} ms, ` +
        `${bytes} B over ${requests} requests (WASM ${wasmBytes} B)`,
    );
    await context.close();
  }

  const col = (f: (r: Run) => number) => runs.map(f);
  const row = (name: string, xs: number[], unit: string) =>
    `| ${name} | ${median(xs)} ${unit} | ${worst(xs)} ${unit} |`;
  const table = [
    `Cold attempt page, ${RUNS} runs, each in a fresh context (no cache): ${KBPS} kbps each way, ` +
      `${RTT_MS} ms round trip, CPU slowed ${CPU}x (Chromium DevTools throttling), 360 px phone.`,
    "",
    "| figure | median | worst |",
    "|---|---|---|",
    row("first paint, choices tappable (ms)", col((r) => r.paint), ""),
    row("quiz island hydrated (ms)", col((r) => r.hydrated), ""),
    row("first tapped answer acknowledged (ms)", col((r) => r.saved), ""),
    row("bytes on the wire", col((r) => r.bytes), ""),
    row("of which WASM", col((r) => r.wasmBytes), ""),
    row("requests", col((r) => r.requests), ""),
    "",
  ].join("\n");
  console.log("\n" + table);
  mkdirSync("../bench-results", { recursive: true });
  writeFileSync(OUT, table);
});
