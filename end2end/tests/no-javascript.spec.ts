import { expect, test } from "@playwright/test";
import { AttemptPage, PASSWORD, registerFromHome, ResultPage, uniquePhone } from "./pages";

// Before the WASM arrives (or on a browser that never runs it) every step is a plain form post.
test.use({ javaScriptEnabled: false });

test("không có JavaScript: vẫn đăng ký, làm bài, lưu và nộp bài bằng biểu mẫu", async ({ page }) => {
  const attempt = new AttemptPage(page);

  await test.step("đăng ký và bắt đầu", async () => {
    const home = await registerFromHome(page, {
      fullName: "Lê Văn Tám",
      birthDate: "1980-01-15",
      phone: uniquePhone(3),
      password: PASSWORD,
    });
    await home.startOpenRound();
    await expect(attempt.quiz).toHaveAttribute("data-hydrated", "false");
    await expect(attempt.countdown).toHaveText(/^(29|30):\d\d$/);
  });

  await test.step("chọn đáp án, bấm “Lưu và tiếp”", async () => {
    await attempt.option(2).check({ force: true });
    await attempt.next.click();
    await expect(page).toHaveURL(/cau=2/);
    await expect(page.getByTestId("form-saved")).toContainText("Đã lưu câu 1");
    await expect(attempt.progress).toHaveText("Đã trả lời 1/20");
  });

  await test.step("quay lại câu 1: đáp án đã lưu trên máy chủ", async () => {
    await attempt.palette(0).click();
    await expect(page).toHaveURL(/cau=1/);
    await expect(attempt.option(2)).toBeChecked();
  });

  await test.step("nộp bài", async () => {
    await attempt.submit.click();
    await expect(page).toHaveURL(/\/ket-qua\/\d+$/);
    await new ResultPage(page).expectShown();
  });
});
