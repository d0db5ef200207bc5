import { expect, test } from "./fixtures";
import { AttemptPage, HomePage, PASSWORD, registerFromHome, uniquePhone } from "./pages";

test("bảng xếp hạng trực tiếp: người xem thấy bài vừa nộp mà không tải lại trang", async ({ browser }) => {
  const viewer = await browser.newPage();
  const player = await browser.newPage();
  const name = "Đặng Văn Trực";

  // The viewer opens the open round's leaderboard and waits for the live stream.
  const home = new HomePage(viewer);
  await home.goto();
  await home.openRound().getByTestId("go-board").click();
  await expect(viewer).toHaveURL(/\/bang-xep-hang\/\d+$/);
  await expect(viewer.getByTestId("live")).toBeVisible({ timeout: 30_000 });
  const before = Number(await viewer.getByTestId("entrants").textContent());

  // Another person takes the round and submits.
  await registerFromHome(player, { fullName: name, birthDate: "1992-02-02", phone: uniquePhone(9), password: PASSWORD });
  await new HomePage(player).startOpenRound();
  const attempt = new AttemptPage(player);
  await attempt.waitForHydration();
  await attempt.choose(0);
  await attempt.expectSaved();
  await attempt.submitAndConfirm();

  // The viewer's page changes by itself.
  await expect(viewer.getByTestId("entrants")).toHaveText(String(before + 1), { timeout: 10_000 });
  await expect(viewer.getByTestId("board-row").filter({ hasText: name })).toHaveCount(1);
  await viewer.screenshot({ path: "artifacts/live-board.png", fullPage: true });
  // At 360 px the board fits the screen: no column cut off, nothing to scroll sideways.
  expect(await viewer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const row = viewer.getByTestId("board-row").filter({ hasText: name });
  const box = await row.boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(360);
  await expect(viewer.getByRole("region", { name: "Bảng xếp hạng" })).toHaveAttribute("tabindex", "0");
});
