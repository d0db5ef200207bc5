//! The committee's dashboard: server-rendered, refreshed every 30 s, charts as inline SVG
//! so a phone downloads no script for them.

use leptos::prelude::*;
use leptos_meta::Meta;

use crate::api::manage::get_dashboard;
use crate::domain::report::format_share;
use crate::model::{format_vn_time, Dashboard};
use crate::pages::ErrorBox;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| get_dashboard());
    view! {
        <Meta http_equiv="refresh" content="30"/>
        <h1>"Theo dõi cuộc thi"</h1>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <DashboardView d=d/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let figure = |label: &'static str, value: u32, id: &'static str| {
        view! { <div class="card figure"><div class="muted small">{label}</div><div class="big" data-testid=id>{value}</div></div> }
    };
    let rows = d
        .units
        .into_iter()
        .map(|u| {
            let share = u.share_per_mille;
            view! {
                <tr data-testid="unit-row">
                    <td>{u.unit_name}</td>
                    <td class="num">{u.entrants}" / "{if u.headcount > 0 { u.headcount.to_string() } else { "—".into() }}</td>
                    <td class="bar-cell">
                        {share.map(|s| view! {
                            <svg class="bar" viewBox="0 0 1000 16" preserveAspectRatio="none" role="img"
                                aria-label=format_share(s)>
                                <rect width="1000" height="16" fill="#e5e7eb"/>
                                <rect width=s.to_string() height="16" fill="#15803d"/>
                            </svg>
                            <span class="small">{format_share(s)}</span>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="muted small">{format!("Cập nhật lúc {} (tự làm mới mỗi 30 giây)", format_vn_time(d.server_now_ms))}</p>
        <div class="figures">
            {figure("Đã đăng ký", d.registered, "registered")}
            {figure("Đã dự thi", d.entrants, "entrants")}
            {figure("Lượt thi hôm nay", d.attempts_today, "attempts-today")}
            {figure("Tổng lượt thi", d.attempts_total, "attempts-total")}
            {figure("Đang làm bài", d.in_progress, "in-progress")}
        </div>
        <h2>"Tham gia theo đơn vị"</h2>
        <table class="board">
            <thead><tr><th>"Đơn vị"</th><th>"Dự thi / biên chế"</th><th>"Tỷ lệ"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
