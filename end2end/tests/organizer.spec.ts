import { expect, test } from "./fixtures";
import { becomeStaff } from "./pages";

const UNIT_HEADER = "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Số người,Tỷ lệ bắt buộc (%)\n";

test("nhập danh sách đơn vị có dòng lỗi, sửa tệp rồi nhập lại", async ({ page }) => {
  const code = `T-${Date.now() % 1_000_000}`;
  const bad = `${UNIT_HEADER}${code},Trường Tiểu học Thử Nghiệm,Trường học,TX-HN,30,40\nX${code},Xã Thử Nghiệm,tập đoàn,${code},12,\n`;
  const row = page.locator(`[data-testid="unit"][data-code="${code}"]`);

  await becomeStaff(page, "Lê Văn Quản", 8, "admin");
  await page.goto("/quan-tri/don-vi");
  await expect(page.getByTestId("units")).toBeVisible();

  await test.step("tệp có một dòng sai: báo lỗi theo dòng, không nhập gì", async () => {
    await page.getByTestId("import-open").click();
    await page.getByTestId("import-file").setInputFiles({ name: "don-vi.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.getByTestId("import-upload").click();
    const errors = page.getByTestId("import-error");
    await expect(errors).toHaveCount(1);
    await expect(errors.first()).toContainText("3");
    await expect(errors.first()).toContainText("tập đoàn");
    await expect(row).toHaveCount(0);
  });

  await test.step("sửa tệp: hai đơn vị vào cây, đơn vị con dưới trường", async () => {
    await page.getByTestId("import-open").click();
    const fixed = bad.replace("tập đoàn", "Xã");
    await page.getByTestId("import-file").setInputFiles({ name: "don-vi.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
    await page.getByTestId("import-upload").click();
    await expect(page.getByTestId("imported")).toHaveText("Đã nhập 2 đơn vị.");
    await expect(row).toHaveAttribute("data-depth", "1");
    await expect(page.locator(`[data-testid="unit"][data-code="X${code}"]`)).toHaveAttribute("data-depth", "2");
    await page.screenshot({ path: "artifacts/units-page.png", fullPage: true });
  });
});

test("luyện tập không tính giờ: chọn đáp án rồi chấm điểm", async ({ page }) => {
  await page.goto("/on-tap");
  await page.getByTestId("practice-start").click();
  const questions = page.getByTestId("practice-question");
  await expect(questions).toHaveCount(20);
  await questions.nth(0).locator("input[type=radio]").first().check();
  await questions.nth(1).locator("input[type=radio]").nth(1).check();
  await page.getByTestId("practice-check").click();
  await expect(page.getByTestId("practice-score")).toContainText("/20 câu");
  await expect(questions.nth(0).locator("li.correct")).toHaveCount(1);
  await expect(questions.nth(0).locator(".explain")).toBeVisible();
});
