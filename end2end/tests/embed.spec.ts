import { expect, test } from "./fixtures";
import { ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PASSWORD, SAVED, uniquePhone } from "./pages";

// A province's portal ("chuyên mục cuộc thi trên Trang thông tin điện tử") shows the contest in
// a frame: the portal on one site (127.0.0.1), cuocthi on another (localhost), started with
// CUOCTHI_EMBED_ORIGINS naming the portal. A person registers, starts and answers inside the
// frame: the frame is allowed (CSP frame-ancestors) and its cookies work cross-site
// (SameSite=None; Secure; Partitioned).

let app: ChildProcess | undefined;
let portal: Server | undefined;
let appPort = 0;
let portalPort = 0;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test.beforeAll(async () => {
  const bin = process.env.CUOCTHI_BIN;
  if (!bin) throw new Error("CUOCTHI_BIN must be set (scripts/test sets it)");
  appPort = await freePort();
  portalPort = await freePort();
  portal = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><meta charset="utf-8"><title>Cổng thông tin điện tử</title>` +
        `<h1>Cổng thông tin điện tử</h1>` +
        `<iframe src="http://localhost:${appPort}/dang-ky" style="width:100%;height:680px;border:0"></iframe>`,
    );
  });
  await new Promise<void>((r) => portal!.listen(portalPort, "127.0.0.1", r));
  const dir = mkdtempSync(join(tmpdir(), "cuocthi-embed-"));
  app = spawn(bin, ["serve"], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${dir}/embed.db`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${appPort}`,
      LEPTOS_SITE_ROOT: resolve(__dirname, "../../target/site"),
      LEPTOS_SITE_PKG_DIR: "pkg",
      LEPTOS_OUTPUT_NAME: "cuocthi",
      CUOCTHI_UPLOAD_DIR: join(dir, "uploads"),
      CUOCTHI_SEED_DEMO: "1",
      CUOCTHI_EMBED_ORIGINS: `http://127.0.0.1:${portalPort}`,
      RUST_LOG: "warn",
    },
    stdio: "ignore",
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${appPort}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the embedded installation did not start");
});

test.afterAll(async () => {
  app?.kill("SIGTERM");
  await new Promise((r) => portal?.close(r));
});

test("cổng thông tin nhúng cuộc thi: đăng ký, bắt đầu và trả lời trong khung", async ({ page }) => {
  await page.goto(`http://127.0.0.1:${portalPort}/`);
  const frame = page.frameLocator("iframe");

  await test.step("đăng ký trong khung", async () => {
    await frame.getByTestId("full-name").fill("Lò Thị Cổng");
    await frame.getByTestId("birth-date").fill("1991-05-19");
    await frame.getByTestId("phone").fill(uniquePhone(7));
    await frame.getByTestId("unit").selectOption({ index: 1 });
    await frame.getByTestId("password").fill(PASSWORD);
    await frame.getByTestId("submit-register").click();
    // Signed in inside the frame: the session cookie came back on the next page.
    await expect(frame.getByTestId("viewer-name")).toHaveText("Lò Thị Cổng", { timeout: 15_000 });
  });

  await test.step("bắt đầu vòng đang mở và trả lời, được lưu", async () => {
    await frame.getByTestId("round").first().getByTestId("start").click();
    await expect(frame.locator('[data-testid="quiz"][data-hydrated="true"]')).toBeVisible({ timeout: 30_000 });
    const option = frame.getByTestId("question").getByTestId("option-1");
    await expect(async () => {
      await option.check({ force: true, timeout: 2_000 });
      await expect(option).toBeChecked({ timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
    await expect(frame.getByTestId("save-status")).toHaveText(SAVED, { timeout: 10_000 });
  });

  mkdirSync("artifacts", { recursive: true });
  await page.screenshot({ path: "artifacts/embedded-in-portal.png", fullPage: true });
});

test("không nêu tên trong CUOCTHI_EMBED_ORIGINS thì không trang nào được nhúng", async ({ request }) => {
  const res = await request.get("/");
  expect(res.headers()["x-frame-options"]).toBe("DENY");
  expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});
