//! The attempt screen: the one island that ships to the browser.
//! Long because it is one island: the markup (~270 lines) and, in `mod client`, the browser half
//! it drives (autosave, offline queue, countdown, choices made before hydration; ~350 lines).
//!
//! Rendered on the server it is a plain form (one question, radio buttons, "save and next"),
//! which works before or without the WASM. Once hydrated it autosaves every choice at once,
//! keeps unsent choices in localStorage while offline and retries, shows "Đã lưu" only after
//! the server confirmed, and counts down from the server's deadline on the server's clock.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::attempt::{result_path, SaveAnswerForm};
use crate::model::{format_countdown, AttemptView};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing chosen, nothing to save.
    Empty,
    /// The server confirmed the current choice.
    Saved,
    /// Sent or about to be sent.
    Saving,
    /// Kept on this device until the connection returns.
    Waiting,
    /// The server refused the choice for good (with its message): it will not be resent.
    Refused(String),
}

impl SaveState {
    /// The status line under the question: its class (one colour per state), icon and text.
    fn status(&self) -> (&'static str, &'static str, String) {
        match self {
            SaveState::Empty => ("", "", String::new()),
            SaveState::Saved => ("saved", "✓", "Đã lưu".into()),
            SaveState::Saving => ("pending", "↻", "Đang lưu…".into()),
            SaveState::Waiting => (
                "pending",
                "⏳",
                "Chưa gửi được — đã giữ trên máy, sẽ tự gửi lại".into(),
            ),
            SaveState::Refused(why) => ("refused", "✕", format!("Không lưu được: {why}")),
        }
    }
}

const LETTERS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

