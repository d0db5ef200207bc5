//! The committee's dashboard: server-rendered, refreshed every 30 s, charts as inline SVG
//! so a phone downloads no script for them.

use leptos::prelude::*;
use leptos_meta::Meta;

use crate::api::manage::get_dashboard;
use crate::domain::report::format_share;
use crate::domain::units::QuotaStatus;
use crate::domain::vntime::format_vn_time;
use crate::model::Dashboard;
use crate::pages::{AdminNav, ErrorBox};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new_blocking(crate::pages::contest_param, get_dashboard);
    view! {
        <Meta http_equiv="refresh" content="30"/>
        <h1>"Theo dõi cuộc thi"</h1>
        <AdminNav/>
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
    let below: Vec<(String, u32, u32)> = d
        .units
        .iter()
        .filter_map(|u| match u.quota {
            QuotaStatus::Short(n) => Some((u.unit_name.clone(), u.entrants, n)),
            _ => None,
        })
        .collect();
    let rows = d
        .units
        .into_iter()
        .map(|u| {
            let share = u.share_per_mille;
            let (quota, status, cls) = match (u.quota_percent, u.quota) {
                (Some(q), QuotaStatus::Met) => (format!("{q}% ({})", u.required), "Đạt", "ok"),
                (Some(q), QuotaStatus::Short(_)) => (format!("{q}% ({})", u.required), "Chưa đạt", "short"),
                _ => ("—".to_string(), "", ""),
            };
            view! {
                <tr data-testid="unit-row" data-quota=cls>
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
                    <td class="num">{quota}</td>
                    <td class=cls>{status}</td>
                </tr>
            }
        })
        .collect_view();
    let compliance = if below.is_empty() {
        view! { <p class="notice" data-testid="all-met">"Mọi đơn vị có tỷ lệ bắt buộc đều đã đạt."</p> }.into_any()
    } else {
        view! {
            <ul class="card" data-testid="below-quota">
                {below.into_iter().map(|(name, entrants, short)| view! {
                    <li>{format!("{name}: {entrants} người dự thi, còn thiếu {short}")}</li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="muted small">{format!("Cập nhật lúc {} (tự làm mới mỗi 30 giây)", format_vn_time(d.server_now_ms))}</p>
        <div class="figures">
            {figure("Đã đăng ký", d.registered, "registered")}
            {figure("Đã dự thi", d.entrants, "entrants")}
            {figure("Lượt thi hôm nay", d.attempts_today, "attempts-today")}
            {figure("Tổng lượt thi", d.attempts_total, "attempts-total")}
            {figure("Đang làm bài", d.in_progress, "in-progress")}
        </div>
        <h2>{format!("Đơn vị chưa đạt tỷ lệ tham gia bắt buộc ({})", d.below_quota)}</h2>
        {compliance}
        {(d.short_of_rules > 0).then(|| view! {
            <p class="card" data-testid="short-of-rules">
                {format!("{} đơn vị chưa đạt chỉ tiêu tham gia theo chức vụ, đối tượng. ", d.short_of_rules)}
                <a href=crate::domain::contests::with_contest("/quan-tri/doi-tuong", &crate::pages::contest_param())>"Xem từng chỉ tiêu"</a>
            </p>
        })}
        <h2>"Tham gia theo đơn vị"</h2>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
            <thead><tr><th>"Đơn vị"</th><th>"Dự thi / biên chế"</th><th>"Tỷ lệ"</th><th>"Bắt buộc (số người)"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <h2>"Xuất dữ liệu"</h2>
        <p class="actions">
            <a class="button" href=crate::domain::contests::with_contest("/quan-tri/xuat/thi-sinh.xlsx", &crate::pages::contest_param()) download data-testid="export-participants">"Người dự thi (.xlsx)"</a>
            <a class="button" href=crate::domain::contests::with_contest("/quan-tri/xuat/luot-thi.xlsx", &crate::pages::contest_param()) download data-testid="export-attempts">"Lượt thi (.xlsx)"</a>
            <a class="button" href="/quan-tri/xuat/don-vi.xlsx" download>"Đơn vị (.xlsx)"</a>
        </p>
    }
}
