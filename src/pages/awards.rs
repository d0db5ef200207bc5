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
use crate::pages::{flash_error, query_value, AdminNav, ErrorBox};

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
                Some(PrizeList::Units) | None => get_awards(0, contest).await,
            }
        },
    );
    let error = flash_error();
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
                        <td><SetAside round_id=round_id user_id=user_id/></td>
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

/// Sets a person's entry in the round aside, with the reason the committee writes.
#[component]
fn SetAside(round_id: i64, user_id: i64) -> impl IntoView {
    view! {
        <form method="post" action=DisqualifyEntry::url() class="inline">
            <input type="hidden" name="round_id" value=round_id.to_string()/>
            <input type="hidden" name="user_id" value=user_id.to_string()/>
            <input name="reason" required placeholder="Lý do loại"/>
            <button type="submit" class="link">"Loại"</button>
        </form>
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
    let flagged = v
        .flagged
        .into_iter()
        .map(|f| {
            let user_id = f.user_id;
            view! {
                <li class="card" data-testid="flagged" data-attempt=f.attempt_id.to_string()>
                    <p><strong>{f.full_name}</strong>" · "{f.unit_name}{format!(" · {} điểm · bài số {}", f.score, f.attempt_id)}</p>
                    <ul>{f.evidence.into_iter().map(|e| view! { <li class="small" data-testid="evidence">{e}</li> }).collect_view()}</ul>
                    {can_change.then(|| view! { <SetAside round_id=round_id user_id=user_id/> })}
                </li>
            }
        })
        .collect_view();
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
            <h2>"Bài thi cần xem xét trước khi trao giải"</h2>
            <p class="muted small">
                "Hệ thống chỉ nêu dấu hiệu kèm căn cứ; thứ hạng không thay đổi. "
                "Ban Tổ chức xem xét và loại bài thi (ghi rõ lý do) nếu có vi phạm. "
                "Bảng xếp hạng và trang kết quả không hiển thị các dấu hiệu này."
            </p>
            {if flagged.is_empty() {
                view! { <p class="muted" data-testid="no-flags">"Không có bài thi nào có dấu hiệu bất thường."</p> }.into_any()
            } else {
                view! { <ul class="flags">{flagged}</ul> }.into_any()
            }}
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
                    Some(PrizeList::Units) | None => round_awards(0).await,
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

/// The published collective prizes (`/giai-thuong/tap-the`), with their certificates.
#[component]
fn UnitAwardsPage() -> impl IntoView {
    let data = Resource::new_blocking(crate::pages::contest_param, unit_awards);
    let pdf = crate::domain::contests::with_contest(
        &format!(
            "/giai-thuong/{}/giay-chung-nhan.pdf",
            PrizeList::Units.segment()
        ),
        &crate::pages::contest_param(),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || { let pdf = pdf.clone(); Suspend::new(async move {
                match data.await {
                    Ok(v) => view! {
                        <h1>{format!("Giải tập thể · {}", v.contest_name)}</h1>
                        <UnitAwardsTable v=v/>
                        <p class="actions">
                            <a class="button" href=pdf download data-testid="unit-certificates">"Giấy chứng nhận (PDF)"</a>
                        </p>
                    }.into_any(),
                    Err(e) => view! { <h1>"Giải tập thể"</h1><ErrorBox error=e/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

fn unit_rows(rows: Vec<UnitPrizeRow>, explain: bool) -> impl IntoView {
    rows.into_iter()
        .map(|r| {
            let rank = if r.tied {
                format!("={}", r.rank)
            } else {
                r.rank.to_string()
            };
            let prize = match (r.prize, r.amount) {
                (false, _) => String::new(),
                (true, 0) => r.prize_name.clone(),
                (true, a) => format!(
                    "{} ({} đ)",
                    r.prize_name,
                    crate::domain::awards::group_thousands(a)
                ),
            };
            let reason = (explain && !r.reason.is_empty())
                .then(|| format!("Xếp sau đơn vị trên vì: {}", r.reason.to_lowercase()));
            view! {
                <tr data-testid="unit-prize" class:prize=r.prize>
                    <td class="rank">{rank}</td>
                    <td><div class="name">{r.unit_name}</div>
                        {reason.map(|t| view! { <div class="muted small">{t}</div> })}</td>
                    <td class="num">{r.value}</td>
                    <td>{prize}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn UnitAwardsTable(v: UnitAwardsView) -> impl IntoView {
    let kinds = (!v.kinds_label.is_empty()).then(|| format!(" Xét: {}.", v.kinds_label));
    let total = (v.payout_total > 0).then(|| {
        format!(
            "Tổng tiền thưởng: {} đồng.",
            crate::domain::awards::group_thousands(v.payout_total)
        )
    });
    view! {
        <p class="muted small">{format!("Xếp hạng theo: {}.", v.criterion_label)}{kinds}</p>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board" data-testid="unit-awards">
            <thead><tr><th>"Hạng"</th><th>"Đơn vị"</th><th>"Chỉ số"</th><th>"Giải"</th></tr></thead>
            <tbody>{unit_rows(v.rows, false)}</tbody>
        </table></div>
        {total.map(|t| view! { <p class="small" data-testid="unit-payout">{t}</p> })}
    }
}

/// How many links of the collective chain the form offers.
const UNIT_CHAIN_LINKS: usize = 4;

/// The chain from the page's query: `tieu-chi` as codes (a link back from the server), or
/// the form's ordered choices `tieu-chi-1`, `tieu-chi-2`...
fn chain_from_query() -> String {
    let whole = query_value("tieu-chi");
    if !whole.is_empty() {
        return whole;
    }
    (1..=UNIT_CHAIN_LINKS)
        .map(|i| query_value(&format!("tieu-chi-{i}")))
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

/// The kinds from the page's query: `loai` as codes, or one checkbox per kind (`loai-ward`).
fn kinds_from_query() -> String {
    let whole = query_value("loai");
    if !whole.is_empty() {
        return whole;
    }
    crate::domain::units::KINDS
        .iter()
        .filter(|(k, _)| !query_value(&format!("loai-{k}")).is_empty())
        .map(|(k, _)| *k)
        .collect::<Vec<_>>()
        .join(",")
}

/// Collective prizes: units ranked by a chain the committee picks (a GET form).
#[component]
pub fn UnitPrizesPage() -> impl IntoView {
    let choice = (
        chain_from_query(),
        query_value("diem"),
        query_value("so-giai").parse::<u32>().ok(),
        query_value("co-cau"),
        kinds_from_query(),
        query_value("ty-le"),
    );
    let data = Resource::new_blocking(
        move || (choice.clone(), crate::pages::contest_param()),
        |((c, p, n, t, k, q), contest)| unit_prizes(c, p, n, t, k, q, contest),
    );
    let error = flash_error();
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
    let chain: Vec<&str> = v.criterion.split(',').collect();
    let links = (0..UNIT_CHAIN_LINKS)
        .map(|i| {
            let chosen = chain.get(i).copied().unwrap_or_default().to_string();
            let options = v
                .criteria
                .iter()
                .map(|(code, label)| {
                    view! { <option value=code.clone() selected=*code == chosen>{label.clone()}</option> }
                })
                .collect_view();
            let label = if i == 0 { "Tiêu chí 1".to_string() } else { format!("Rồi đến tiêu chí {}", i + 1) };
            view! {
                <label>{label}
                    <select name=format!("tieu-chi-{}", i + 1) data-testid=format!("unit-link-{}", i + 1)>
                        {(i > 0).then(|| view! { <option value="" selected=chosen.is_empty()>"(không dùng)"</option> })}
                        {options}
                    </select>
                </label>
            }
        })
        .collect_view();
    let kinds = v
        .kinds
        .iter()
        .map(|(code, label, on)| {
            view! {
                <label class="check">
                    <input type="checkbox" name=format!("loai-{code}") checked=*on/>
                    {format!(" {label}")}
                </label>
            }
        })
        .collect_view();
    let left_out = v
        .left_out
        .iter()
        .map(|(unit, why)| view! { <li data-testid="unit-left-out">{format!("{unit}: {why}.")}</li> })
        .collect_view();
    let has_left_out = !v.left_out.is_empty();
    let stored = v.stored.clone();
    let kinds_codes = v
        .kinds
        .iter()
        .filter(|(_, _, on)| *on)
        .map(|(c, _, _)| c.clone())
        .collect::<Vec<_>>()
        .join(",");
    let quota = if v.quota_required { "" } else { "off" };
    view! {
        <form method="get" action="/quan-tri/giai-tap-the" class="card form">
            <input type="hidden" name="cuoc-thi" value=crate::pages::contest_param()/>
            <fieldset>
                <legend>"Xếp hạng đơn vị theo thứ tự tiêu chí"</legend>
                {links}
                <p class="muted small">"Bằng nhau ở tiêu chí trước thì xét tiêu chí sau; bằng nhau ở mọi tiêu chí thì cùng hạng, cùng giải."</p>
            </fieldset>
            <label>"Cơ cấu giải (tên giải:số lượng[:tiền thưởng], từ cao xuống thấp)"
                <input name="co-cau" value=v.tiers.clone() placeholder="Nhất:1:1.000.000, Nhì:1, Ba:1, Khuyến khích:5" data-testid="unit-tiers"/>
            </label>
            <label>"Hoặc số giải (không đặt tên)" <input name="so-giai" inputmode="numeric" value=v.prizes.to_string()/></label>
            <fieldset>
                <legend>"Loại đơn vị được xét (không chọn: mọi đơn vị)"</legend>
                {kinds}
            </fieldset>
            <label>"Điều kiện tỷ lệ tham gia bắt buộc"
                <select name="ty-le">
                    <option value="" selected=v.quota_required>"Đơn vị chưa đạt tỷ lệ bắt buộc hoặc chỉ tiêu theo chức vụ không được xét"</option>
                    <option value="off" selected=!v.quota_required>"Không áp dụng"</option>
                </select>
            </label>
            <label>"Điểm mỗi giải cá nhân, từ cao xuống thấp (cho tiêu chí tổng điểm giải)" <input name="diem" value=v.points.clone()/></label>
            <button type="submit" class="button">"Xếp hạng"</button>
        </form>
        <p class="muted small" data-testid="unit-chain">{format!("Xếp theo: {}.", v.criterion_label)}</p>
        <div class="scroll" tabindex="0" role="region" aria-label="Bảng số liệu (cuộn ngang để xem hết)"><table class="board">
            <thead><tr><th>"Hạng"</th><th>"Đơn vị"</th><th>"Chỉ số"</th><th>"Giải"</th></tr></thead>
            <tbody>{unit_rows(v.rows, true)}</tbody>
        </table></div>
        {has_left_out.then(|| view! {
            <h2>"Đơn vị không được xét"</h2>
            <ul class="small">{left_out}</ul>
        })}
        <form method="post" action=ComputeUnitAwards::url() class="inline">
            <crate::pages::ContestField/>
            <input type="hidden" name="criterion" value=v.criterion.clone()/>
            <input type="hidden" name="tiers" value=v.tiers.clone()/>
            <input type="hidden" name="prizes" value=v.prizes.to_string()/>
            <input type="hidden" name="kinds" value=kinds_codes/>
            <input type="hidden" name="quota" value=quota/>
            <input type="hidden" name="points" value=v.points.clone()/>
            <button type="submit" class="button" data-testid="compute-units">"Tính giải theo cách xếp hạng này"</button>
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
                let export = crate::domain::contests::with_contest("/quan-tri/xuat/giai-tap-the.xlsx", &crate::pages::contest_param());
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
                        <a class="button" href=export download data-testid="export-units">"Tải danh sách (.xlsx)"</a>
                        <a class="button" href=crate::domain::contests::with_contest("/giai-thuong/tap-the", &crate::pages::contest_param())>"Trang kết quả công khai"</a>
                    </p>
                }.into_any()
            }
        }}
    }
}
