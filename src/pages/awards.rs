//! Round prizes (the committee's review page, the public results page, certificates) and
//! collective prizes for units.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use crate::api::awards::{
    get_awards, get_overall_awards, overall_awards, round_awards, unit_awards, unit_prizes,
    ComputeAwards, ComputeOverallAwards, ComputeUnitAwards, DisqualifyEntry, PublishAwards,
    PublishOverallAwards, PublishUnitAwards, AWARDS_PATH,
};
use crate::model::{
    AwardRow, AwardsView, PrizeList, UnitAwardsView, UnitPrizeRow, UnitPrizesView, OVERALL_NAME,
};
use crate::pages::{error_from_query, query_value, AdminNav, ErrorBox};

#[component]
pub fn AwardsAdminPage() -> impl IntoView {
    // `?vong=tong`: the prizes over the whole contest.
    let which = query_value("vong");
    let contest = crate::pages::contest_param();
    let data = Resource::new_blocking(
        move || (which.clone(), contest.clone()),
        |(which, contest)| async move {
            match PrizeList::parse(&which) {
                Some(PrizeList::Overall) => get_overall_awards(contest).await,
                Some(PrizeList::Round(id)) => get_awards(id, contest).await,
                None => get_awards(0, contest).await,
            }
        },
    );
    let error = error_from_query();
    let computed = query_value("tinh");
    view! {
        <h1>"Giải thưởng"</h1>
        <AdminNav/>
        {error.map(|e| view! { <ErrorBox error=e/> })}
        {(!computed.is_empty()).then(|| view! {
            <p class="notice" data-testid="computed">{format!("Đã tính {computed} giải. Xem lại trước khi công bố.")}</p>
        })}
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <AwardsReview v=v/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn winners_table(list: Vec<AwardRow>, admin: Option<i64>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|a| {
            let user_id = a.user_id;
            view! {
                <tr data-testid="award">
                    <td>{a.prize}</td>
                    <td class="rank">{a.rank}</td>
                    <td><div class="name">{a.full_name}</div><div class="muted small">{a.unit_name}</div>
                        <div class="small">{a.explanation}</div></td>
                    {admin.map(|round_id| view! {
                        <td>
                            <form method="post" action=DisqualifyEntry::url() class="inline">
                                <input type="hidden" name="round_id" value=round_id.to_string()/>
                                <input type="hidden" name="user_id" value=user_id.to_string()/>
                                <input name="reason" required placeholder="Lý do loại"/>
                                <button type="submit" class="link">"Loại"</button>
                            </form>
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board" data-testid="awards">
            <thead><tr><th>"Giải"</th><th>"Hạng"</th><th>"Họ tên · Đơn vị · Căn cứ xếp hạng"</th>{admin.map(|_| view! { <th></th> })}</tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

/// The results page's id: the round, or `tong` for the whole contest (round 0).
fn public_id(v: &AwardsView) -> String {
    if v.round_id == 0 {
        PrizeList::Overall.segment()
    } else {
        PrizeList::Round(v.round_id).segment()
    }
}

#[component]
fn AwardsReview(v: AwardsView) -> impl IntoView {
    let round_id = v.round_id;
    let overall = round_id == 0;
    let public_id = public_id(&v);
    let tabs = v
        .rounds
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone(), *id == round_id))
        .chain(std::iter::once((
            PrizeList::Overall.segment(),
            OVERALL_NAME.to_string(),
            overall,
        )))
        .map(|(id, name, current)| {
            let cls = if current { "button primary" } else { "button" };
            view! { <a class=cls href=crate::domain::contests::with_contest(&format!("{AWARDS_PATH}?vong={id}"), &crate::pages::contest_param())>{name}</a> }
        })
        .collect_view();
    let (compute_url, publish_url) = if overall {
        (ComputeOverallAwards::url(), PublishOverallAwards::url())
    } else {
        (ComputeAwards::url(), PublishAwards::url())
    };
    let published = v.published_at.clone();
    let can_change = published.is_none();
    let set_aside = v
        .disqualified
        .into_iter()
        .map(|d| view! { <li data-testid="disqualified">{format!("{} — {} ({})", d.full_name, d.reason, d.at)}</li> })
        .collect_view();
    view! {
        <div class="actions">{tabs}</div>
        <p class="muted small">{format!("Cơ cấu giải: {}", if v.prizes.is_empty() { "chưa đặt" } else { &v.prizes })}</p>
        <p class="muted small">{match (&published, &v.results_at) {
            (Some(p), Some(r)) => format!("Đã công bố lúc {p}; hiển thị công khai từ {r}."),
            (Some(p), None) => format!("Đã công bố lúc {p}."),
            (None, Some(r)) => format!("Chưa công bố. Thời điểm công bố dự kiến: {r}."),
            (None, None) => "Chưa công bố.".to_string(),
        }}</p>
        {(!v.closed).then(|| view! { <p class="notice">"Vòng thi chưa kết thúc; giải được tính sau khi vòng thi đóng."</p> })}
        {(can_change && v.closed).then(|| view! {
            <div class="actions">
                <form method="post" action=compute_url class="inline">
                    <crate::pages::ContestField/>
                    {(!overall).then(|| view! { <input type="hidden" name="round_id" value=round_id.to_string()/> })}
                    <button type="submit" class="button" data-testid="compute">"Tính giải"</button>
                </form>
                <form method="post" action=publish_url class="inline">
                    <crate::pages::ContestField/>
                    {(!overall).then(|| view! { <input type="hidden" name="round_id" value=round_id.to_string()/> })}
                    <button type="submit" class="button primary" data-testid="publish">"Công bố"</button>
                </form>
            </div>
        })}
        {winners_table(v.awards, (can_change && !overall).then_some(round_id))}
        {(!overall).then(|| view! {
            <h2>"Bài thi bị loại"</h2>
            <ul>{set_aside}</ul>
        })}
        <p class="actions">
            <a class="button" href=crate::domain::contests::with_contest(&format!("/giai-thuong/{public_id}"), &crate::pages::contest_param())>"Trang kết quả công khai"</a>
            {(!overall).then(|| view! {
                <a class="button" href=format!("/quan-tri/xuat/giai-thuong/{round_id}") download data-testid="export-winners">"Danh sách đạt giải (.xlsx)"</a>
            })}
            <a class="button" href=crate::domain::contests::with_contest(&format!("/giai-thuong/{public_id}/giay-chung-nhan.pdf"), &crate::pages::contest_param()) download>"Giấy chứng nhận (PDF)"</a>
        </p>
    }
}

#[component]
pub fn AwardsPage() -> impl IntoView {
    // `/giai-thuong/tong`: the prizes over the whole contest.
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    if id == "tap-the" {
        return view! { <UnitAwardsPage/> }.into_any();
    }
    let contest = crate::pages::contest_param();
    let data = Resource::new_blocking(
        move || id.clone(),
        move |id| {
            let contest = contest.clone();
            async move {
                match PrizeList::parse(&id) {
                    Some(PrizeList::Overall) => overall_awards(contest).await,
                    Some(PrizeList::Round(id)) => round_awards(id).await,
                    None => round_awards(0).await,
                }
            }
        },
    );
    let here = crate::pages::contest_param();
    view! {
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || { let here = here.clone(); Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let pdf = crate::domain::contests::with_contest(
                            &format!("/giai-thuong/{}/giay-chung-nhan.pdf", public_id(&v)),
                            &here,
                        );
                        view! {
                            <h1>{format!("Kết quả {} · {}", v.round_name, v.contest_name)}</h1>
                            {winners_table(v.awards, None)}
                            <p class="actions">
                                <a class="button" href=pdf download data-testid="certificates">"Giấy chứng nhận (PDF)"</a>
                            </p>
                        }.into_any()
                    }
                    Err(e) => view! { <h1>"Kết quả vòng thi"</h1><ErrorBox error=e/> }.into_any(),
                }
            })}}
        </Suspense>
    }
    .into_any()
}

/// The published collective prizes (`/giai-thuong/tap-the`).
#[component]
fn UnitAwardsPage() -> impl IntoView {
    let data = Resource::new_blocking(crate::pages::contest_param, unit_awards);
    view! {
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! {
                        <h1>{format!("Giải tập thể · {}", v.contest_name)}</h1>
                        <UnitAwardsTable v=v/>
                    }.into_any(),
                    Err(e) => view! { <h1>"Giải tập thể"</h1><ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn unit_rows(rows: Vec<UnitPrizeRow>) -> impl IntoView {
    rows.into_iter()
        .map(|r| {
            view! {
                <tr data-testid="unit-prize" class:prize=r.prize>
                    <td class="rank">{r.rank}</td>
                    <td>{r.unit_name}</td>
                    <td class="num">{r.value}</td>
                    <td>{r.prize.then_some("Đạt giải")}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn UnitAwardsTable(v: UnitAwardsView) -> impl IntoView {
    view! {
        <p class="muted small">{format!("Tiêu chí: {}.", v.criterion_label)}</p>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board" data-testid="unit-awards">
            <thead><tr><th>"Hạng"</th><th>"Đơn vị"</th><th>"Chỉ số"</th><th></th></tr></thead>
            <tbody>{unit_rows(v.rows)}</tbody>
        </table></div>
    }
}

/// Collective prizes: units ranked by a criterion the committee picks (a GET form).
#[component]
pub fn UnitPrizesPage() -> impl IntoView {
    let (criterion, points, prizes) = (
        query_value("tieu-chi"),
        query_value("diem"),
        query_value("so-giai"),
    );
    let data = Resource::new_blocking(
        move || {
            (
                criterion.clone(),
                points.clone(),
                prizes.parse::<u32>().ok(),
                crate::pages::contest_param(),
            )
        },
        |(c, p, n, contest)| unit_prizes(c, p, n, contest),
    );
    let error = error_from_query();
    let computed = query_value("tinh");
    view! {
        <h1>"Giải tập thể"</h1>
        <AdminNav/>
        {error.map(|e| view! { <ErrorBox error=e/> })}
        {(!computed.is_empty()).then(|| view! {
            <p class="notice" data-testid="computed">{format!("Đã tính {computed} giải tập thể. Xem lại trước khi công bố.")}</p>
        })}
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <UnitPrizes v=v/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UnitPrizes(v: UnitPrizesView) -> impl IntoView {
    let options = v
        .criteria
        .iter()
        .map(|(code, label)| {
            let selected = *code == v.criterion;
            view! { <option value=code.clone() selected=selected>{label.clone()}</option> }
        })
        .collect_view();
    let stored = v.stored.clone();
    let (criterion, points, prizes) = (v.criterion.clone(), v.points.clone(), v.prizes.to_string());
    view! {
        <form method="get" action="/quan-tri/giai-tap-the" class="card form">
            <input type="hidden" name="cuoc-thi" value=crate::pages::contest_param()/>
            <label>"Tiêu chí" <select name="tieu-chi">{options}</select></label>
            <label>"Điểm mỗi giải cá nhân, từ cao xuống thấp" <input name="diem" value=v.points.clone()/></label>
            <label>"Số giải" <input name="so-giai" inputmode="numeric" value=v.prizes.to_string()/></label>
            <button type="submit" class="button">"Xếp hạng"</button>
        </form>
        <p class="muted small">
            {format!("Xếp theo: {}. Đơn vị chưa đạt tỷ lệ tham gia bắt buộc không được xét.", v.criterion_label)}
        </p>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
            <thead><tr><th>"Hạng"</th><th>"Đơn vị"</th><th>"Chỉ số"</th><th></th></tr></thead>
            <tbody>{unit_rows(v.rows)}</tbody>
        </table></div>
        <form method="post" action=ComputeUnitAwards::url() class="inline">
            <crate::pages::ContestField/>
            <input type="hidden" name="criterion" value=criterion/>
            <input type="hidden" name="points" value=points/>
            <input type="hidden" name="prizes" value=prizes/>
            <button type="submit" class="button" data-testid="compute-units">"Tính giải theo tiêu chí này"</button>
        </form>
        <h2>"Kết quả đã tính"</h2>
        {match stored {
            None => view! { <p class="muted">"Chưa tính giải tập thể. Giải được tính khi mọi vòng thi đã kết thúc."</p> }.into_any(),
            Some(s) => {
                let status = match &s.published_at {
                    Some(t) => format!("Tính lúc {}; đã công bố lúc {t}.", s.computed_at),
                    None => format!("Tính lúc {}; chưa công bố.", s.computed_at),
                };
                let published = s.published_at.is_some();
                view! {
                    <p class="small" data-testid="unit-awards-status">{status}</p>
                    <UnitAwardsTable v=s/>
                    <p class="actions">
                        {(!published).then(|| view! {
                            <form method="post" action=PublishUnitAwards::url() class="inline">
                                <crate::pages::ContestField/>
                                <button type="submit" class="button primary" data-testid="publish-units">"Công bố"</button>
                            </form>
                        })}
                        <a class="button" href=crate::domain::contests::with_contest("/giai-thuong/tap-the", &crate::pages::contest_param())>"Trang kết quả công khai"</a>
                    </p>
                }.into_any()
            }
        }}
    }
}
