import { expect, test } from "./fixtures";
import { becomeStaff } from "./pages";

const HEADER = "Chủ đề,Mức độ,Câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án,Giải thích,Căn cứ\n";

test("soạn thảo, thẩm định, nhập tệp câu hỏi có dòng lỗi rồi nhập lại", async ({ page }) => {
  const text = `Câu hỏi thử nghiệm ${Date.now()}: Cổng Dịch vụ công quốc gia có địa chỉ nào?`;
  const card = () => page.getByTestId("bank-question").filter({ hasText: text });

  await test.step("tác giả soạn câu hỏi và gửi thẩm định", async () => {
    await becomeStaff(page, "Phan Thị Soạn", 5, "author");
    await page.getByTestId("new-question").click();
    await page.getByTestId("draft-text").fill(text);
    await page.getByTestId("draft-option-0").fill("dichvucong.gov.vn");
    await page.getByTestId("draft-option-1").fill("congdichvu.vn");
    await page.getByTestId("draft-option-2").fill("dvc.gov.com");
    await page.getByTestId("draft-option-3").fill("dichvucong.com.vn");
    await page.getByTestId("draft-correct").selectOption("A");
    await page.getByTestId("draft-explanation").fill("Địa chỉ chính thức của Cổng Dịch vụ công quốc gia.");
    await page.getByTestId("draft-save").click();
    await expect(page).toHaveURL(/status=draft/);
    await expect(card()).toHaveAttribute("data-status", "draft");
    await card().getByRole("button", { name: "Gửi thẩm định" }).click();
    await page.goto("/quan-tri/cau-hoi?status=in_review");
    await expect(card()).toHaveAttribute("data-status", "in_review");
  });

  await test.step("người thẩm định duyệt câu hỏi", async () => {
    await becomeStaff(page, "Võ Văn Định", 6, "reviewer");
    await page.goto("/quan-tri/cau-hoi?status=in_review");
    await card().getByRole("button", { name: "Duyệt" }).click();
    await page.goto("/quan-tri/cau-hoi?status=approved");
    await expect(card()).toHaveAttribute("data-status", "approved");
  });

  // The questions approved here join the demo contest's draw and study bank. The other browser
  // tests pick any of four options on whatever question is drawn and expect an explanation after
  // checking: every question here has four options and an explanation, like the demo's.
  const stamp = Date.now();
  const bad =
    HEADER +
    `Dịch vụ công trực tuyến,1,Câu nhập ${stamp} số một?,Có,Không,Tùy nơi,Chưa quy định,A,Giải thích câu một.,\n` +
    `Dịch vụ công trực tuyến,1,Câu nhập ${stamp} số hai?,Có,Không,Tùy nơi,Chưa quy định,,Giải thích câu hai.,\n`;

  await test.step("quản trị nhập tệp có một dòng lỗi: báo lỗi theo dòng, không nhập gì", async () => {
    await becomeStaff(page, "Lê Quản Trị", 7, "admin");
    await page.getByTestId("import-open").click();
    await page.getByTestId("import-file").setInputFiles({ name: "cau-hoi.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.getByTestId("import-upload").click();
    const errors = page.getByTestId("import-error");
    await expect(errors).toHaveCount(1);
    await expect(errors.first()).toContainText("3");
    await expect(errors.first()).toContainText("Đáp án");
    await expect(errors.first()).toContainText("Thiếu đáp án đúng.");
    await page.goto(`/quan-tri/cau-hoi?q=${encodeURIComponent(`cau nhap ${stamp}`)}`);
    await expect(page.getByTestId("bank-question")).toHaveCount(0);
  });

  await test.step("sửa tệp và nhập lại: đủ hai câu, tìm được không dấu", async () => {
    const fixed = bad.replace("Chưa quy định,,Giải thích câu hai.,\n", "Chưa quy định,B,Giải thích câu hai.,\n");
    await page.goto("/quan-tri/cau-hoi");
    await page.getByTestId("import-open").click();
    await page.getByTestId("import-file").setInputFiles({ name: "cau-hoi.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
    await page.getByTestId("import-upload").click();
    await expect(page.getByTestId("imported")).toHaveText("Đã nhập 2 câu hỏi.");
    await page.getByTestId("bank-search").fill(`cau nhap ${stamp}`);
    await page.getByRole("button", { name: "Tìm" }).click();
    await expect(page.getByTestId("bank-question")).toHaveCount(2);
  });
});
