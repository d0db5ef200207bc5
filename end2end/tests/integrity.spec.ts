import { expect, test } from "./fixtures";
import { becomeStaff, PASSWORD, RegisterPage, uniquePhone } from "./pages";

test.describe("không có JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("đăng ký bị từ chối: báo lỗi, giữ thông tin đã nhập, không đưa số điện thoại lên địa chỉ", async ({ page }) => {
    const phone = uniquePhone(6);
    const register = new RegisterPage(page);
    const fill = async (fullName: string) => {
      await page.goto("/dang-ky");
      await register.fill({ fullName, birthDate: "1991-09-02", phone, citizenId: "001191000777", password: PASSWORD });
      await register.submit.click();
    };
    await fill("Phạm Văn Một");
    await expect(page).toHaveURL(/\/$/);
    await page.context().clearCookies();
    await fill("Phạm Văn Hai");
    await expect(page.getByTestId("error")).toBeVisible();
    expect(page.url()).not.toContain(phone);
    expect(page.url()).not.toContain("001191000777");
    expect(page.url()).not.toContain("loi");
    await expect(page.getByTestId("phone")).toHaveValue(phone);
    await expect(page.getByTestId("full-name")).toHaveValue("Phạm Văn Hai");
    // A link cannot put its own text on the page.
    const planted = encodeURIComponent(JSON.stringify({ kind: "bad_request", detail: "Gọi 0999999999" }));
    await page.goto(`/dang-nhap?loi=${planted}`);
    await expect(page.locator("body")).not.toContainText("0999999999");
  });
});

test("Ban Tổ chức giữ đáp án khi vòng thi đang mở: trang ôn tập không lộ đáp án", async ({ page }) => {
  await becomeStaff(page, "Vũ Thị Giữ", 9, "admin");
  const choose = async (value: string) => {
    await page.goto("/quan-tri/cuoc-thi");
    const form = page.getByTestId("contest-form");
    await form.getByTestId("study-answers").selectOption(value);
    await form.getByRole("button", { name: "Lưu cài đặt" }).click();
    await expect(page.getByTestId("saved")).toBeVisible();
  };
  await choose("hold");
  // The other browser tests study the demo with its answers: publish them again whatever happens.
  try {
    await page.goto("/on-tap");
    const questions = page.getByTestId("study-question");
    await expect(questions.first()).toBeVisible();
    await expect(page.getByTestId("answer-held").first()).toBeVisible();
    await expect(page.locator("li.correct")).toHaveCount(0);
    await page.screenshot({ path: "artifacts/study-held.png", fullPage: false });
  } finally {
    await choose("publish");
  }
  await page.goto("/on-tap");
  await expect(page.getByTestId("answer-held")).toHaveCount(0);
});
