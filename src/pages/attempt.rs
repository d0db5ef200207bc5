use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::attempt::{get_attempt, result_path};
use crate::components::quiz::Quiz;
use crate::pages::{error_from_query, query_value, ErrorBox};

#[component]
pub fn AttemptPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0i64);
    // `?cau=N` (from 1) picks the question shown first; the no-JS form navigates with it.
    let start = query_value("cau").parse::<u32>().unwrap_or(1).max(1) - 1;
    let saved_note = query_value("luu").parse::<u32>().ok();
    let flash = error_from_query();
    let attempt = Resource::new_blocking(move || id, get_attempt);
    view! {
        {flash.map(|e| view! { <ErrorBox error=e/> })}
        {saved_note.map(|n| view! { <p class="notice" data-testid="form-saved">{format!("Đã lưu câu {n}.")}</p> })}
        <Suspense fallback=|| view! { <p>"Đang tải bài thi…"</p> }>
            {move || Suspend::new(async move {
                match attempt.await {
                    Ok(a) if a.is_final => view! {
                        <div class="card">
                            <p>"Bài thi này đã được nộp."</p>
                            <a class="button primary" href=result_path(a.attempt_id)>"Xem kết quả"</a>
                        </div>
                    }.into_any(),
                    Ok(a) => view! {
                        <p class="muted small">{format!("{} · {}", a.contest_name, a.round_name)}</p>
                        <Quiz attempt=a start=start/>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> <p><a href="/">"Về trang cuộc thi"</a></p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
