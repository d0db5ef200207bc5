//! The published question bank, for participants to study (server-rendered, searchable
//! without diacritics).

use leptos::prelude::*;

use crate::api::contest::study_bank;
use crate::model::BankQuestion;
use crate::pages::{query_value, ErrorBox};

const LETTERS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

#[component]
pub fn StudyPage() -> impl IntoView {
    let q = query_value("q");
    let q2 = q.clone();
    let list = Resource::new_blocking(move || q2.clone(), |q| study_bank(Some(q)));
    view! {
        <h1>"Ôn tập bộ câu hỏi"</h1>
        <form method="get" action="/on-tap" class="search">
            <input type="search" name="q" value=q placeholder="Tìm câu hỏi (có thể gõ không dấu)" data-testid="study-search"/>
            <button type="submit" class="button">"Tìm"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="card">"Không có câu hỏi phù hợp."</p> }.into_any(),
                    Ok(items) => view! {
                        <p class="muted small">{format!("{} câu hỏi", items.len())}</p>
                        <ol class="review-list">{items.into_iter().map(|q| view! { <StudyItem q=q/> }).collect_view()}</ol>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StudyItem(q: BankQuestion) -> impl IntoView {
    let correct = usize::from(q.correct);
    view! {
        <li class="review" data-testid="study-question">
            <p class="q-meta">{q.topic.clone()}</p>
            <p><strong>{q.text.clone()}</strong></p>
            <ol class="bank-options">
                {q.options.iter().enumerate().map(|(i, o)| view! {
                    <li class:correct=i == correct>{format!("{}. {}{}", LETTERS[i % 6], o, if i == correct { " ✓" } else { "" })}</li>
                }).collect_view()}
            </ol>
            {(!q.explanation.is_empty()).then(|| view! { <p class="explain">{q.explanation.clone()}</p> })}
            {(!q.reference.is_empty()).then(|| view! { <p class="muted small">{format!("Căn cứ: {}", q.reference)}</p> })}
        </li>
    }
}
