use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::contest::{my_rank, round_leaderboard};
use crate::components::live_board::LiveBoard;
use crate::model::{Leaderboard, MyRank};
use crate::pages::ErrorBox;

#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0i64);
    let board = Resource::new_blocking(move || id, round_leaderboard);
    let mine = Resource::new_blocking(move || id, my_rank);
    let viewer = Resource::new_blocking(|| (), |_| crate::api::auth::current_user());
    view! {
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                let (mine, signed_in) = (mine.await.ok().flatten(), viewer.await.ok().flatten().is_some());
                match board.await {
                    Ok(b) => view! { <BoardView b=b mine=mine signed_in=signed_in/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BoardView(b: Leaderboard, mine: Option<MyRank>, signed_in: bool) -> impl IntoView {
    let chain = b.chain.join(", rồi ");
    let ties = b.has_ties.then(|| view! {
        <p class="notice small" data-testid="ties-note">
            "Dấu = : các bài thi bằng nhau theo mọi tiêu chí xếp hạng nên cùng hạng; hạng kế tiếp được bỏ qua tương ứng (1, 2, 2, 4)."
        </p>
    });
    let actual = b.prediction_actual.map(|a| view! {
        <p class="muted small" data-testid="prediction-actual">{format!("Đáp án câu hỏi dự đoán: {a}.")}</p>
    });
    view! {
        <h1>{format!("Bảng xếp hạng · {}", b.round_name)}</h1>
        <p class="muted">{b.contest_name.clone()}</p>
        <LiveBoard board=b mine=mine signed_in=signed_in/>
        <p class="muted small" data-testid="chain">{format!("Xếp hạng theo: {chain}.")}</p>
        {ties}
        {actual}
    }
}