#[island]
pub fn Quiz(attempt: AttemptView, start: u32) -> impl IntoView {
    let total = attempt.questions.len() as u32;
    let attempt_id = attempt.attempt_id;
    let questions = StoredValue::new(attempt.questions.clone());
    let current = RwSignal::new(start.min(total.saturating_sub(1)));
    // What the person did on the server-rendered form before the script arrived, read before
    // hydration resets the radio buttons. It is applied (and saved) once the island runs:
    // the first render must match the server's HTML.
    #[cfg(feature = "hydrate")]
    let early = client::form_before_start();
    #[cfg(feature = "hydrate")]
    let early_choice = early.choice.filter(|&(seq, choice)| {
        attempt
            .answers
            .get(seq as usize)
            .is_some_and(|a| *a != Some(choice))
    });
    let answers = RwSignal::new(attempt.answers.clone());
    let states = RwSignal::new(
        attempt
            .answers
            .iter()
            .map(|a| {
                if a.is_some() {
                    SaveState::Saved
                } else {
                    SaveState::Empty
                }
            })
            .collect::<Vec<_>>(),
    );
    let remaining = RwSignal::new((attempt.deadline_ms - attempt.server_now_ms).max(0));
    let offline = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let hydrated = RwSignal::new(false);
    // The answer to the prediction question, sent with the submission.
    let prediction = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    if let Some(typed) = early.prediction {
        prediction.set(typed);
    }
    let prediction_prompt = attempt.prediction_prompt.clone();
    // Choices not yet confirmed by the server, by question.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let pending = RwSignal::new(BTreeMap::<u32, Option<u8>>::new());

    #[cfg(feature = "hydrate")]
    let ctx = client::Ctx {
        attempt_id,
        deadline_ms: attempt.deadline_ms,
        server_now_ms: attempt.server_now_ms,
        answers,
        states,
        pending,
        remaining,
        offline,
        message,
        hydrated,
        prediction,
    };
    #[cfg(feature = "hydrate")]
    client::start(ctx, early_choice);

    let choose = move |seq: u32, choice: u8| {
        answers.update(|a| {
            if let Some(slot) = a.get_mut(seq as usize) {
                *slot = Some(choice);
            }
        });
        #[cfg(feature = "hydrate")]
        client::queue(ctx, seq, Some(choice));
    };

    let go = move |ev: leptos::ev::MouseEvent, to: u32| {
        if hydrated.get_untracked() {
            ev.prevent_default();
            current.set(to.min(total.saturating_sub(1)));
            #[cfg(feature = "hydrate")]
            client::bring_question_into_view();
        }
    };

    let answered = move || answers.with(|a| a.iter().filter(|x| x.is_some()).count());

    let question = move || {
        let seq = current.get();
        let q = questions.with_value(|qs| qs.get(seq as usize).cloned());
        let Some(q) = q else { return ().into_any() };
        let chosen = answers.with(|a| a.get(seq as usize).copied().flatten());
        let options = q
            .options
            .iter()
            .enumerate()
            .map(|(pos, text)| {
                let pos = pos as u8;
                view! {
                    <label class="option" class:chosen=chosen == Some(pos)>
                        <input type="radio" name="choice" value=pos.to_string()
                            // The attribute serves the server-rendered form; the property keeps
                            // the browser's own checked state in step when the view is reused.
                            checked=chosen == Some(pos) prop:checked=chosen == Some(pos)
                            data-testid=format!("option-{pos}")
                            on:change=move |_| choose(seq, pos)/>
                        <span class="letter">{LETTERS[usize::from(pos) % 6]}</span>
                        <span class="option-text">{text.clone()}</span>
                    </label>
                }
            })
            .collect_view();
        view! {
            // The palette and "Nộp bài" belong to this form too (form="answer-form"), so without
            // JavaScript every way off the question saves the choice first.
            <form id="answer-form" class="question card" method="post" action=SaveAnswerForm::url() data-testid="question">
                <input type="hidden" name="attempt_id" value=attempt_id.to_string()/>
                <input type="hidden" name="seq" value=seq.to_string()/>
                <p class="q-meta">{format!("Câu {}/{} · {}", seq + 1, total, q.topic)}</p>
                <h2 class="q-text" data-testid="question-text">{q.text.clone()}</h2>
                <fieldset class="options">
                    <legend class="sr-only">"Chọn một đáp án"</legend>
                    {options}
                </fieldset>
                {move || {
                    let (class, icon, text) = states
                        .with(|s| s.get(seq as usize).map(SaveState::status))
                        .unwrap_or(("", "", String::new()));
                    view! {
                        <p class=format!("save-state {class}") data-testid="save-status" data-state=class
                            aria-live="polite">
                            <span class="state-icon" aria-hidden="true">{icon}</span>{(!icon.is_empty()).then_some(" ")}{text}
                        </p>
                    }
                }}
                <div class="nav">
                    <button type="submit" name="go" value=seq.saturating_sub(1).to_string() class="button"
                        disabled=seq == 0 data-testid="prev"
                        on:click=move |ev| go(ev, seq.saturating_sub(1))>"‹ Câu trước"</button>
                    <button type="submit" name="go" value=(seq + 1).min(total - 1).to_string() class="button primary"
                        data-testid="next"
                        on:click=move |ev| go(ev, seq + 1)>
                        {if seq + 1 < total { "Lưu và tiếp ›" } else { "Lưu" }}
                    </button>
                </div>
            </form>
        }
        .into_any()
    };

    let palette = move || {
        (0..total)
            .map(|i| {
                let cls = move || {
                    let mut c = String::from("cell");
                    if answers.with(|a| a.get(i as usize).copied().flatten().is_some()) {
                        c.push_str(" done");
                    }
                    match states.with(|s| s.get(i as usize).cloned()) {
                        Some(SaveState::Saving | SaveState::Waiting) => c.push_str(" pending"),
                        Some(SaveState::Refused(_)) => c.push_str(" refused"),
                        _ => {}
                    }
                    if current.get() == i {
                        c.push_str(" here");
                    }
                    c
                };
                view! {
                    <button type="submit" form="answer-form" name="go" value=i.to_string() class=cls
                        aria-label=format!("Câu {}", i + 1)
                        data-testid=format!("palette-{i}")
                        on:click=move |ev| go(ev, i)>{i + 1}</button>
                }
            })
            .collect_view()
    };

    view! {
        <div class="quiz" data-testid="quiz" data-hydrated=move || hydrated.get().to_string()>
            <div class="quiz-bar">
                <div class="timer" role="timer" aria-live="off">
                    "Còn lại " <strong data-testid="countdown">{move || format_countdown(remaining.get())}</strong>
                </div>
                <div class="progress-text" data-testid="progress">{move || format!("Đã trả lời {}/{}", answered(), total)}</div>
            </div>
            <div class="progress" aria-hidden="true">
                <div class="progress-fill" style=move || format!("width:{}%", answered() * 100 / (total.max(1) as usize))></div>
            </div>
            <Show when=move || offline.get()>
                <p class="offline" role="status" data-testid="offline-banner">
                    "Mất kết nối. Câu trả lời được giữ trên máy này và sẽ tự động gửi khi có mạng trở lại."
                </p>
            </Show>
            {move || message.get().map(|m| view! { <p class="error" role="alert" data-testid="quiz-message">{m}</p> })}
            {question}
            <nav class="palette" aria-label="Danh sách câu hỏi">{palette}</nav>
            <div class="submit-form">
                {prediction_prompt.map(|prompt| view! {
                    <label class="prediction">{prompt}
                        <input type="number" form="answer-form" name="prediction" min="0" inputmode="numeric" data-testid="prediction"
                            on:input=move |ev| prediction.set(event_target_value(&ev))/>
                    </label>
                })}
                <button type="submit" form="answer-form" name="submit" value="1" class="button danger" data-testid="submit-attempt"
                    on:click=move |ev| {
                        if hydrated.get_untracked() {
                            ev.prevent_default();
                            #[cfg(feature = "hydrate")]
                            client::submit_confirmed(ctx, total as usize);
                        }
                    }>"Nộp bài"</button>
            </div>
            <noscript><p class="muted small" data-testid="noscript-note">
                "Trình duyệt không chạy JavaScript: đáp án bạn chọn được lưu khi bạn chuyển sang câu khác (“Lưu và tiếp”, “‹ Câu trước” hoặc số câu) và khi bấm “Nộp bài”."
            </p></noscript>
        </div>
    }
}

