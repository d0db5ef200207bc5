use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::attempt::{attempt_path, get_attempt, result_path, SubmitAttempt};
use leptos::server_fn::ServerFn;

use crate::components::quiz::Quiz;
use crate::model::AttemptView;
use crate::pages::{flash_error, query_value, ErrorBox};

#[component]
pub fn AttemptPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0i64);
    // `?cau=N` (from 1) picks the question shown first; the no-JS form navigates with it.
    // Without it (a reload, a return later) the attempt opens where the work stopped.
    let asked = query_value("cau").parse::<u32>().ok().map(|n| n.max(1) - 1);
    let saved_note = query_value("luu").parse::<u32>().ok();
    // "Nộp bài" without JavaScript while questions are unanswered: ask first.
    let confirm_submit = query_value("nop") == "1";
    let prediction = query_value("du-doan");
    let flash = flash_error();
    let attempt = Resource::new_blocking(move || id, get_attempt);
    view! {
        {flash.map(|e| view! { <ErrorBox error=e/> })}
        {saved_note.map(|n| view! { <p class="notice" data-testid="form-saved">{format!("✓ Đã lưu câu {n}.")}</p> })}
        <Suspense fallback=|| view! { <p>"Đang tải bài thi…"</p> }>
            {move || {
                let prediction = prediction.clone();
                Suspend::new(async move {
                match attempt.await {
                    Ok(a) if a.is_final => view! {
                        <h1>"Bài thi"</h1>
                        <div class="card">
                            <p>"Bài thi này đã được nộp."</p>
                            <a class="button primary" href=result_path(a.attempt_id)>"Xem kết quả"</a>
                        </div>
                    }.into_any(),
                    Ok(a) => {
                        let start = asked.unwrap_or_else(|| a.first_unanswered());
                        view! {
                            <h1 class="attempt-title">{a.round_name.clone()}</h1>
                            <p class="muted small attempt-contest">{a.contest_name.clone()}</p>
                            {if confirm_submit && a.unanswered() > 0 {
                                view! { <ConfirmSubmit a=a start=start prediction=prediction/> }.into_any()
                            } else {
                                view! { <Quiz attempt=a start=start/> }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> <p><a href="/">"Về trang cuộc thi"</a></p> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

/// The confirmation step of "Nộp bài" on the plain-form path (the script asks with a dialog).
#[component]
fn ConfirmSubmit(a: AttemptView, start: u32, prediction: String) -> impl IntoView {
    let total = a.answers.len();
    let left = a.unanswered();
    let back = format!("{}?cau={}", attempt_path(a.attempt_id), start + 1);
    view! {
        <section class="card confirm" data-testid="confirm-submit" aria-labelledby="confirm-title">
            <h2 id="confirm-title">"Nộp bài?"</h2>
            <p data-testid="confirm-unanswered">
                {format!("Bạn mới trả lời {}/{} câu, còn {} câu chưa trả lời.", total - left, total, left)}
            </p>
            <p class="muted small">"Sau khi nộp không thể sửa câu trả lời."</p>
            <form method="post" action=SubmitAttempt::url() class="actions">
                <input type="hidden" name="attempt_id" value=a.attempt_id.to_string()/>
                <input type="hidden" name="prediction" value=prediction/>
                <button type="submit" class="button danger" data-testid="confirm-submit-yes">"Nộp bài"</button>
                <a class="button" href=back data-testid="confirm-submit-back">"Quay lại"</a>
            </form>
        </section>
    }
}
