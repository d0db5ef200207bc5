//! The committee's reports: participation by unit, day and round (with the units below
//! their quota), the spread of scores, and item statistics. Server-rendered with SVG charts
//! and printable; everything also downloads as one .xlsx workbook.

use leptos::prelude::*;

use crate::api::report::{get_report, REPORTS_PATH};
use crate::components::chart::{Bar, BarChart};
use crate::domain::report::{format_index, format_percent, format_share};
use crate::domain::units::QuotaStatus;
use crate::model::ReportView;
use crate::pages::{query_value, AdminNav, ErrorBox};

#[component]
pub fn ReportsPage() -> impl IntoView {
    let round = query_value("vong").parse::<i64>().ok();
    let contest = crate::pages::contest_param();
    let data = Resource::new_blocking(
        move || (round, contest.clone()),
        |(round, contest)| get_report(round, contest),
    );
    view! {
        <h1>"Báo cáo, thống kê"</h1>
        <AdminNav/>
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <Report r=r/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(r: ReportView) -> impl IntoView {
    let selected = r.round_id;
    let options = std::iter::once((None, "Tất cả các vòng".to_string()))
        .chain(r.rounds.iter().map(|(id, name)| (Some(*id), name.clone())))
        .map(|(id, name)| {
            let value = id.map(|i| i.to_string()).unwrap_or_default();
            view! { <option value=value selected=id == selected>{name}</option> }
        })
        .collect_view();
    let export = crate::domain::contests::with_contest(
        &match selected {
            Some(id) => format!("/quan-tri/xuat/bao-cao.xlsx?vong={id}"),
            None => "/quan-tri/xuat/bao-cao.xlsx".to_string(),
        },
        &crate::pages::contest_param(),
    );
    view! {
        <form method="get" action=REPORTS_PATH class="card form inline actions">
            <input type="hidden" name="cuoc-thi" value=crate::pages::contest_param()/>
            <label>"Phổ điểm và thống kê câu hỏi của " <select name="vong">{options}</select></label>
            <button type="submit" class="button">"Xem"</button>
            <a class="button" href=export download data-testid="export-report">"Tải báo cáo (.xlsx)"</a>
        </form>
        <Participation r=r.clone()/>
        <Scores r=r.clone()/>
        <Items r=r/>
    }
}

#[component]
fn Participation(r: ReportView) -> impl IntoView {
    let with_headcount: Vec<_> = r.units.iter().filter(|u| u.headcount > 0).collect();
    let bars: Vec<Bar> = with_headcount
        .iter()
        .map(|u| Bar {
            label: u.unit_name.clone(),
            value: f64::from(u.share_per_mille.unwrap_or(0)) / 10.0,
            shown: format!(
                "{} ({}/{})",
                format_share(u.share_per_mille.unwrap_or(0)),
                u.entrants,
                u.headcount
            ),
            mark: u.quota_percent.map(f64::from),
            alert: matches!(u.quota, QuotaStatus::Short(_)),
        })
        .collect();
    let short: Vec<_> = r
        .units
        .iter()
        .filter_map(|u| match u.quota {
            QuotaStatus::Short(n) => Some(view! {
                <li data-testid="short-unit">
                    {format!("{}: {} người dự thi, cần {} (thiếu {n})", u.unit_name, u.entrants, u.required)}
                </li>
            }),
            _ => None,
        })
        .collect();
    let short_count = short.len();
    let day_bars: Vec<Bar> = r
        .by_day
        .iter()
        .map(|d| Bar {
            label: d.day.clone(),
            value: f64::from(d.attempts),
            shown: format!("{} lượt, {} người", d.attempts, d.entrants),
            mark: None,
            alert: false,
        })
        .collect();
    let days = r
        .by_day
        .iter()
        .map(|d| view! {
            <tr data-testid="day-row"><td>{d.day.clone()}</td><td class="num">{d.registrations}</td>
                <td class="num">{d.entrants}</td><td class="num">{d.attempts}</td></tr>
        })
        .collect_view();
    let round_heads = r
        .rounds
        .iter()
        .map(|(_, n)| view! { <th>{n.clone()}</th> })
        .collect_view();
    let unit_rounds = r
        .unit_rounds
        .iter()
        .map(|(name, per)| {
            let cells = per
                .iter()
                .map(|n| view! { <td class="num">{*n}</td> })
                .collect_view();
            view! { <tr data-testid="unit-round-row"><td>{name.clone()}</td>{cells}</tr> }
        })
        .collect_view();
    let rounds = r
        .by_round
        .iter()
        .map(|x| view! {
            <tr data-testid="round-row"><td>{x.name.clone()}</td><td class="num">{x.entrants}</td>
                <td class="num">{x.attempts}</td></tr>
        })
        .collect_view();
    view! {
        <section>
            <h2>"Tham gia theo đơn vị"</h2>
            <BarChart title="Tỷ lệ người dự thi trên biên chế (vạch đứt: chỉ tiêu bắt buộc)".to_string() bars=bars max=100.0/>
            <h3>{format!("Đơn vị chưa đạt chỉ tiêu ({short_count})")}</h3>
            {if short_count == 0 {
                view! { <p class="muted">"Mọi đơn vị có chỉ tiêu đều đã đạt."</p> }.into_any()
            } else {
                view! { <ul>{short}</ul> }.into_any()
            }}
        </section>
        <section>
            <h2>"Theo ngày"</h2>
            <BarChart title="Lượt thi mỗi ngày".to_string() bars=day_bars max=0.0/>
            <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
                <thead><tr><th>"Ngày"</th><th>"Đăng ký mới"</th><th>"Người dự thi"</th><th>"Lượt thi"</th></tr></thead>
                <tbody>{days}</tbody>
            </table></div>
        </section>
        <section>
            <h2>"Theo vòng"</h2>
            <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
                <thead><tr><th>"Đơn vị (người dự thi)"</th>{round_heads}</tr></thead>
                <tbody>{unit_rounds}</tbody>
            </table></div>
            <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
                <thead><tr><th>"Vòng"</th><th>"Người dự thi"</th><th>"Lượt thi"</th></tr></thead>
                <tbody>{rounds}</tbody>
            </table></div>
        </section>
    }
}

#[component]
fn Scores(r: ReportView) -> impl IntoView {
    let bars: Vec<Bar> = r
        .bins
        .iter()
        .rev()
        .map(|b| Bar {
            label: format!("{}–{} điểm", b.from, b.to),
            value: f64::from(b.count),
            shown: b.count.to_string(),
            mark: None,
            alert: false,
        })
        .collect();
    let summary = match &r.summary {
        Some(s) => format!(
            "{} bài đã nộp; điểm trung bình {}; trung vị {}; thấp nhất {}, cao nhất {} (tối đa {}).",
            s.count,
            format!("{:.1}", s.mean).replace('.', ","),
            format!("{:.1}", s.median).replace('.', ","),
            s.min,
            s.max,
            r.max_score
        ),
        None => "Chưa có bài nào được nộp.".to_string(),
    };
    view! {
        <section>
            <h2>"Phổ điểm"</h2>
            <p data-testid="score-summary">{summary}</p>
            <BarChart title="Số bài theo khoảng điểm".to_string() bars=bars max=0.0/>
        </section>
    }
}

#[component]
fn Items(r: ReportView) -> impl IntoView {
    let rows = r
        .items
        .into_iter()
        .map(|i| {
            let choices = i
                .choices
                .iter()
                .map(|(l, n)| format!("{l}: {n}"))
                .collect::<Vec<_>>()
                .join(" · ");
            let flagged = i.flag.is_some();
            view! {
                <tr data-testid="item-row" class:flagged=flagged>
                    <td><div>{i.text}</div><div class="muted small">{format!("{} · mã {}", i.topic, i.question_id)}</div>
                        {i.flag.map(|f| view! { <div class="small short">{f}</div> })}</td>
                    <td class="num">{i.presented}</td>
                    <td class="num" data-testid="facility">{format_percent(i.facility)}</td>
                    <td class="num" data-testid="discrimination">{format_index(i.discrimination)}</td>
                    <td>{i.correct_letter}</td>
                    <td data-testid="top-wrong">{i.top_wrong.map(|(l, n)| format!("{l} ({n})"))}</td>
                    <td class="num">{i.blank}</td>
                    <td class="small wide-only">{choices}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section>
            <h2>"Thống kê câu hỏi"</h2>
            <p class="muted small">
                "Tỷ lệ đúng: độ khó của câu. Độ phân biệt: tỷ lệ đúng của 27% bài điểm cao nhất trừ 27% bài điểm thấp nhất; "
                "âm hoặc gần 0 là câu cần xem lại. Câu cần chú ý được xếp lên đầu."
            </p>
            <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
                <thead><tr>
                    <th>"Câu hỏi"</th><th>"Số lần ra"</th><th>"Tỷ lệ đúng"</th><th>"Độ phân biệt"</th>
                    <th>"Đáp án"</th><th>"Sai nhiều nhất"</th><th>"Bỏ trống"</th><th class="wide-only">"Các phương án"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}
