import { expect, test } from "./fixtures";
import { spawn } from "node:child_process";
import { HomePage, PASSWORD, registerFromHome, uniquePhone } from "./pages";

// A start the server turns away because the database is busy (here its write lock, held from
// outside by the sqlite3 shell, as a crowd starting in the same instant would hold it) comes
// back as a message, and the page sends the start again by itself: the person taps once.
test("máy chủ bận khi bắt đầu: trang tự gửi lại, không cần bấm lần nữa", async ({ page }) => {
  const url = process.env.E2E_DATABASE_URL;
  if (!url?.startsWith("sqlite://")) throw new Error("E2E_DATABASE_URL must name the test server's SQLite file");
  test.setTimeout(90_000);
  const home = new HomePage(page);
  await registerFromHome(page, {
    fullName: "Lê Thị Chờ",
    birthDate: "1992-09-02",
    phone: uniquePhone(8),
    password: PASSWORD,
  });

  const lock = spawn("sqlite3", [url.slice("sqlite://".length)], { stdio: ["pipe", "pipe", "inherit"] });
  const release = () => {
    if (lock.exitCode === null && lock.stdin.writable) {
      lock.stdin.write("COMMIT;\n");
      lock.stdin.end();
    }
  };
  try {
    await test.step("ai đó giữ khóa ghi của cơ sở dữ liệu", async () => {
      const locked = new Promise<void>((resolve, reject) => {
        lock.stdout.on("data", (d: Buffer) => d.toString().includes("locked") && resolve());
        lock.on("exit", (code) => reject(new Error(`sqlite3 exited (${code}) before taking the lock`)));
      });
      lock.stdin.write("PRAGMA busy_timeout = 30000;\nBEGIN IMMEDIATE;\nSELECT 'locked';\n");
      await locked;
    });

    await test.step("bấm bắt đầu một lần: máy chủ báo bận, trang báo sẽ tự thử lại", async () => {
      await home.openRound().getByTestId("start").click();
      await expect(page.getByTestId("busy-retry")).toContainText("tự động thử lại", { timeout: 40_000 });
      await expect(page).not.toHaveURL(/\/bai-thi\//);
    });

    await test.step("khóa được nhả: trang tự gửi lại và vào bài thi", async () => {
      release();
      await expect(page).toHaveURL(/\/bai-thi\/\d+(\?.*)?$/, { timeout: 40_000 });
      await expect(page.getByTestId("quiz")).toBeVisible();
    });
  } finally {
    release();
  }
});