/// Where the result of an attempt is shown.
pub fn result_href(attempt_id: i64) -> String {
    result_path(attempt_id)
}

#[cfg(feature = "hydrate")]
mod client {
    use std::collections::BTreeMap;

    use gloo_timers::callback::Interval;
    use leptos::prelude::*;
    use leptos::task::spawn_local;

    use super::SaveState;
    use crate::api::attempt::{get_attempt, save_answer, submit_attempt};
    use crate::error::AppError;

    #[derive(Clone, Copy)]
    pub struct Ctx {
        pub attempt_id: i64,
        pub deadline_ms: i64,
        pub server_now_ms: i64,
        pub answers: RwSignal<Vec<Option<u8>>>,
        pub states: RwSignal<Vec<SaveState>>,
        pub pending: RwSignal<BTreeMap<u32, Option<u8>>>,
        pub remaining: RwSignal<i64>,
        pub offline: RwSignal<bool>,
        pub message: RwSignal<Option<String>>,
        pub hydrated: RwSignal<bool>,
        pub prediction: RwSignal<String>,
    }

    thread_local! {
        /// Questions answered on this page since it loaded. The fresh read of the attempt sent
        /// at start may have been taken before their saves committed, and its reply may come
        /// after their acknowledgements: it must not put an older answer back.
        static TOUCHED: std::cell::RefCell<std::collections::BTreeSet<u32>> =
            const { std::cell::RefCell::new(std::collections::BTreeSet::new()) };
        /// Server time minus local time, refined at every server reply.
        static OFFSET_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
        static FLUSHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        static SUBMITTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    fn local_now() -> f64 {
        js_sys::Date::now()
    }

    fn server_now() -> f64 {
        local_now() + OFFSET_MS.with(|o| o.get())
    }

    /// A reply that left the server at `server_ms` arrived now, `rtt` after we asked.
    fn learn_offset(server_ms: i64, rtt: f64) {
        OFFSET_MS.with(|o| o.set(server_ms as f64 + rtt / 2.0 - local_now()));
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten())
    }

    fn key(attempt_id: i64) -> String {
        format!("cuocthi:pending:{attempt_id}")
    }

    fn persist(attempt_id: i64, pending: &BTreeMap<u32, Option<u8>>) {
        if let Some(s) = storage() {
            if pending.is_empty() {
                let _ = s.remove_item(&key(attempt_id));
            } else if let Ok(json) = serde_json::to_string(pending) {
                let _ = s.set_item(&key(attempt_id), &json);
            }
        }
    }

