//! The live leaderboard table: rendered on the server, then kept current by server-sent
//! events (`/su-kien/bang-xep-hang/{round}`) without reloading the page.

use leptos::prelude::*;

use crate::model::{format_elapsed, Leaderboard, LeaderboardRow};

#[island]
pub fn LiveBoard(board: Leaderboard) -> impl IntoView {
    let round_id = board.round_id;
    let rows = RwSignal::new(board.rows);
    let entrants = RwSignal::new(board.entrants);
    let live = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| stream::follow(round_id, rows, entrants, live));
    #[cfg(not(feature = "hydrate"))]
    let _ = (round_id, live);
    view! {
        <p class="muted small">
            <span data-testid="entrants">{move || entrants.get()}</span>" người đã hoàn thành bài thi"
            {move || live.get().then(|| view! { <span class="live" data-testid="live">" · Trực tiếp"</span> })}
        </p>
        <Show when=move || !rows.with(Vec::is_empty) fallback=|| view! { <p class="card">"Chưa có bài thi nào hoàn thành."</p> }>
            <div class="scroll"><table class="board">
                <thead><tr><th>"Hạng"</th><th>"Họ tên · Đơn vị"</th><th>"Điểm"</th><th>"Thời gian"</th></tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|r: &LeaderboardRow| (r.rank, r.full_name.clone(), r.unit_name.clone(), r.score, r.elapsed_ms) let:r>
                        <tr data-testid="board-row">
                            <td class="rank">{r.rank}{r.tied.then_some("=")}</td>
                            <td><div class="name">{r.full_name}</div><div class="muted small">{r.unit_name}</div></td>
                            <td class="num">{r.score}</td>
                            <td class="num">{format_elapsed(r.elapsed_ms)}</td>
                        </tr>
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

    use crate::model::{Leaderboard, LeaderboardRow};

    pub fn follow(
        round_id: i64,
        rows: RwSignal<Vec<LeaderboardRow>>,
        entrants: RwSignal<u32>,
        live: RwSignal<bool>,
    ) {
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
                    entrants.set(b.entrants);
                    rows.set(b.rows);
                    live.set(true);
                }
            });
        let _ = source.add_event_listener_with_callback("board", on_board.as_ref().unchecked_ref());
        on_board.forget();
        // The browser reconnects by itself; show the state meanwhile.
        let on_error = Closure::<dyn FnMut()>::new(move || live.set(false));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        std::mem::forget(source);
    }
}
