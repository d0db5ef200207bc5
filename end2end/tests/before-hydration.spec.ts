import { expect, test } from "./fixtures";
import { AttemptPage, PASSWORD, registerFromHome, uniquePhone } from "./pages";

// A slow phone shows the server-rendered attempt page seconds before the quiz island runs.
// A choice tapped in that time must survive hydration and reach the server.
test("đáp án chọn trước khi trang sẵn sàng vẫn được giữ và lưu", async ({ page }) => {
  const attempt = new AttemptPage(page);
  const home = await registerFromHome(page, {
    fullName: "Phan Thị Sớm",
    birthDate: "1991-07-07",
    phone: uniquePhone(5),
    password: PASSWORD,
  });

  // Hold the WASM back until the choice has been made.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let wasmRequested = false;
  await page.route("**/pkg/*.wasm", async (route) => {
    wasmRequested = true;
    await held;
    await route.continue();
  });

  await test.step("chọn đáp án khi trang chưa chạy script", async () => {
    await home.startOpenRound();
    await expect.poll(() => wasmRequested, { timeout: 15_000 }).toBe(true);
    await expect(attempt.quiz).toHaveAttribute("data-hydrated", "false");
    await attempt.choose(2);
    await expect(attempt.quiz).toHaveAttribute("data-hydrated", "false");
  });

  await test.step("script chạy xong: lựa chọn vẫn còn và được máy chủ xác nhận", async () => {
    release();
    await attempt.waitForHydration();
    await expect(attempt.option(2)).toBeChecked();
    await attempt.expectSaved();
    await attempt.expectAnswered(1);
  });

  await test.step("tải lại: máy chủ đã có đáp án", async () => {
    await page.unrouteAll();
    await page.reload();
    // The server-rendered page (before any script) already counts it.
    await attempt.expectAnswered(1);
    await attempt.waitForHydration();
    await attempt.jumpTo(0);
    await expect(attempt.option(2)).toBeChecked();
  });
});
