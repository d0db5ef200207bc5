use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::attempt::get_attempt_result;
use crate::model::{format_elapsed, AttemptResult};
use crate::pages::ErrorBox;

fn id_param() -> i64 {
    use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[component]
pub fn ResultPage() -> impl IntoView {
    let id = id_param();
    let result = Resource::new_blocking(move || id, get_attempt_result);
    view! {
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match result.await {
                    Ok(r) => view! { <ResultView r=r/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> <p><a href="/">"Về trang cuộc thi"</a></p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResultView(r: AttemptResult) -> impl IntoView {
    let letters = ['A', 'B', 'C', 'D', 'E', 'F'];
    let review = r
        .review
        .iter()
        .map(|item| {
            let chosen = item.chosen.map(|c| letters[usize::from(c) % 6].to_string()).unwrap_or_else(|| "—".into());
            // Without the key the review shows only what was chosen, never right or wrong.
            let (class, line) = match item.correct {
                Some(key) => (
                    if item.chosen == Some(key) { "review ok" } else { "review wrong" },
                    format!("Bạn chọn: {} · Đáp án đúng: {}. {}", chosen, letters[usize::from(key) % 6],
                        item.options.get(usize::from(key)).cloned().unwrap_or_default()),
                ),
                None => ("review", format!("Bạn chọn: {chosen}")),
            };
            view! {
                <li class=class data-testid="review-item">
                    <p><strong>{format!("Câu {}. ", item.seq + 1)}</strong>{item.text.clone()}</p>
                    <p class="muted">{line}</p>
                    {(!item.explanation.is_empty()).then(|| view! { <p class="explain">{item.explanation.clone()}</p> })}
                    {(!item.reference.is_empty()).then(|| view! { <p class="muted small">{format!("Căn cứ: {}", item.reference)}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>"Kết quả bài thi"</h1>
        <p class="muted">{format!("{} · {}", r.contest_name, r.round_name)}</p>
        <div class="card result" data-testid="result">
            <p class="score"><span data-testid="score">{r.score}</span>" / "{r.max_score}" điểm"</p>
            <p><span data-testid="correct">{r.correct}</span>{format!(" / {} câu trả lời đúng", r.total)}</p>
            <p>"Thời gian làm bài: " <span data-testid="elapsed">{format_elapsed(r.elapsed_ms)}</span></p>
            {(r.finalized_by == crate::domain::FinalizedBy::Server).then(|| view! {
                <p class="muted">"Bài thi được hệ thống tự động nộp khi hết giờ, với các câu trả lời đã lưu."</p>
            })}
            <div class="actions">
                <a class="button primary" href="/">"Về trang cuộc thi"</a>
                <a class="button" href=format!("/bang-xep-hang/{}", r.round_id)>"Bảng xếp hạng"</a>
            </div>
        </div>
        <h2>"Xem lại bài làm"</h2>
        {r.key_withheld.clone().map(|why| view! { <p class="notice" data-testid="key-withheld">{why}</p> })}
        <ol class="review-list">{review}</ol>
    }
}