    fn restore(attempt_id: i64) -> BTreeMap<u32, Option<u8>> {
        storage()
            .and_then(|s| s.get_item(&key(attempt_id)).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    fn set_state(states: RwSignal<Vec<SaveState>>, seq: u32, st: SaveState) {
        states.update(|s| {
            if let Some(slot) = s.get_mut(seq as usize) {
                *slot = st;
            }
        });
    }

    fn go_to_result(attempt_id: i64) {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href(&super::result_href(attempt_id));
        }
    }

    /// The server-rendered form as the person left it before the island started.
    pub struct EarlyForm {
        /// (question, option) of the checked radio button.
        pub choice: Option<(u32, u8)>,
        pub prediction: Option<String>,
    }

    pub fn form_before_start() -> EarlyForm {
        let doc = web_sys::window().and_then(|w| w.document());
        let find = |selector: &str| {
            doc.as_ref()
                .and_then(|d| d.query_selector(selector).ok().flatten())
        };
        let attr = |selector: &str| {
            find(selector)
                .and_then(|e| e.get_attribute("value"))
                .and_then(|v| v.parse::<u32>().ok())
        };
        let seq = attr("#answer-form input[name=seq]");
        let choice = attr("#answer-form input[name=choice]:checked");
        let prediction = find("input[name=prediction]")
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
            .map(|i| i.value())
            .filter(|v| !v.is_empty());
        EarlyForm {
            choice: seq.zip(choice.and_then(|c| u8::try_from(c).ok())),
            prediction,
        }
    }

    /// After "next", "previous" or the palette (all below the question), the new question
    /// starts where the person is looking: if its top is above the screen or under the sticky
    /// timer bar, the page scrolls back to it (`scroll-margin-top` leaves the bar room).
    /// Otherwise a phone shows the middle of the next question, its first options hidden.
    pub fn bring_question_into_view() {
        let Some(form) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("answer-form"))
        else {
            return;
        };
        if form.get_bounding_client_rect().top() < QUESTION_TOP_PX {
            form.scroll_into_view();
        }
    }

    /// Where a question's top must be, at least, not to be under the timer bar (a little
    /// more than the bar's height; the stylesheet's `scroll-margin-top` is the same).
    const QUESTION_TOP_PX: f64 = 72.0;

