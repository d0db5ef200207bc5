use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::attempt::{attempt_path, result_path, StartAttempt};
use crate::api::auth::Logout;
use crate::api::contest::get_contest_overview;
use crate::domain::vntime::format_vn_time;
use crate::model::{ContestOverview, Eligibility, Phase, RoundInfo};
use crate::pages::{error_from_query, ErrorBox};

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new_blocking(|| (), |_| get_contest_overview());
    let flash = error_from_query();
    view! {
        {flash.map(|e| view! { <ErrorBox error=e/> })}
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! { <Overview o=o/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: ContestOverview) -> impl IntoView {
    let account = match &o.viewer {
        Some(u) => view! {
            <div class="card account" data-testid="account">
                <p>"Xin chào, " <strong data-testid="viewer-name">{u.full_name.clone()}</strong>
                   " (" {u.unit_name.clone()} ")"</p>
                {(u.role != "participant").then(|| view! {
                    <p class="links">
                        <a href="/quan-tri/cau-hoi" data-testid="go-admin">"Ngân hàng câu hỏi"</a>
                        {(u.role == "admin").then(|| view! { <a href="/quan-tri/cuoc-thi">"Cài đặt cuộc thi"</a> })}
                        {matches!(u.role.as_str(), "admin" | "secretary").then(|| view! {
                            <a href="/quan-tri/theo-doi">"Theo dõi"</a>
                        })}
                        {matches!(u.role.as_str(), "admin" | "juror").then(|| view! {
                            <a href="/quan-tri/cham-sang-kien" data-testid="go-jury">"Chấm sáng kiến"</a>
                        })}
                    </p>
                })}
                <form method="post" action=Logout::url()>
                    <button type="submit" class="link">"Đăng xuất"</button>
                </form>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="card account">
                <p>"Đăng ký một tài khoản (mỗi người một tài khoản) để dự thi."</p>
                <div class="actions">
                    <a class="button primary" href="/dang-ky" data-testid="go-register">"Đăng ký dự thi"</a>
                    <a class="button" href="/dang-nhap" data-testid="go-login">"Đăng nhập"</a>
                </div>
            </div>
        }
        .into_any(),
    };
    let rounds = o
        .rounds
        .iter()
        .map(|r| {
            let el = o.eligibility.iter().find(|e| e.round_id == r.id).cloned();
            view! { <RoundCard round=r.clone() eligibility=el logged_in=o.viewer.is_some()/> }
        })
        .collect_view();
    view! {
        <h1 class="contest-title" data-testid="contest-name">{o.name.clone()}</h1>
        <p class="facts">
            {format!(
                "{} câu hỏi · {} phút · tối đa {} lượt mỗi vòng · từ đủ {} tuổi",
                o.questions_per_attempt,
                o.time_limit_secs / 60,
                o.max_attempts_per_round,
                o.min_age,
            )}
        </p>
        {account}
        {o.bank_published.then(|| view! {
            <p><a class="button" href="/on-tap" data-testid="go-study">"Ôn tập bộ câu hỏi và đáp án"</a></p>
        })}
        <p><a class="button" href="/sang-kien" data-testid="go-initiatives">"Cuộc thi sáng kiến, giải pháp cải cách hành chính"</a></p>
        <h2>"Các vòng thi"</h2>
        <div class="rounds">{rounds}</div>
        <details class="card rules" open=o.viewer.is_none()>
            <summary>"Thể lệ cuộc thi"</summary>
            <div class="rules-text">
                {o.rules_text.lines().map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}
            </div>
        </details>
    }
}

#[component]
fn RoundCard(round: RoundInfo, eligibility: Option<Eligibility>, logged_in: bool) -> impl IntoView {
    let (label, class) = match round.phase {
        Phase::Upcoming => ("Sắp mở", "badge upcoming"),
        Phase::Open => ("Đang mở", "badge open"),
        Phase::Closed => ("Đã kết thúc", "badge closed"),
    };
    let finished_ids = eligibility
        .as_ref()
        .map(|e| e.finished_attempts.clone())
        .unwrap_or_default();
    let board = format!("/bang-xep-hang/{}", round.id);
    let action = match eligibility {
        Some(e) if e.running_attempt.is_some() => {
            let id = e.running_attempt.unwrap_or_default();
            view! { <a class="button primary" href=attempt_path(id) data-testid="resume">"Tiếp tục bài thi"</a> }.into_any()
        }
        Some(e) if e.can_start => view! {
            <form method="post" action=StartAttempt::url()>
                <input type="hidden" name="round_id" value=round.id.to_string()/>
                <button type="submit" class="button primary" data-testid="start">
                    {if e.attempts_used == 0 { "Bắt đầu thi".to_string() } else { format!("Thi lại (còn {} lượt)", e.attempts_left) }}
                </button>
            </form>
        }
        .into_any(),
        Some(e) => view! { <p class="muted" data-testid="cannot-start">{e.reason.unwrap_or_default()}</p> }.into_any(),
        None if logged_in => ().into_any(),
        None => view! { <p class="muted">"Đăng nhập để dự thi."</p> }.into_any(),
    };
    view! {
        <section class="card round" data-testid="round">
            <div class="round-head">
                <h3>{round.name.clone()}</h3>
                <span class=class>{label}</span>
            </div>
            <p class="muted">
                {format!("Từ {} đến {}", format_vn_time(round.opens_at_ms), format_vn_time(round.closes_at_ms))}
            </p>
            {action}
            <p class="links"><FinishedAttempts ids=finished_ids/><a href=board data-testid="go-board">"Bảng xếp hạng"</a></p>
        </section>
    }
}

/// Links to the viewer's finished attempts in a round.
#[component]
pub fn FinishedAttempts(ids: Vec<i64>) -> impl IntoView {
    ids.into_iter()
        .enumerate()
        .map(
            |(i, id)| view! { <a href=result_path(id)>{format!("Kết quả lượt {}", i + 1)}</a> " " },
        )
        .collect_view()
}
