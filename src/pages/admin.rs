//! Organizer pages (server-rendered forms; no WASM needed).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::bank::{get_bank_page, CreateQuestion, ImportQuestions, MoveQuestion, BANK_PATH};
use crate::model::{BankPage, BankQuestion};
use crate::pages::{query_value, AdminNav, ErrorBox, ImportOutcome, UploadForm};

const LETTERS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

#[component]
pub fn BankAdminPage() -> impl IntoView {
    let status = query_value("status");
    let q = query_value("q");
    let (s2, q2) = (status.clone(), q.clone());
    let page = Resource::new_blocking(
        move || (s2.clone(), q2.clone()),
        |(s, q)| {
            get_bank_page(
                Some(s),
                Some(q),
                crate::pages::contest_param(),
                query_value("topic"),
                query_value("difficulty"),
                !query_value("mine").is_empty(),
                query_value("page").parse().unwrap_or(1),
            )
        },
    );
    view! {
        <h1>"Ngân hàng câu hỏi"</h1>
        <AdminNav/>
        <ImportOutcome noun="câu hỏi"/>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || {
                let (status, q) = (status.clone(), q.clone());
                Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <Bank p=p status=status q=q/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Bank(p: BankPage, status: String, q: String) -> impl IntoView {
    let can_write = matches!(p.role.as_str(), "admin" | "author");
    let can_review = matches!(p.role.as_str(), "admin" | "reviewer");
    let is_admin = p.role == "admin";
    let tabs = std::iter::once(("".to_string(), "Tất cả".to_string(), p.counts.iter().map(|c| c.2).sum::<u32>()))
        .chain(p.counts.iter().cloned())
        .map(|(s, label, n)| {
            let href = crate::domain::contests::with_contest(&format!("{BANK_PATH}?status={s}"), &crate::pages::contest_param());
            let cls = if s == status { "button primary" } else { "button" };
            view! { <a class=cls href=href data-testid=format!("tab-{s}")>{format!("{label} ({n})")}</a> }
        })
        .collect_view();
    let topics = p.topics.clone();
    let (topic, difficulty, mine) = (
        query_value("topic"),
        query_value("difficulty"),
        !query_value("mine").is_empty(),
    );
    let topic_options = p
        .topics
        .iter()
        .map(|t| view! { <option value=t.clone() selected=*t == topic>{t.clone()}</option> })
        .collect_view();
    let difficulty_options = [("1", "Dễ"), ("2", "Trung bình"), ("3", "Khó")]
        .into_iter()
        .map(|(v, l)| view! { <option value=v selected=v == difficulty>{l}</option> })
        .collect_view();
    // The pager keeps every filter of the address and changes the page.
    let page_link = {
        let keep: Vec<(String, String)> =
            ["cuoc-thi", "status", "q", "topic", "difficulty", "mine"]
                .iter()
                .map(|k| (k.to_string(), query_value(k)))
                .filter(|(_, v)| !v.is_empty())
                .collect();
        move |n: u32| {
            let mut parts: Vec<String> = keep
                .iter()
                .map(|(k, v)| format!("{k}={}", url_encode(v)))
                .collect();
            parts.push(format!("page={n}"));
            format!("{BANK_PATH}?{}", parts.join("&"))
        }
    };
    let pager = (p.pages > 1).then(|| {
        let (page, pages) = (p.page, p.pages);
        view! {
            <nav class="actions pager" aria-label="Trang" data-testid="bank-pager">
                {(page > 1).then(|| view! { <a class="button" href=page_link(page - 1) rel="prev">"‹ Trang trước"</a> })}
                <span>{format!("Trang {page}/{pages}")}</span>
                {(page < pages).then(|| view! { <a class="button" href=page_link(page + 1) rel="next" data-testid="bank-next">"Trang sau ›"</a> })}
            </nav>
        }
    });
    let matching = p.matching;
    let list = p
        .questions
        .into_iter()
        .map(|item| view! { <QuestionCard item=item can_write=can_write can_review=can_review is_admin=is_admin/> })
        .collect_view();
    view! {
        <p class="muted">{format!("Vai trò: {}", p.role_label)}</p>
        <div class="actions">{tabs}</div>
        <form method="get" action=BANK_PATH class="search">
            <input type="hidden" name="cuoc-thi" value=crate::pages::contest_param()/>
            <input type="hidden" name="status" value=status/>
            <input type="search" name="q" value=q placeholder="Tìm câu hỏi (có thể gõ không dấu)" data-testid="bank-search"/>
            <select name="topic" aria-label="Chủ đề" data-testid="bank-topic"><option value="">"Mọi chủ đề"</option>{topic_options}</select>
            <select name="difficulty" aria-label="Mức độ"><option value="">"Mọi mức độ"</option>{difficulty_options}</select>
            <label class="check"><input type="checkbox" name="mine" value="1" checked=mine/>" Câu tôi soạn"</label>
            <button type="submit" class="button">"Tìm"</button>
        </form>
        <p class="muted small" data-testid="bank-matching">{format!("{matching} câu hỏi phù hợp")}</p>
        {can_write.then(|| view! { <DraftForm topics=topics/> })}
        {is_admin.then(|| view! { <ImportForm/> })}
        <p><a href=crate::domain::contests::with_contest("/quan-tri/xuat/cau-hoi.xlsx", &crate::pages::contest_param()) download data-testid="export-bank">"Xuất câu hỏi đã duyệt ra Excel (.xlsx)"</a></p>
        <div data-testid="bank-list">{list}</div>
        {pager}
    }
}

#[component]
fn QuestionCard(
    item: BankQuestion,
    can_write: bool,
    can_review: bool,
    is_admin: bool,
) -> impl IntoView {
    let id = item.id;
    let action_form = move |action: &'static str, label: &'static str, with_comment: bool| {
        view! {
            <form method="post" action=MoveQuestion::url() class="inline">
                <crate::pages::ContestField/>
                <input type="hidden" name="question_id" value=id.to_string()/>
                <input type="hidden" name="action" value=action/>
                {with_comment.then(|| view! {
                    <input name="comment" placeholder="Nhận xét (bắt buộc khi trả lại)" data-testid=format!("comment-{id}")/>
                })}
                <button type="submit" class="button" data-testid=format!("{action}-{id}")>{label}</button>
            </form>
        }
    };
    let actions = match item.status.as_str() {
        "draft" if can_write => action_form("submit", "Gửi thẩm định", false).into_any(),
        "in_review" if can_review => view! {
            {action_form("approve", "Duyệt", false)}
            {action_form("return", "Trả lại", true)}
        }
        .into_any(),
        "approved" if is_admin => action_form("retire", "Ngừng sử dụng", false).into_any(),
        _ => ().into_any(),
    };
    let options = item
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let right = i == usize::from(item.correct);
            view! { <li class:correct=right>{format!("{}. {}{}", LETTERS[i % 6], o, if right { " ✓" } else { "" })}</li> }
        })
        .collect_view();
    view! {
        <article class="card" data-testid="bank-question" data-status=item.status.clone()>
            <p class="q-meta">
                {format!("Mã {} · {} · mức {} · {}", item.id, item.topic, item.difficulty, item.status_label)}
                {item.study_only.then(|| view! { " · " <span class="badge" data-testid="study-only">"Ôn tập"</span> })}
            </p>
            <p class="q-text">{item.text.clone()}</p>
            <ol class="bank-options">{options}</ol>
            {(!item.explanation.is_empty()).then(|| view! { <p class="explain">{item.explanation.clone()}</p> })}
            {(!item.reference.is_empty()).then(|| view! { <p class="muted small">{format!("Căn cứ: {}", item.reference)}</p> })}
            {(!item.review_comment.is_empty()).then(|| view! {
                <p class="notice" data-testid="review-comment">{format!("Nhận xét thẩm định: {}", item.review_comment)}</p>
            })}
            <div class="actions">{actions}</div>
        </article>
    }
}

#[component]
fn DraftForm(topics: Vec<String>) -> impl IntoView {
    view! {
        <details class="card">
            <summary data-testid="new-question">"Soạn câu hỏi mới"</summary>
            <form class="form" method="post" action=CreateQuestion::url() data-testid="draft-form">
                <crate::pages::ContestField/>
                <label>"Chủ đề"
                    <select name="input[topic]" required data-testid="draft-topic">
                        {topics.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Mức độ"
                    <select name="input[difficulty]">
                        <option value="1">"1 — Dễ"</option>
                        <option value="2">"2 — Trung bình"</option>
                        <option value="3">"3 — Khó"</option>
                    </select>
                </label>
                <label>"Câu hỏi" <textarea name="input[text]" required rows="3" data-testid="draft-text"></textarea></label>
                {(0..6).map(|i| view! {
                    <label>{format!("Phương án {}", LETTERS[i])}
                        <input name=format!("input[options][{i}]") required=i < 2 data-testid=format!("draft-option-{i}")/>
                    </label>
                }).collect_view()}
                <label>"Đáp án đúng"
                    <select name="input[correct]" data-testid="draft-correct">
                        {LETTERS.iter().map(|l| view! { <option value=*l>{*l}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Giải thích" <textarea name="input[explanation]" rows="2" data-testid="draft-explanation"></textarea></label>
                <label>"Căn cứ (văn bản, điều khoản)" <input name="input[reference]"/></label>
                <label class="check">
                    <input type="checkbox" name="input[study_only]" value="x" data-testid="draft-study-only"/>
                    " Câu hỏi ôn tập (chỉ để ôn tập, không bao giờ ra thi)"
                </label>
                <button type="submit" class="button primary" data-testid="draft-save">"Lưu bản nháp"</button>
            </form>
        </details>
    }
}

#[component]
fn ImportForm() -> impl IntoView {
    view! {
        <details class="card">
            <summary data-testid="import-open">"Nhập câu hỏi từ tệp"</summary>
            <p class="muted small">
                "Chọn tệp Excel (.xlsx) hoặc CSV (UTF-8) theo tệp mẫu "
                <a href="/quan-tri/mau-nhap-cau-hoi.xlsx" download data-testid="template-xlsx">"Excel"</a>
                " hoặc "
                <a href="/quan-tri/mau-nhap-cau-hoi.csv" download>"CSV"</a>
                ". Mọi dòng được kiểm tra trước; nếu có lỗi, không câu hỏi nào được nhập."
            </p>
            <UploadForm action="/quan-tri/nhap-cau-hoi" accept=".xlsx,.csv,text/csv" label="Tải lên và nhập" topics_box=true/>
            <p class="muted small">"Hoặc dán nội dung tệp:"</p>
            <form class="form" method="post" action=ImportQuestions::url() data-testid="import-form">
                <crate::pages::ContestField/>
                <textarea name="csv" rows="8" required data-testid="import-csv"></textarea>
                <button type="submit" class="button primary" data-testid="import-submit">"Nhập"</button>
            </form>
        </details>
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
