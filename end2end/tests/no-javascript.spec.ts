import { expect, test } from "./fixtures";
import { AttemptPage, becomeStaff, HomePage, PASSWORD, registerFromHome, RegisterPage, ResultPage, uniquePhone } from "./pages";

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

  await test.step("nộp bài: còn câu chưa trả lời nên được hỏi lại, rồi nộp", async () => {
    await attempt.submit.click();
    await expect(page.getByTestId("confirm-unanswered")).toContainText("1/20");
    await page.getByTestId("confirm-submit-yes").click();
    await expect(page).toHaveURL(/\/ket-qua\/\d+$/);
    await new ResultPage(page).expectShown();
  });
});

test("không có JavaScript: chọn rồi bấm số câu hoặc “Nộp bài” vẫn lưu đáp án", async ({ page }) => {
  const attempt = new AttemptPage(page);
  let attemptUrl = "";

  await test.step("đăng ký và bắt đầu", async () => {
    const home = await registerFromHome(page, {
      fullName: "Hồ Thị Lưu",
      birthDate: "1983-03-08",
      phone: uniquePhone(6),
      password: PASSWORD,
    });
    await home.startOpenRound();
    attemptUrl = page.url().split("?")[0];
    await expect(page.getByTestId("noscript-note")).toContainText("được lưu khi bạn chuyển sang câu khác");
  });

  await test.step("chọn ở câu 1 rồi bấm số câu 5 trên bảng câu hỏi", async () => {
    await attempt.option(1).check({ force: true });
    await attempt.palette(4).click();
    await expect(page).toHaveURL(/cau=5/);
    await expect(page.getByTestId("form-saved")).toContainText("Đã lưu câu 1");
    await attempt.expectAnswered(1);
  });

  await test.step("chọn ở câu 5 rồi bấm “Nộp bài”: lưu trước, hỏi lại vì còn câu chưa trả lời", async () => {
    await attempt.option(3).check({ force: true });
    await attempt.submit.click();
    await expect(page.getByTestId("confirm-submit")).toBeVisible();
    await expect(page.getByTestId("confirm-unanswered")).toContainText("2/20");
    await expect(page.getByTestId("confirm-unanswered")).toContainText("còn 18 câu");
  });

  await test.step("“Quay lại”: về câu 5, đáp án đã lưu", async () => {
    await page.getByTestId("confirm-submit-back").click();
    await expect(page).toHaveURL(/cau=5/);
    await expect(attempt.option(3)).toBeChecked();
    await attempt.expectAnswered(2);
  });

  await test.step("mở lại bài thi: bắt đầu ở câu đầu tiên chưa trả lời", async () => {
    await page.goto(attemptUrl);
    await expect(attempt.question).toContainText("Câu 2/20");
  });

  await test.step("nộp bài sau khi xác nhận; kết quả tính cả hai câu", async () => {
    await attempt.submit.click();
    await page.getByTestId("confirm-submit-yes").click();
    await expect(page).toHaveURL(/\/ket-qua\/\d+$/);
    await new ResultPage(page).expectShown();
  });
});

test("không có JavaScript: trang đối tượng báo lỗi cạnh ô; đăng ký có nơi công tác", async ({ page }) => {
  await test.step("Ban Tổ chức: chỉ tiêu đòi nhiều người hơn đơn vị có thì bị từ chối, nêu tên đơn vị", async () => {
    await becomeStaff(page, "Nông Văn Khung", 8, "admin");
    await page.goto("/quan-tri/doi-tuong");
    await page.getByTestId("positions").fill("Công chức");
    await page.getByTestId("quota-rules").fill("công chức >= 100000");
    await page.getByTestId("save-groups").click();
    await expect(page.getByTestId("error-quota_rules")).toContainText("đòi ít nhất 100000 người, nhưng");
  });

  await test.step("người dự thi chọn nơi công tác khác đơn vị dự thi", async () => {
    await page.context().clearCookies();
    const home = new HomePage(page);
    await page.goto("/dang-ky");
    const register = new RegisterPage(page);
    await register.fill({ fullName: "Vàng Thị Hai Nơi", birthDate: "1987-07-07", phone: uniquePhone(9), password: PASSWORD });
    await page.getByTestId("workplace").selectOption({ index: 2 });
    await register.submitExpectingSuccess();
    await expect(home.viewerName).toHaveText("Vàng Thị Hai Nơi");
  });
});
