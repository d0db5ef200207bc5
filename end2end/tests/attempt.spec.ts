import { expect, test } from "./fixtures";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AttemptPage, HomePage, NOT_SENT, PASSWORD, registerFromHome, ResultPage, uniquePhone } from "./pages";

test("đăng ký, làm bài, tải lại vẫn giữ đáp án, nộp bài, xem kết quả", async ({ page }, testInfo) => {
  const fullName = "Nguyễn Thị Thu Hà";
  const attempt = new AttemptPage(page);
  const home = new HomePage(page);

  await test.step("đăng ký từ trang chủ", async () => {
    await registerFromHome(page, {
      fullName,
      birthDate: "1990-04-30",
      phone: uniquePhone(1),
      password: PASSWORD,
    });
  });

  await test.step("bắt đầu vòng thi đang mở", async () => {
    await home.startOpenRound();
    await attempt.waitForHydration();
    await expect(attempt.countdown).toHaveText(/^(29|30):\d\d$/);
    await attempt.expectAnswered(0);
  });

  await test.step("trả lời câu 1–5, mỗi câu đều được máy chủ xác nhận", async () => {
    for (let i = 0; i < 5; i++) {
      await attempt.choose(i % 4);
      await attempt.expectSaved();
      await attempt.goNext();
    }
    await attempt.expectAnswered(5);
    // Question 6 has not been answered: nothing may look chosen.
    for (let k = 0; k < 4; k++) {
      await expect(attempt.option(k)).not.toBeChecked();
    }
  });

  await test.step("chụp màn hình trang làm bài", async () => {
    const configDir = testInfo.config.configFile ? dirname(testInfo.config.configFile) : process.cwd();
    const shot = resolve(configDir, "artifacts", "attempt-page.png");
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach("attempt-page", { path: shot, contentType: "image/png" });
  });

  await test.step("tải lại trang vẫn giữ đáp án, mở ở câu đầu tiên chưa trả lời", async () => {
    await page.reload();
    await attempt.waitForHydration();
    await attempt.expectAnswered(5);
    await expect(attempt.question).toContainText("Câu 6/20");
    await expect(page.locator("h1")).toHaveCount(1);
    await attempt.jumpTo(2);
    await expect(attempt.option(2)).toBeChecked();
    await attempt.jumpTo(0);
    await expect(attempt.option(0)).toBeChecked();
  });

  await test.step("nộp bài và xem kết quả", async () => {
    await attempt.submitAndConfirm();
    await new ResultPage(page).expectShown();
  });
});

test("mất mạng: giữ đáp án trên máy và gửi lại", async ({ page }) => {
  const attempt = new AttemptPage(page);

  await test.step("đăng ký và bắt đầu", async () => {
    const home = await registerFromHome(page, {
      fullName: "Trần Văn Bình",
      birthDate: "1985-09-02",
      phone: uniquePhone(2),
      password: PASSWORD,
    });
    await home.startOpenRound();
    await attempt.waitForHydration();
  });

  await test.step("câu 1 được lưu khi có mạng", async () => {
    await attempt.choose(1);
    await attempt.expectSaved();
  });

  await test.step("mất mạng: câu 2 được giữ trên máy", async () => {
    await page.context().setOffline(true);
    await attempt.goNext();
    await attempt.choose(3);
    await expect(attempt.offlineBanner).toBeVisible({ timeout: 10_000 });
    await expect(attempt.saveStatus).toContainText(NOT_SENT, { timeout: 10_000 });
    await attempt.expectAnswered(2);
  });

  await test.step("có mạng lại: tự gửi lại và được xác nhận", async () => {
    await page.context().setOffline(false);
    await attempt.expectSaved(15_000);
    await expect(attempt.offlineBanner).toBeHidden({ timeout: 15_000 });
  });

  await test.step("tải lại: đáp án làm lúc mất mạng đã đến máy chủ", async () => {
    await page.reload();
    await attempt.waitForHydration();
    await attempt.expectAnswered(2);
    await attempt.jumpTo(1);
    await expect(attempt.option(3)).toBeChecked();
  });

  await test.step("nộp bài và xem kết quả", async () => {
    await attempt.submitAndConfirm();
    await new ResultPage(page).expectShown();
  });
});

test("đồng hồ điện thoại lệch 3 giờ: vẫn đếm ngược theo giờ máy chủ", async ({ page }) => {
  const attempt = new AttemptPage(page);
  const home = await registerFromHome(page, {
    fullName: "Đặng Thị Ngọc",
    birthDate: "1992-12-01",
    phone: uniquePhone(4),
    password: PASSWORD,
  });
  // From here on the page's clock runs three hours ahead of the real time.
  await page.addInitScript(() => {
    const realNow = Date.now.bind(Date);
    Date.now = () => realNow() + 3 * 3600 * 1000;
  });
  await home.startOpenRound();
  await attempt.waitForHydration();
  await expect.poll(() => page.evaluate(() => Date.now() - performance.timeOrigin - performance.now())).toBeGreaterThan(
    2 * 3600 * 1000,
  );
  // Give the countdown a few ticks on the skewed clock, then read it.
  await page.waitForTimeout(2_500);
  await expect(attempt.countdown).toHaveText(/^(29|30):\d\d$/);
});

test("máy chủ từ chối một câu trả lời: trang nói rõ là không lưu được, không hứa gửi lại", async ({ page }) => {
  const attempt = new AttemptPage(page);
  const home = await registerFromHome(page, {
    fullName: "Vũ Văn Từ",
    birthDate: "1988-08-18",
    phone: uniquePhone(7),
    password: PASSWORD,
  });
  await home.startOpenRound();
  await attempt.waitForHydration();
  // The server answers this save with a refusal (as it would a choice it cannot accept).
  await page.route("**/api/attempt/save", (route) =>
    route.fulfill({
      status: 400,
      contentType: "application/json",
      body: JSON.stringify({ kind: "bad_request", detail: "Lựa chọn không hợp lệ." }),
    }),
  );
  await attempt.option(1).check({ force: true });
  await expect(attempt.saveStatus).toHaveText("✕ Không lưu được: Lựa chọn không hợp lệ.", { timeout: 10_000 });
  await expect(attempt.saveStatus).toHaveAttribute("data-state", "refused");
  await expect(attempt.palette(0)).toHaveClass(/refused/);
  await attempt.question.screenshot({ path: "artifacts/attempt-refused.png" });
  // Nothing is queued for a resend: it stays refused.
  await page.waitForTimeout(4_000);
  await expect(attempt.saveStatus).not.toContainText(NOT_SENT);
  await expect(attempt.saveStatus).toHaveAttribute("data-state", "refused");

  // A later choice the server accepts replaces the refusal.
  await page.unrouteAll();
  await attempt.choose(2);
  await attempt.expectSaved();
  await expect(attempt.saveStatus).toHaveAttribute("data-state", "saved");
  await attempt.question.screenshot({ path: "artifacts/attempt-chosen.png" });
});