    pub fn start(c: Ctx, early_choice: Option<(u32, u8)>) {
        OFFSET_MS.with(|o| o.set(c.server_now_ms as f64 - local_now()));
        Effect::new(move |_| {
            c.hydrated.set(true);
            // Choices made offline before a reload come back first.
            let restored = restore(c.attempt_id);
            if !restored.is_empty() {
                for (seq, choice) in &restored {
                    TOUCHED.with(|t| t.borrow_mut().insert(*seq));
                    c.answers.update(|a| {
                        if let Some(slot) = a.get_mut(*seq as usize) {
                            *slot = *choice;
                        }
                    });
                    set_state(c.states, *seq, SaveState::Waiting);
                }
                c.pending.set(restored);
            }
            // A choice tapped before the script arrived is newer still.
            if let Some((seq, choice)) = early_choice {
                c.answers.update(|a| {
                    if let Some(slot) = a.get_mut(seq as usize) {
                        *slot = Some(choice);
                    }
                });
                queue(c, seq, Some(choice));
            }
            // Fresh answers (another device may have answered) and a better clock offset.
            spawn_local(async move {
                let t0 = local_now();
                if let Ok(v) = get_attempt(c.attempt_id).await {
                    learn_offset(v.server_now_ms, local_now() - t0);
                    if v.is_final {
                        go_to_result(c.attempt_id);
                        return;
                    }
                    let pending = c.pending.get_untracked();
                    for (seq, saved) in v.answers.iter().enumerate() {
                        let touched = TOUCHED.with(|t| t.borrow().contains(&(seq as u32)));
                        if !pending.contains_key(&(seq as u32)) && !touched {
                            c.answers.update(|a| a[seq] = *saved);
                            set_state(
                                c.states,
                                seq as u32,
                                if saved.is_some() {
                                    SaveState::Saved
                                } else {
                                    SaveState::Empty
                                },
                            );
                        }
                    }
                }
                flush(c);
            });
            let mut ticks = 0u32;
            let interval = Interval::new(1000, move || {
                ticks += 1;
                let left = (c.deadline_ms as f64 - server_now()).max(0.0) as i64;
                c.remaining.set(left);
                if left == 0 {
                    auto_submit(c);
                } else if ticks.is_multiple_of(3) && !c.pending.with_untracked(|p| p.is_empty()) {
                    flush(c);
                }
            });
            // Keep the timer for the page's lifetime.
            std::mem::forget(interval);
            let on_online = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                flush(c);
            });
            if let Some(w) = web_sys::window() {
                w.set_ononline(Some(wasm_bindgen::JsCast::unchecked_ref(
                    on_online.as_ref(),
                )));
            }
            on_online.forget();
        });
    }

    pub fn queue(c: Ctx, seq: u32, choice: Option<u8>) {
        TOUCHED.with(|t| t.borrow_mut().insert(seq));
        c.pending.update(|p| {
            p.insert(seq, choice);
            persist(c.attempt_id, p);
        });
        set_state(c.states, seq, SaveState::Saving);
        flush(c);
    }

    /// Sends pending choices one at a time, in order, so an older choice can never
    /// overwrite a newer one on the server. Stops at the first network failure.
    pub fn flush(c: Ctx) {
        if FLUSHING.with(|f| f.replace(true)) {
            return;
        }
        spawn_local(async move {
            let _ = drain(c).await;
            FLUSHING.with(|f| f.set(false));
        });
    }

    /// Returns true when nothing is left to send.
    async fn drain(c: Ctx) -> bool {
        let Ctx {
            attempt_id,
            states,
            pending,
            offline,
            message,
            ..
        } = c;
        loop {
            let Some((seq, choice)) =
                pending.with_untracked(|p| p.iter().next().map(|(s, c)| (*s, *c)))
            else {
                return true;
            };
            set_state(states, seq, SaveState::Saving);
            let t0 = local_now();
            match save_answer(attempt_id, seq, choice).await {
                Ok(ack) => {
                    learn_offset(ack.server_now_ms, local_now() - t0);
                    offline.set(false);
                    let newer = pending.with_untracked(|p| p.get(&seq).copied()) != Some(choice);
                    if !newer {
                        pending.update(|p| {
                            p.remove(&seq);
                            persist(attempt_id, p);
                        });
                        let st = if choice.is_some() {
                            SaveState::Saved
                        } else {
                            SaveState::Empty
                        };
                        set_state(states, seq, st);
                    }
                }
                Err(e) if e.is_retryable() || matches!(e, AppError::Internal) => {
                    offline.set(e.is_network());
                    pending.with_untracked(|p| {
                        for s in p.keys() {
                            set_state(states, *s, SaveState::Waiting);
                        }
                    });
                    return false;
                }
                Err(e) => {
                    // Refused for good (time over, attempt already submitted, not a valid
                    // choice): never resent, and the page says so instead of "will resend".
                    let too_late = matches!(e, AppError::Gone(_) | AppError::Conflict(_));
                    message.set(Some(e.user_message()));
                    let newer = pending.with_untracked(|p| p.get(&seq).copied()) != Some(choice);
                    if !newer {
                        pending.update(|p| {
                            p.remove(&seq);
                            persist(attempt_id, p);
                        });
                        set_state(states, seq, SaveState::Refused(e.user_message()));
                    }
                    if too_late {
                        go_to_result(attempt_id);
                        return true;
                    }
                }
            }
        }
    }

    fn auto_submit(c: Ctx) {
        let message = c.message;
        if SUBMITTING.with(|s| s.replace(true)) {
            return;
        }
        message.set(Some(
            "Đã hết giờ làm bài. Hệ thống đang nộp bài của bạn…".into(),
        ));
        spawn_local(async move {
            finish(c).await;
        });
    }

    pub fn submit_confirmed(c: Ctx, total: usize) {
        let answers = c.answers;
        let answered = answers.with_untracked(|a| a.iter().filter(|x| x.is_some()).count());
        let question = if answered < total {
            format!("Bạn mới trả lời {answered}/{total} câu. Nộp bài ngay?")
        } else {
            "Nộp bài? Sau khi nộp không thể sửa câu trả lời.".to_string()
        };
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(&question).ok())
            .unwrap_or(true);
        if !ok || SUBMITTING.with(|s| s.replace(true)) {
            return;
        }
        spawn_local(async move {
            finish(c).await;
        });
    }

    /// Sends what is pending, then submits; retries while the network is down.
    async fn finish(c: Ctx) {
        let Ctx {
            attempt_id,
            offline,
            message,
            ..
        } = c;
        loop {
            while FLUSHING.with(|f| f.get()) {
                gloo_timers::future::TimeoutFuture::new(100).await;
            }
            FLUSHING.with(|f| f.set(true));
            let drained = drain(c).await;
            FLUSHING.with(|f| f.set(false));
            if drained {
                match submit_attempt(attempt_id, c.prediction.get_untracked()).await {
                    Ok(_) | Err(AppError::Conflict(_)) | Err(AppError::NotFound(_)) => {
                        go_to_result(attempt_id);
                        return;
                    }
                    Err(e) if !e.is_retryable() => {
                        message.set(Some(e.user_message()));
                        SUBMITTING.with(|s| s.set(false));
                        return;
                    }
                    Err(e) => offline.set(e.is_network()),
                }
            }
            message.set(Some(if offline.get_untracked() {
                "Chưa nộp được bài do mất kết nối, đang thử lại…".into()
            } else {
                "Máy chủ đang bận, bài sẽ được tự động nộp lại sau ít giây…".into()
            }));
            gloo_timers::future::TimeoutFuture::new(3000).await;
        }
    }
}
