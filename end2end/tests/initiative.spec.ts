import { type Cookie, type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { grantRole, PASSWORD, registerFromHome, uniquePhone } from "./pages";

// A small but genuine PDF: the server recognises write-ups by their content.
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");

/** `datetime-local` value in Vietnam time, `minutes` from now. */
function vnLocal(minutes: number): string {
  return new Date(Date.now() + 7 * 3600_000 + minutes * 60_000).toISOString().slice(0, 16);
}

/** Registers someone (optionally giving them a role) and returns their session cookies. */
async function person(page: Page, name: string, salt: number, role?: string): Promise<Cookie[]> {
  await page.context().clearCookies();
  const phone = uniquePhone(salt);
  await registerFromHome(page, { fullName: name, birthDate: "1986-06-06", phone, password: PASSWORD });
  if (role) grantRole(phone, role);
  return page.context().cookies();
}

async function actAs(page: Page, cookies: Cookie[]): Promise<void> {
  await page.context().clearCookies();
  await page.context().addCookies(cookies);
}

test("sáng kiến: đơn vị nộp bài, giám khảo chấm, Ban Tổ chức công bố kết quả", async ({ page }) => {
  const name = `Sáng kiến cải cách hành chính ${Date.now() % 100_000}`;
  const title = "Số hoá hồ sơ một cửa bằng mã QR";
  const admin = await person(page, "Lê Văn Quản", 1, "admin");
  const unit = await person(page, "Trần Thị Hoà", 2);
  const juror = await person(page, "Phạm Văn Giám", 3, "juror");
  let id = "";

  await test.step("Ban Tổ chức tạo cuộc thi", async () => {
    await actAs(page, admin);
    await page.goto("/quan-tri/sang-kien?moi=1");
    await page.getByTestId("ini-name").fill(name);
    await page.getByTestId("ini-topics").fill("Cải cách thủ tục hành chính\nChuyển đổi số");
    await page.getByTestId("ini-rubric").fill("Tính mới: 10\nHiệu quả: 10");
    await page.getByTestId("ini-prizes").fill("Nhất:1, Nhì:1");
    await page.getByTestId("ini-requirements").fill("ward:1, school:2");
    await page.getByTestId("ini-deadline").fill(vnLocal(60));
    await page.getByTestId("ini-results-at").fill(vnLocal(120));
    await page.getByTestId("ini-save").click();
    await expect(page.getByTestId("saved")).toBeVisible();
    id = new URL(page.url()).searchParams.get("id") ?? "";
    expect(id).toMatch(/^\d+$/);
    await expect(page.getByTestId("shortfalls")).toBeVisible();
  });

  await test.step("người của đơn vị nộp bài kèm tệp PDF", async () => {
    await actAs(page, unit);
    await page.goto("/sang-kien");
    await page.getByRole("link", { name }).click();
    await expect(page).toHaveURL(new RegExp(`/sang-kien/${id}$`));
    await page.getByTestId("entry-open-form").click();
    await expect(page).toHaveURL(new RegExp(`/sang-kien/${id}/nop-bai$`));
    await page.getByTestId("entry-title").fill(title);
    await page.getByTestId("entry-topic").selectOption("Chuyển đổi số");
    await page.getByTestId("entry-lead").fill("Trần Thị Hoà");
    await page.getByTestId("entry-coauthors").fill("Lê Văn An, Phạm Thị Bình");
    await page.getByTestId("entry-writeup").setInputFiles({ name: "thuyet-minh.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByTestId("entry-submit").click();
    await expect(page.getByTestId("submitted")).toBeVisible();
    const mine = page.getByTestId("my-entry");
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText(title);
    await expect(mine.getByTestId("entry-file")).toHaveCount(1);
    await page.screenshot({ path: "artifacts/initiative-submitted.png", fullPage: true });
  });

  await test.step("giám khảo chấm bài theo tiêu chí", async () => {
    await actAs(page, juror);
    await page.goto(`/quan-tri/cham-sang-kien?id=${id}`);
    const card = page.getByTestId("jury-entry").filter({ hasText: title });
    await expect(card).toHaveCount(1);
    // The file is there for the jury, as a download.
    const file = await page.request.get(await card.getByTestId("entry-file").getAttribute("href") ?? "");
    expect(file.status()).toBe(200);
    expect(file.headers()["content-disposition"]).toContain("attachment");
    await card.getByTestId("score-0").fill("9");
    await card.getByTestId("score-1").fill("8");
    await card.getByTestId("score-save").click();
    await expect(page.getByTestId("scored")).toBeVisible();
    await expect(page.getByTestId("jury-entry").filter({ hasText: title }).getByTestId("already-scored")).toBeVisible();
  });

  await test.step("Ban Tổ chức đóng nhận bài, tính giải và công bố", async () => {
    await actAs(page, admin);
    await page.goto(`/quan-tri/sang-kien?id=${id}`);
    await expect(page.getByTestId("admin-entry").filter({ hasText: title }).getByTestId("combined")).toHaveText("17,00");
    // Closing submissions early: the deadline and the results time moved into the past.
    await page.getByTestId("ini-deadline").fill(vnLocal(-2));
    await page.getByTestId("ini-results-at").fill(vnLocal(-1));
    await page.getByTestId("ini-save").click();
    await expect(page.getByTestId("saved")).toBeVisible();
    await page.getByTestId("initiative-compute").click();
    await expect(page.getByTestId("computed")).toContainText("Đã tính 1 giải");
    await page.getByTestId("initiative-publish").click();
    await expect(page.getByTestId("published")).toBeVisible();
  });

  await test.step("kết quả công khai, tác giả chính được nêu tên", async () => {
    await page.context().clearCookies();
    await page.goto(`/sang-kien/${id}`);
    const award = page.getByTestId("initiative-award");
    await expect(award).toHaveCount(1);
    await expect(award).toContainText("Nhất");
    await expect(award).toContainText(title);
    await expect(award).toContainText("Trần Thị Hoà");
    await expect(award).toContainText("17,00");
    const href = (await award.getByTestId("entry-file").getAttribute("href")) ?? "";
    const file = await page.request.get(href);
    expect(file.status()).toBe(200);
    expect(file.headers()["x-content-type-options"]).toBe("nosniff");
    await page.screenshot({ path: "artifacts/initiative-results.png", fullPage: true });
  });
});

// A video-only entry from a phone (360 px), as plan 004 asks of Hòa Thành and Hòa Tân Đông:
// the upload bar shows while the file goes, the entry lists its video, and it can be edited
// (a photo added) and withdrawn before the deadline.
test("sáng kiến: đơn vị nộp bài chỉ có video trên điện thoại, sửa rồi rút bài", async ({ page }) => {
  // A small MP4: the server recognises videos by their content (an `ftyp` box).
  const video = Buffer.concat([Buffer.from("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "latin1"), Buffer.alloc(512 * 1024)]);
  const png = Buffer.from("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "latin1");
  const title = `Phóng sự một cửa ${Date.now() % 100_000}`;
  await person(page, "Nguyễn Thị Hòa Thành", 4);
  await page.goto("/sang-kien");
  await page.getByTestId("initiative").first().getByRole("link").click();
  await page.getByTestId("entry-open-form").click();
  await expect(page.getByTestId("initiative-form")).toBeVisible();

  await test.step("chọn video, không có bản thuyết minh, và nộp", async () => {
    await page.getByTestId("entry-title").fill(title);
    await page.getByTestId("entry-lead").fill("Nguyễn Thị Hòa Thành");
    await page.getByTestId("entry-video").setInputFiles({ name: "phong-su.mp4", mimeType: "video/mp4", buffer: video });
    // The upload bar takes over the form once the page is live.
    const bar = page.getByTestId("initiative-form").getByTestId("upload-progress");
    await expect(bar).toHaveAttribute("data-live", "true", { timeout: 30_000 });
    // Hold the upload's answer until the bar has been seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/sang-kien\/\d+\/nop$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId("entry-submit").click();
    await expect(bar.locator("progress")).toBeVisible();
    await expect(bar).toContainText(/Đang tải lên|Đã tải lên/);
    await page.screenshot({ path: "artifacts/initiative-video-uploading.png", fullPage: true });
    release();
    await expect(page.getByTestId("submitted")).toBeVisible();
    await page.unroute(/\/sang-kien\/\d+\/nop$/);
  });

  const mine = page.getByTestId("my-entry").filter({ hasText: title });
  await test.step("bài dự thi hiện video đã nộp", async () => {
    await expect(mine).toHaveCount(1);
    await expect(mine.getByTestId("entry-file")).toHaveText(["Video"]);
    await page.screenshot({ path: "artifacts/initiative-video-submitted.png", fullPage: true });
  });

  await test.step("sửa bài: thêm một ảnh", async () => {
    await mine.getByTestId("entry-edit-open").click();
    await expect(page).toHaveURL(/\/sang-kien\/bai\/\d+$/);
    const form = page.getByTestId("entry-edit-form");
    await expect(page.getByTestId("entry-title")).toHaveValue(title);
    await form.getByTestId("entry-images").setInputFiles({ name: "anh.png", mimeType: "image/png", buffer: png });
    await page.screenshot({ path: "artifacts/initiative-entry-edit.png", fullPage: true });
    await form.getByTestId("entry-edit-save").click();
    await expect(page.getByTestId("edited")).toBeVisible();
    await expect(mine.getByTestId("entry-file")).toHaveText(["Video", "Hình ảnh"]);
    await expect(mine.getByTestId("entry-state")).toContainText("phiên bản 2");
  });

  await test.step("rút bài", async () => {
    await mine.getByTestId("entry-edit-open").click();
    await page.getByTestId("entry-withdraw-confirm").check();
    await page.getByTestId("entry-withdraw").click();
    await expect(page.getByTestId("withdrawn")).toBeVisible();
    await expect(mine.getByTestId("entry-state")).toContainText("Đã rút");
    await expect(mine.getByTestId("entry-edit-open")).toHaveCount(0);
  });
});
