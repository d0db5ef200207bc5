//! The published question bank, for participants to study (server-rendered, searchable
//! without diacritics).

use leptos::prelude::*;

use crate::api::contest::{practice, study_bank};
use crate::model::{BankQuestion, PracticeQuestion, PracticeSet};
use crate::pages::{query_value, ErrorBox};

const LETTERS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

#[component]
pub fn StudyPage() -> impl IntoView {
    let q = query_value("q");
    let q2 = q.clone();
    let list = Resource::new_blocking(
        move || q2.clone(),
        |q| study_bank(Some(q), crate::pages::contest_param()),
    );
    view! {
        <h1>"Ôn tập bộ câu hỏi"</h1>
        <p><a class="button primary" href=crate::domain::contests::with_contest("/on-tap/luyen-tap", &crate::pages::contest_param()) data-testid="practice-start">"Luyện tập (không tính giờ, không tính điểm)"</a></p>
        <form method="get" action="/on-tap" class="search">
            <input type="hidden" name="cuoc-thi" value=crate::pages::contest_param()/>
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
    // A held answer marks no option.
    let correct = if q.answer_held {
        usize::MAX
    } else {
        usize::from(q.correct)
    };
    view! {
        <li class="review" data-testid="study-question">
            <p class="q-meta">{q.topic.clone()}</p>
            <p><strong>{q.text.clone()}</strong></p>
            <ol class="bank-options">
                {q.options.iter().enumerate().map(|(i, o)| view! {
                    <li class:correct=i == correct>{format!("{}. {}{}", LETTERS[i % 6], o, if i == correct { " ✓" } else { "" })}</li>
                }).collect_view()}
            </ol>
            {q.answer_held.then(|| view! { <p class="muted small" data-testid="answer-held">{HELD}</p> })}
            {(!q.explanation.is_empty()).then(|| view! { <p class="explain">{q.explanation.clone()}</p> })}
            {(!q.reference.is_empty()).then(|| view! { <p class="muted small">{format!("Căn cứ: {}", q.reference)}</p> })}
        </li>
    }
}

/// Said where the contest holds an answer back while a round is open.
const HELD: &str = "Đáp án câu này được công bố khi vòng thi đang mở kết thúc.";

/// An untimed practice set from the published bank. A plain GET form: choosing and checking
/// work without JavaScript, nothing is stored, nothing counts.
#[component]
pub fn PracticePage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let ids = query.get("ds").unwrap_or_default();
    let check = query.get("nop").is_some();
    let choices = ids
        .split(',')
        .filter_map(|id| {
            let id = id.trim();
            query.get(&format!("c{id}")).map(|o| format!("{id}:{o}"))
        })
        .collect::<Vec<_>>()
        .join(",");
    let set = Resource::new_blocking(
        move || {
            (
                ids.clone(),
                choices.clone(),
                check,
                crate::pages::contest_param(),
            )
        },
        |(ids, choices, check, contest)| practice(ids, choices, check, contest),
    );
    view! {
        <h1>"Luyện tập"</h1>
        <p class="muted small">"Lượt luyện tập không tính giờ, không lưu và không tính vào kết quả cuộc thi."</p>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match set.await {
                    Ok(s) if s.questions.is_empty() => view! { <p class="card">"Chưa có câu hỏi để luyện tập."</p> }.into_any(),
                    Ok(s) => view! { <Practice s=s/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Practice(s: PracticeSet) -> impl IntoView {
    let ids = s
        .questions
        .iter()
        .map(|q| q.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let total = s.questions.len();
    // Held answers are not checked, so they are not counted.
    let held = if s.checked {
        s.questions.iter().filter(|q| q.answer_held).count()
    } else {
        0
    };
    let items = s
        .questions
        .into_iter()
        .enumerate()
        .map(|(n, q)| view! { <PracticeItem n=n + 1 q=q locked=s.checked/> })
        .collect_view();
    view! {
        {s.checked.then(|| view! {
            <p class="card big" data-testid="practice-score">{format!("Đúng {}/{} câu", s.correct, total - held)}</p>
        })}
        <form method="get" action="/on-tap/luyen-tap" data-testid="practice-form">
            <input type="hidden" name="cuoc-thi" value=crate::pages::contest_param()/>
            <input type="hidden" name="ds" value=ids/>
            <ol class="review-list">{items}</ol>
            {(!s.checked).then(|| view! {
                <input type="hidden" name="nop" value="1"/>
                <button type="submit" class="button primary" data-testid="practice-check">"Chấm điểm"</button>
            })}
        </form>
        <p><a class="button" href=crate::domain::contests::with_contest("/on-tap/luyen-tap", &crate::pages::contest_param()) data-testid="practice-new">"Luyện tập lượt mới"</a></p>
    }
}

#[component]
fn PracticeItem(n: usize, q: PracticeQuestion, locked: bool) -> impl IntoView {
    let name = format!("c{}", q.id);
    let options = q
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let i8 = i as u8;
            let chosen = q.chosen == Some(i8);
            let right = q.correct == Some(i8);
            let mark = match (right, chosen && q.correct.is_some()) {
                (true, _) => " ✓",
                (false, true) => " ✗",
                _ => "",
            };
            view! {
                <li class:correct=right class:wrong=chosen && q.correct.is_some() && !right>
                    <label class="option">
                        <input type="radio" name=name.clone() value=i.to_string() checked=chosen disabled=locked/>
                        {format!(" {}. {}{}", LETTERS[i % 6], o, mark)}
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="review" data-testid="practice-question">
            <p class="q-meta">{format!("Câu {n} · {}", q.topic)}</p>
            <p><strong>{q.text.clone()}</strong></p>
            <ul class="bank-options plain">{options}</ul>
            {(locked && q.answer_held).then(|| view! { <p class="muted small" data-testid="answer-held">{HELD}</p> })}
            {(!q.explanation.is_empty()).then(|| view! { <p class="explain">{q.explanation.clone()}</p> })}
            {(!q.reference.is_empty()).then(|| view! { <p class="muted small">{format!("Căn cứ: {}", q.reference)}</p> })}
        </li>
    }
}
