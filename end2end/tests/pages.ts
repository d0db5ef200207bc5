// Small page objects for the cuocthi end-to-end tests.
// Everything is located by data-testid (page.getByTestId), which is the app's test contract.
import { expect, type Locator, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";

export const CONTEST_NAME = "Tìm hiểu về cải cách hành chính và chuyển đổi số";
export const PASSWORD = "mat-khau-e2e-1";
export const SAVED = "✓ Đã lưu";
export const NOT_SENT = "Chưa gửi được";

/** The WASM island can take a while to download and hydrate on a slow machine. */
export const HYDRATION_TIMEOUT = 30_000;

/**
 * A phone number ("09" + 8 digits) that is unique per run and per test:
 * seven digits from the clock plus a one-digit salt, so two tests of one run never collide.
 */
export function uniquePhone(salt: number): string {
  return "09" + String(Date.now()).slice(-7) + String(salt % 10);
}

export interface Registration {
  fullName: string;
  birthDate: string; // yyyy-mm-dd, as an <input type=date> takes it
  phone: string;
  citizenId?: string;
  password: string;
}

export class HomePage {
  readonly contestName: Locator;
  readonly goRegister: Locator;
  readonly goLogin: Locator;
  readonly viewerName: Locator;
  readonly rounds: Locator;

  constructor(readonly page: Page) {
    this.contestName = page.getByTestId("contest-name");
    this.goRegister = page.getByTestId("go-register");
    this.goLogin = page.getByTestId("go-login");
    this.viewerName = page.getByTestId("viewer-name");
    this.rounds = page.getByTestId("round");
  }

  async goto(): Promise<void> {
    await this.page.goto("/");
    await expect(this.contestName).toContainText(CONTEST_NAME);
  }

  /** The open round is the first card. */
  openRound(): Locator {
    return this.rounds.first();
  }

  /** Starts (a plain form POST) the open round and waits for the attempt page. */
  async startOpenRound(): Promise<void> {
    const start = this.openRound().getByTestId("start");
    await expect(start).toBeVisible();
    await start.click();
    await expect(this.page).toHaveURL(/\/bai-thi\/\d+(\?.*)?$/);
  }
}

export class RegisterPage {
  readonly fullName: Locator;
  readonly birthDate: Locator;
  readonly phone: Locator;
  readonly citizenId: Locator;
  readonly unit: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.fullName = page.getByTestId("full-name");
    this.birthDate = page.getByTestId("birth-date");
    this.phone = page.getByTestId("phone");
    this.citizenId = page.getByTestId("citizen-id");
    this.unit = page.getByTestId("unit");
    this.password = page.getByTestId("password");
    this.submit = page.getByTestId("submit-register");
    this.error = page.getByTestId("error");
  }

  fieldError(field: string): Locator {
    return this.page.getByTestId(`error-${field}`);
  }

  async fill(r: Registration): Promise<void> {
    await this.fullName.fill(r.fullName);
    await this.birthDate.fill(r.birthDate);
    await this.phone.fill(r.phone);
    if (r.citizenId !== undefined) await this.citizenId.fill(r.citizenId);
    await this.unit.selectOption({ index: 1 });
    await this.password.fill(r.password);
  }

  /**
   * Submits and waits until the browser is either home (success) or back on /dang-ky (error).
   * On error the test fails with the messages the page showed, which is easier to read than a timeout.
   */
  async submitExpectingSuccess(): Promise<void> {
    await this.submit.click();
    await this.page.waitForURL((url) => url.pathname === "/" || url.pathname.startsWith("/dang-ky"));
    if (new URL(this.page.url()).pathname !== "/") {
      const messages = await this.page.locator('[data-testid^="error"]').allInnerTexts();
      throw new Error(`Đăng ký thất bại tại ${this.page.url()}: ${messages.join(" | ") || "(không có thông báo lỗi)"}`);
    }
  }
}

