import { expect, test } from "./fixtures";
import { AttemptPage, becomeStaff, PASSWORD, ResultPage, uniquePhone } from "./pages";

/** A Vietnam-time `datetime-local` value, `hours` from now. */
function vnLocal(hours: number): string {
  const t = new Date(Date.now() + (hours + 7) * 3_600_000);
  return t.toISOString().slice(0, 16);
}

// A province's contest: the organizer lists categories and positions, a participation rule and
// a unit's roster; a participant finds their unit by typing without diacritics, names their
// category and position at their first start, and the organizer sees the roster entry matched.
// The contest is a trial run, so the demo stays the one the other tests see.
test("người dự thi tìm đơn vị không dấu, chọn đối tượng và chức vụ; Ban Tổ chức thấy danh sách khớp", async ({ page }) => {
  const stamp = Date.now();
  const slug = `tinh-thu-${stamp}`;
  const code = `PT-${stamp % 1_000_000}`;
  const unitName = `Phường Thử Nghiệm ${stamp % 1_000_000}`;
  const phone = uniquePhone(4);
  const people = `/quan-tri/doi-tuong?cuoc-thi=${slug}`;

  await test.step("Ban Tổ chức tạo cuộc thi, đơn vị, đối tượng, chức vụ, chỉ tiêu và danh sách", async () => {
    await becomeStaff(page, "Y Quản Trị", 2, "admin");
    await page.goto("/quan-tri/cac-cuoc-thi");
    await page.getByTestId("new-contest-name").fill(`Cuộc thi cấp tỉnh ${stamp}`);
    await page.getByTestId("new-contest-slug").fill(slug);
    await page.getByTestId("create-contest").locator('input[name="is_trial"]').check();
    await page.getByTestId("create-contest-submit").click();
    await expect(page.getByTestId("saved")).toBeVisible();
    await page.getByTestId("add-topic").locator('input[name="name"]').fill("Cải cách hành chính");
    await page.getByTestId("add-topic").getByRole("button").click();
    const form = page.getByTestId("contest-form");
    await form.locator('input[name="input[questions_per_attempt]"]').fill("2");
    await form.getByRole("button", { name: "Lưu cài đặt" }).click();
    await expect(page.getByTestId("saved")).toBeVisible();
    await page.goto(`/quan-tri/cau-hoi?cuoc-thi=${slug}`);
    await page.getByTestId("import-open").click();
    let csv = "Chủ đề,Mức độ,Câu hỏi,Phương án A,Phương án B,Đáp án\n";
    for (let i = 1; i <= 3; i++) csv += `Cải cách hành chính,1,Câu ${stamp} số ${i}?,Đúng,Sai,A\n`;
    await page.getByTestId("import-file").setInputFiles({ name: "cau-hoi.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("import-upload").click();
    await expect(page.getByTestId("imported")).toHaveText("Đã nhập 3 câu hỏi.");
    await page.goto(`/quan-tri/cuoc-thi?cuoc-thi=${slug}`);
    const round = page.getByTestId("round-admin").last();
    await round.locator('input[name="name"]').fill("Tuần 1");
    await round.locator('input[name="opens_at"]').fill(vnLocal(-1));
    await round.locator('input[name="closes_at"]').fill(vnLocal(24));
    await round.getByRole("button", { name: "Thêm vòng thi" }).click();
    await expect(page.getByTestId("saved")).toBeVisible();

    await page.goto("/quan-tri/don-vi");
    await page.getByTestId("unit-code").fill(code);
    await page.getByTestId("unit-name").fill(unitName);
    await page.getByTestId("unit-kind").selectOption("ward");
    await page.getByTestId("unit-headcount").fill("20");
    await page.getByTestId("unit-save").click();
    await expect(page.getByTestId("saved")).toBeVisible();

    await page.goto(people);
    await page.getByTestId("categories").fill("Cán bộ, công chức, viên chức | bắt buộc\nNgười dân | khuyến khích | 18");
    await page.getByTestId("positions").fill("Lãnh đạo đơn vị\nCông chức\nMột cửa");
    await page.getByTestId("quota-rules").fill("xã, phường: lãnh đạo đơn vị >= 1; công chức + một cửa >= 30%");
    await page.getByTestId("save-groups").click();
    await expect(page.getByTestId("saved")).toBeVisible();
    await page.getByTestId("roster-import-open").click();
    const roster = `Mã đơn vị,Họ và tên,Chức vụ,Ngày sinh,Số điện thoại,Số CCCD\n${code},Hà Thị Tìm,Một cửa,,${phone},\n${code},Vi Văn Vắng,Lãnh đạo đơn vị,,,066090001234\n`;
    await page.getByTestId("import-file").setInputFiles({ name: "danh-sach.csv", mimeType: "text/csv", buffer: Buffer.from(roster) });
    await page.getByTestId("import-upload").click();
    await expect(page.getByTestId("imported")).toHaveText("Đã nhập 2 người.");
    await expect(page.getByTestId("roster-entry")).toHaveCount(2);
    await expect(page.getByTestId("roster-entry").first()).toHaveAttribute("data-status", "Chưa đăng ký");
  });

  await test.step("người dự thi tìm đơn vị của mình không cần gõ dấu", async () => {
    await page.context().clearCookies();
    await page.goto("/dang-ky");
    await page.getByTestId("unit-search").fill(`phuong thu nghiem ${stamp % 1_000_000}`);
    await page.getByRole("button", { name: "Tìm đơn vị" }).click();
    await expect(page.getByTestId("unit-found")).toHaveText("Tìm thấy 1 đơn vị.");
    await expect(page.getByTestId("unit").locator("option:checked")).toHaveText(unitName);
    await page.getByTestId("full-name").fill("Hà Thị Tìm");
    await page.getByTestId("birth-date").fill("1990-09-02");
    await page.getByTestId("phone").fill(phone);
    await page.getByTestId("password").fill(PASSWORD);
    await page.screenshot({ path: "artifacts/register-unit-search.png", fullPage: true });
    await page.getByTestId("submit-register").click();
    await expect(page.getByTestId("viewer-name")).toHaveText("Hà Thị Tìm");
  });

  await test.step("lần đầu bắt đầu thi: chọn đối tượng và chức vụ", async () => {
    await page.goto(`/cuoc-thi/${slug}`);
    const card = page.getByTestId("round").first();
    await card.getByTestId("category").selectOption({ label: "Cán bộ, công chức, viên chức" });
    await card.getByTestId("position").selectOption({ label: "Một cửa" });
    await card.getByTestId("start").click();
    await expect(page).toHaveURL(/\/bai-thi\/\d+(\?.*)?$/);
    const attempt = new AttemptPage(page);
    await attempt.waitForHydration();
    await attempt.choose(0);
    await attempt.expectSaved();
    await attempt.submitAndConfirm();
    await new ResultPage(page).expectShown();
    await page.goto(`/cuoc-thi/${slug}`);
    await expect(page.getByTestId("my-profile")).toContainText("Cán bộ, công chức, viên chức · Một cửa");
  });

  await test.step("Ban Tổ chức thấy người trong danh sách đã dự thi, đơn vị còn thiếu chỉ tiêu", async () => {
    await becomeStaff(page, "Y Quản Trị Hai", 3, "admin");
    await page.goto(people);
    const entry = page.getByTestId("roster-entry").filter({ hasText: "Hà Thị Tìm" });
    await expect(entry).toHaveAttribute("data-status", "Đã dự thi");
    const unit = page.getByTestId("compliance").filter({ hasText: unitName });
    await expect(unit).toContainText("Chưa đạt 1 chỉ tiêu");
    await expect(unit.getByTestId("compliance-line").first()).toContainText("✗ Lãnh đạo đơn vị ≥ 1: 0/1 người (danh sách 1)");
    await page.screenshot({ path: "artifacts/people-page.png", fullPage: true });
  });
});
