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
    let rows = b
        .rows
        .into_iter()
        .map(|r| view! {
            <tr data-testid="board-row">
                <td class="rank">{r.rank}</td>
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
                <p class="muted small">"Xếp theo điểm, bằng điểm thì theo thời gian làm bài. Kết quả bằng nhau được xếp cùng hạng."</p>
            }.into_any()
        }}
    }
}
