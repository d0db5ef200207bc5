import { expect, test } from "./fixtures";
import { AttemptPage, becomeStaff, PASSWORD, RegisterPage, ResultPage, uniquePhone } from "./pages";

/** A Vietnam-time `datetime-local` value, `hours` from now. */
function vnLocal(hours: number): string {
  const t = new Date(Date.now() + (hours + 7) * 3_600_000);
  return t.toISOString().slice(0, 16);
}

// The contest is created as a trial run, so the demo stays the one the home page features
// for the other tests sharing this server.
test("quản trị tạo cuộc thi từ đầu trên điện thoại, người dự thi làm bài", async ({ page }) => {
  const stamp = Date.now();
  const slug = `thi-thu-${stamp}`;
  const name = `Cuộc thi thử ${stamp}`;
  const settings = `/quan-tri/cuoc-thi?cuoc-thi=${slug}`;

  await test.step("tạo cuộc thi", async () => {
    await becomeStaff(page, "Đỗ Quản Trị", 8, "admin");
    await page.goto("/quan-tri/cac-cuoc-thi");
    await page.getByTestId("new-contest-name").fill(name);
    await page.getByTestId("new-contest-slug").fill(slug);
    await page.getByTestId("create-contest").locator('input[name="is_trial"]').check();
    await page.getByTestId("create-contest-submit").click();
    await expect(page).toHaveURL(new RegExp(`cuoc-thi=${slug}`));
    await expect(page.getByTestId("saved")).toBeVisible();
  });

  await test.step("thêm chủ đề, đặt 3 câu mỗi lượt", async () => {
    await page.getByTestId("add-topic").locator('input[name="name"]').fill("Chuyển đổi số");
    await page.getByTestId("add-topic").getByRole("button").click();
    await expect(page.getByTestId("topic")).toHaveCount(1);
    const form = page.getByTestId("contest-form");
    await form.locator('input[name="input[questions_per_attempt]"]').fill("3");
    await form.locator('input[name="input[time_limit_minutes]"]').fill("10");
    // The prizes as rows: a name, how many, the money per winner.
    const prizes = form.getByTestId("round-prizes");
    await prizes.locator('input[name="input[round_prize_rows][0][name]"]').fill("Nhất");
    await prizes.locator('input[name="input[round_prize_rows][0][count]"]').fill("1");
    await prizes.locator('input[name="input[round_prize_rows][0][amount]"]').fill("500000");
    await form.getByRole("button", { name: "Lưu cài đặt" }).click();
    await expect(page.getByTestId("saved")).toBeVisible();
    const saved = page.getByTestId("contest-form").getByTestId("round-prizes");
    await expect(saved.locator('input[name="input[round_prize_rows][0][amount]"]')).toHaveValue("500.000");
  });

  await test.step("nhập câu hỏi vào ngân hàng của cuộc thi này", async () => {
    await page.goto(`/quan-tri/cau-hoi?cuoc-thi=${slug}`);
    await page.getByTestId("import-open").click();
    let csv = "Chủ đề,Mức độ,Câu hỏi,Phương án A,Phương án B,Đáp án\n";
    for (let i = 1; i <= 4; i++) csv += `Chuyển đổi số,1,Câu ${stamp} số ${i}?,Đúng,Sai,A\n`;
    await page.getByTestId("import-file").setInputFiles({ name: "cau-hoi.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("import-upload").click();
    await expect(page.getByTestId("imported")).toHaveText("Đã nhập 4 câu hỏi.");
    await expect(page).toHaveURL(new RegExp(`cuoc-thi=${slug}`));
  });

  await test.step("thêm vòng thi đang mở", async () => {
    await page.goto(settings);
    const round = page.getByTestId("round-admin").last();
    await round.locator('input[name="name"]').fill("Vòng thử");
    await round.locator('input[name="opens_at"]').fill(vnLocal(-1));
    await round.locator('input[name="closes_at"]').fill(vnLocal(24));
    await round.getByRole("button", { name: "Thêm vòng thi" }).click();
    await expect(page.getByTestId("saved")).toBeVisible();
    await expect(page.getByTestId("round-admin")).toHaveCount(2);
  });

  await test.step("người dự thi vào trang cuộc thi và làm bài", async () => {
    await page.context().clearCookies();
    await page.goto("/dang-ky");
    const register = new RegisterPage(page);
    await register.fill({ fullName: "Mai Thị Thử", birthDate: "1992-02-02", phone: uniquePhone(9), password: PASSWORD });
    await register.submitExpectingSuccess();
    await page.goto(`/cuoc-thi/${slug}`);
    await expect(page.getByTestId("contest-name")).toHaveText(name);
    await page.getByTestId("round").first().getByTestId("start").click();
    await expect(page).toHaveURL(/\/bai-thi\/\d+(\?.*)?$/);
    const attempt = new AttemptPage(page);
    await attempt.waitForHydration();
    await attempt.choose(0);
    await attempt.expectSaved();
    await attempt.expectAnswered(1, 3);
    await attempt.submitAndConfirm();
    await new ResultPage(page).expectShown();
  });
});
