use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::contest::round_leaderboard;
use crate::model::{format_elapsed, Leaderboard};
use crate::pages::ErrorBox;

#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0i64);
    let board = Resource::new_blocking(move || id, round_leaderboard);
    view! {
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <BoardView b=b/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BoardView(b: Leaderboard) -> impl IntoView {
    let empty = b.rows.is_empty();
    let chain = b.chain.join(", rồi ");
    let ties = b.has_ties.then(|| view! {
        <p class="notice small" data-testid="ties-note">
            "Dấu = : các bài thi bằng nhau theo mọi tiêu chí xếp hạng nên cùng hạng; hạng kế tiếp được bỏ qua tương ứng (1, 2, 2, 4)."
        </p>
    });
    let actual = b.prediction_actual.map(|a| view! {
        <p class="muted small" data-testid="prediction-actual">{format!("Đáp án câu hỏi dự đoán: {a}.")}</p>
    });
    let rows = b
        .rows
        .into_iter()
        .map(|r| view! {
            <tr data-testid="board-row">
                <td class="rank">{r.rank}{r.tied.then_some("=")}</td>
                <td><div class="name">{r.full_name}</div><div class="muted small">{r.unit_name}</div></td>
                <td class="num">{r.score}</td>
                <td class="num">{format_elapsed(r.elapsed_ms)}</td>
            </tr>
        })
        .collect_view();
    view! {
        <h1>{format!("Bảng xếp hạng · {}", b.round_name)}</h1>
        <p class="muted">{format!("{} · {} người đã hoàn thành bài thi", b.contest_name, b.entrants)}</p>
        {if empty {
            view! { <p class="card">"Chưa có bài thi nào hoàn thành."</p> }.into_any()
        } else {
            view! {
                <table class="board">
                    <thead><tr><th>"Hạng"</th><th>"Họ tên · Đơn vị"</th><th>"Điểm"</th><th>"Thời gian"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <p class="muted small" data-testid="chain">{format!("Xếp hạng theo: {chain}.")}</p>
                {ties}
                {actual}
            }.into_any()
        }}
    }
}