export class AttemptPage {
  readonly quiz: Locator;
  readonly countdown: Locator;
  readonly progress: Locator;
  readonly question: Locator;
  readonly questionText: Locator;
  readonly saveStatus: Locator;
  readonly next: Locator;
  readonly prev: Locator;
  readonly offlineBanner: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.quiz = page.getByTestId("quiz");
    this.countdown = page.getByTestId("countdown");
    this.progress = page.getByTestId("progress");
    this.question = page.getByTestId("question");
    this.questionText = page.getByTestId("question-text");
    this.saveStatus = page.getByTestId("save-status");
    this.next = page.getByTestId("next");
    this.prev = page.getByTestId("prev");
    this.offlineBanner = page.getByTestId("offline-banner");
    this.submit = page.getByTestId("submit-attempt");
  }

  /** Always call before interacting: until then clicks would do plain (non-JS) form posts. */
  async waitForHydration(): Promise<void> {
    await expect(this.page.locator('[data-testid="quiz"][data-hydrated="true"]')).toBeVisible({
      timeout: HYDRATION_TIMEOUT,
    });
  }

  option(index: number): Locator {
    return this.question.getByTestId(`option-${index}`);
  }

  palette(index: number): Locator {
    return this.page.getByTestId(`palette-${index}`);
  }

  /**
   * Chooses an option by tapping its radio where a person sees it: not forced, so a tap that
   * would land on something else (the sticky timer bar over it) waits and scrolls instead.
   * A tap can land on the neighbouring option when the page shifts under it (the stylesheet or
   * the island arriving); then the person taps again, as this does.
   */
  async choose(index: number): Promise<void> {
    await expect(async () => {
      await this.option(index).check({ timeout: 2_000 });
      await expect(this.option(index)).toBeChecked({ timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
  }

  async expectSaved(timeout = 10_000): Promise<void> {
    await expect(this.saveStatus).toHaveText(SAVED, { timeout });
  }

  /**
   * Moves to the next question and waits until another question is shown, from its top: the
   * question starts on screen, below the sticky timer bar, not scrolled past.
   */
  async goNext(): Promise<void> {
    const before = await this.questionText.innerText();
    await this.next.click();
    await expect(this.questionText).not.toHaveText(before);
    await this.expectQuestionTopInView();
  }

  async expectQuestionTopInView(): Promise<void> {
    await expect
      .poll(() =>
        this.page.evaluate(() => {
          const bar = document.querySelector(".quiz-bar")?.getBoundingClientRect();
          const form = document.getElementById("answer-form")?.getBoundingClientRect();
          if (!bar || !form) return "no quiz";
          return form.top >= bar.bottom - 1 && form.top < window.innerHeight
            ? "in view"
            : `question top at ${form.top} px, timer bar to ${bar.bottom} px`;
        }),
      )
      .toBe("in view");
  }

  /**
   * Jumps to a question with the palette (client-side once hydrated).
   * Callers follow with a retrying assertion on the question shown.
   */
  async jumpTo(index: number): Promise<void> {
    await this.palette(index).click();
  }

  async expectAnswered(n: number, total = 20): Promise<void> {
    await expect(this.progress).toHaveText(`Đã trả lời ${n}/${total}`);
  }

  /** Submits, accepting the window.confirm dialog, and waits for the result page. */
  async submitAndConfirm(): Promise<void> {
    this.page.once("dialog", (d) => void d.accept());
    await this.submit.click();
    await expect(this.page).toHaveURL(/\/ket-qua\/\d+(\?.*)?$/, { timeout: 20_000 });
  }
}

export class ResultPage {
  readonly result: Locator;
  readonly score: Locator;
  readonly correct: Locator;
  readonly elapsed: Locator;

  constructor(readonly page: Page) {
    this.result = page.getByTestId("result");
    this.score = page.getByTestId("score");
    this.correct = page.getByTestId("correct");
    this.elapsed = page.getByTestId("elapsed");
  }

  async expectShown(): Promise<void> {
    await expect(this.result).toBeVisible();
    await expect(this.correct).toHaveText(/^\d+$/);
    await expect(this.score).toHaveText(/^\d+$/);
    await expect(this.elapsed).toContainText("giây");
  }
}

/** Registers a new contestant from the home page and checks that the browser is home and logged in. */
export async function registerFromHome(page: Page, r: Registration): Promise<HomePage> {
  const home = new HomePage(page);
  await home.goto();
  await home.goRegister.click();
  await expect(page).toHaveURL(/\/dang-ky/);
  const register = new RegisterPage(page);
  await register.fill(r);
  await register.submitExpectingSuccess();
  await expect(home.viewerName).toHaveText(r.fullName);
  return home;
}

// Organizer roles are granted from the command line (`cuocthi grant-role`), on the database
// the test server uses; scripts/test passes both in the environment.
export function grantRole(phone: string, role: string): void {
  const bin = process.env.CUOCTHI_BIN;
  const db = process.env.E2E_DATABASE_URL;
  if (!bin || !db) throw new Error("CUOCTHI_BIN and E2E_DATABASE_URL must be set (scripts/test sets them)");
  execFileSync(bin, ["grant-role", phone, role], { env: { ...process.env, DATABASE_URL: db }, stdio: "pipe" });
}

/** Registers a new person, gives them an organizer role and opens the question bank. */
export async function becomeStaff(page: Page, name: string, salt: number, role: string): Promise<void> {
  await page.context().clearCookies();
  const phone = uniquePhone(salt);
  await registerFromHome(page, { fullName: name, birthDate: "1985-05-05", phone, password: PASSWORD });
  grantRole(phone, role);
  await page.goto("/quan-tri/cau-hoi");
  await expect(page.getByTestId("bank-list")).toBeVisible();
}
