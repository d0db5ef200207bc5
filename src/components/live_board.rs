//! The live leaderboard table: rendered on the server, then kept current by server-sent
//! events (`/su-kien/bang-xep-hang/{round}`) without reloading the page.

use leptos::prelude::*;

use crate::model::{format_elapsed, Leaderboard, LeaderboardRow, MyRank, UnitBoardRow};

/// Everything on the board that changes while people watch.
#[derive(Clone, Copy)]
pub struct Live {
    pub rows: RwSignal<Vec<LeaderboardRow>>,
    pub units: RwSignal<Vec<UnitBoardRow>>,
    pub entrants: RwSignal<u32>,
    pub frozen_since: RwSignal<Option<String>>,
    pub mine: RwSignal<Option<MyRank>>,
    pub live: RwSignal<bool>,
}

// An island, except in the attempt page's own package (feature `quiz-only`, see `app::package`).
#[cfg_attr(not(feature = "quiz-only"), island)]
#[cfg_attr(feature = "quiz-only", component)]
pub fn LiveBoard(board: Leaderboard, mine: Option<MyRank>, signed_in: bool) -> impl IntoView {
    let round_id = board.round_id;
    let l = Live {
        rows: RwSignal::new(board.rows),
        units: RwSignal::new(board.units),
        entrants: RwSignal::new(board.entrants),
        frozen_since: RwSignal::new(board.frozen_since),
        mine: RwSignal::new(mine),
        live: RwSignal::new(false),
    };
    let Live {
        rows,
        units,
        entrants,
        frozen_since,
        mine,
        live,
    } = l;
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| stream::follow(round_id, signed_in, l));
    #[cfg(not(feature = "hydrate"))]
    let _ = (round_id, signed_in);
    view! {
        {move || frozen_since.get().map(|t| view! {
            <p class="notice" data-testid="frozen">
                {format!("Bảng xếp hạng tạm dừng cập nhật từ {t} đến khi công bố kết quả.")}
            </p>
        })}
        {move || mine.get().map(|m| view! {
            <p class="card mine" data-testid="my-rank">
                {format!("Hạng của bạn: {}{} · {} điểm · {}", m.rank, if m.tied { " (đồng hạng)" } else { "" }, m.score, format_elapsed(m.elapsed_ms))}
            </p>
        })}
        <p class="muted small">
            <span data-testid="entrants">{move || entrants.get()}</span>" người đã hoàn thành bài thi"
            {move || live.get().then(|| view! { <span class="live" data-testid="live">" · Trực tiếp"</span> })}
        </p>
        <Show when=move || !rows.with(Vec::is_empty) fallback=|| view! { <p class="card">"Chưa có bài thi nào hoàn thành."</p> }>
            <div class="scroll" tabindex="0" role="region" aria-label="Bảng xếp hạng"><table class="board ranking" data-testid="ranking">
                <thead><tr><th>"Hạng"</th><th>"Họ tên · Đơn vị"</th><th class="num">"Điểm"</th><th class="num">"Thời gian"</th></tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|r: &LeaderboardRow| (r.rank, r.full_name.clone(), r.unit_name.clone(), r.score, r.elapsed_ms) let:r>
                        <tr data-testid="board-row">
                            <td class="rank">{r.rank}{r.tied.then_some("=")}</td>
                            <td class="who"><div class="name">{r.full_name}</div><div class="muted small">{r.unit_name}</div></td>
                            <td class="num score">{r.score}</td>
                            <td class="num time">{format_elapsed(r.elapsed_ms)}</td>
                        </tr>
                    </For>
                </tbody>
            </table></div>
        </Show>
        <Show when=move || !units.with(Vec::is_empty)>
            <h2>"Đơn vị có nhiều người dự thi"</h2>
            <div class="scroll" tabindex="0" role="region" aria-label="Đơn vị có nhiều người dự thi"><table class="board" data-testid="unit-standings">
                <thead><tr><th>"Đơn vị"</th><th class="num">"Người dự thi"</th><th class="num">"Điểm cao nhất"</th></tr></thead>
                <tbody>
                    <For each=move || units.get() key=|u: &UnitBoardRow| (u.unit_name.clone(), u.entrants, u.best_score) let:u>
                        <tr><td>{u.unit_name}</td><td class="num">{u.entrants}</td><td class="num">{u.best_score}</td></tr>
                    </For>
                </tbody>
            </table></div>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod stream {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use super::Live;
    use crate::model::Leaderboard;

    pub fn follow(round_id: i64, signed_in: bool, l: Live) {
        let Ok(source) = web_sys::EventSource::new(&format!("/su-kien/bang-xep-hang/{round_id}"))
        else {
            return;
        };
        let on_board =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(text) = ev.data().as_string() else {
                    return;
                };
                if let Ok(b) = serde_json::from_str::<Leaderboard>(&text) {
                    l.entrants.set(b.entrants);
                    l.rows.set(b.rows);
                    l.units.set(b.units);
                    l.frozen_since.set(b.frozen_since);
                    l.live.set(true);
                    if signed_in {
                        // The viewer's own place, read from the server's memory.
                        leptos::task::spawn_local(async move {
                            if let Ok(m) = crate::api::contest::my_rank(round_id).await {
                                l.mine.set(m);
                            }
                        });
                    }
                }
            });
        let _ = source.add_event_listener_with_callback("board", on_board.as_ref().unchecked_ref());
        on_board.forget();
        // The browser reconnects by itself; show the state meanwhile.
        let on_error = Closure::<dyn FnMut()>::new(move || l.live.set(false));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        std::mem::forget(source);
    }
}
