use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::attempt::{attempt_path, result_path, StartAttempt};
use crate::api::auth::Logout;
use crate::api::contest::get_contest_overview;
use crate::api::contests::{get_contest_info, get_home};
use crate::domain::contests::{with_contest, ContestStage};
use crate::domain::vntime::format_vn_time;
use crate::model::contests::{ContestCard, ContestInfo};
use crate::model::{ContestOverview, Eligibility, Phase, RoundInfo};
use crate::pages::{flash_error, refill_value, ErrorBox};

/// The public home: the installation's contests (open ones first) and the featured one's
/// page; on an installation without a contest, what to do first.
#[component]
pub fn HomePage() -> impl IntoView {
    // The featured contest is asked for only when there is one (an empty installation is
    // not an error).
    let data = Resource::new_blocking(
        || (),
        |_| async {
            let home = get_home().await?;
            let overview = if home.contests.is_empty() {
                Err(crate::error::AppError::NotFound(String::new()))
            } else {
                get_contest_overview(String::new()).await
            };
            Ok::<_, crate::error::AppError>((home, overview))
        },
    );
    let flash = flash_error();
    view! {
        {flash.map(|e| view! { <ErrorBox error=e/> })}
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                let (home, overview) = match data.await {
                    Ok((h, o)) => (Ok(h), o),
                    Err(e) => (Err(e), Err(crate::error::AppError::Internal)),
                };
                match (home, overview) {
                    (Ok(h), _) if h.contests.is_empty() => view! { <NotSetUp has_admin=h.has_admin/> }.into_any(),
                    (Ok(h), Ok(o)) => view! {
                        {(h.contests.len() > 1).then(|| view! { <ContestCards cards=h.contests.clone()/> })}
                        <Overview o=o/>
                        {(h.contests.len() == 1).then(|| view! { <Results card=h.contests[0].clone()/> })}
                    }.into_any(),
                    (Ok(h), Err(_)) => view! { <ContestCards cards=h.contests/> }.into_any(),
                    (Err(e), _) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A fresh installation: no contest yet.
#[component]
fn NotSetUp(has_admin: bool) -> impl IntoView {
    view! {
        <h1 data-testid="not-set-up">"Hệ thống thi trực tuyến chưa được thiết lập"</h1>
        <div class="card">
            {if has_admin {
                view! {
                    <p>"Chưa có cuộc thi nào. Quản trị viên đăng nhập và tạo cuộc thi đầu tiên."</p>
                    <p class="actions">
                        <a class="button primary" href="/dang-nhap">"Đăng nhập"</a>
                        <a class="button" href="/quan-tri/cac-cuoc-thi">"Tạo cuộc thi"</a>
                    </p>
                }.into_any()
            } else {
                view! {
                    <p>"Chưa có quản trị viên. Người quản lý máy chủ tạo tài khoản quản trị đầu tiên bằng lệnh:"</p>
                    <pre>"cuocthi create-admin SỐ_ĐIỆN_THOẠI \"Họ và tên\""</pre>
                    <p>"rồi đăng nhập tại trang Đăng nhập và tạo cuộc thi."</p>
                }.into_any()
            }}
        </div>
    }
}

/// Contests as cards, each linking to its own page.
#[component]
fn ContestCards(cards: Vec<ContestCard>) -> impl IntoView {
    let list = cards
        .into_iter()
        .map(|c| {
            let href = format!("/cuoc-thi/{}", c.slug);
            let badge = match c.stage {
                ContestStage::Open => "badge open",
                ContestStage::Finished => "badge closed",
                _ => "badge upcoming",
            };
            view! {
                <section class="card" data-testid="contest-card">
                    <div class="round-head">
                        <h3><a href=href>{c.name.clone()}</a></h3>
                        <span class=badge>{c.stage.label()}</span>
                    </div>
                    {(!c.organizer_name.is_empty()).then(|| view! { <p class="muted">{c.organizer_name.clone()}</p> })}
                    <Results card=c/>
                </section>
            }
        })
        .collect_view();
    view! {
        <h2>"Các cuộc thi"</h2>
        <div class="rounds">{list}</div>
    }
}

/// Links to a contest's published results.
#[component]
fn Results(card: ContestCard) -> impl IntoView {
    let slug = card.slug.clone();
    let mut links: Vec<(String, String)> = card
        .published_rounds
        .iter()
        .map(|(id, name)| (format!("/giai-thuong/{id}"), format!("Kết quả {name}")))
        .collect();
    if card.overall_published {
        links.push((
            with_contest("/giai-thuong/tong", &slug),
            "Kết quả toàn cuộc thi".into(),
        ));
    }
    if card.units_published {
        links.push((
            with_contest("/giai-thuong/tap-the", &slug),
            "Giải tập thể".into(),
        ));
    }
    (!links.is_empty()).then(|| {
        view! {
            <p class="links" data-testid="results-links">
                {links.into_iter().map(|(href, label)| view! { <a href=href>{label}</a> " " }).collect_view()}
            </p>
        }
    })
}

/// A contest's own page: its rounds and rules, news, help and the organizer's contacts.
#[component]
pub fn ContestPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = params.get_untracked().get("slug").unwrap_or_default();
    let s2 = slug.clone();
    let overview = Resource::new_blocking(move || s2.clone(), get_contest_overview);
    let info = Resource::new_blocking(move || slug.clone(), get_contest_info);
    let flash = flash_error();
    view! {
        {flash.map(|e| view! { <ErrorBox error=e/> })}
        <Suspense fallback=|| view! { <p>"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match (overview.await, info.await) {
                    (Ok(o), Ok(i)) => view! {
                        <ShareTags o=o.clone() info=i.clone()/>
                        <Overview o=o/>
                        <ContestNews info=i.clone()/>
                        <ContestFooter info=i/>
                    }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The page's title and what a shared link shows (Open Graph: Zalo, Facebook): the contest's
/// name, dates, the round open now or next, the organizer, and its logo when it has one.
#[component]
fn ShareTags(o: ContestOverview, info: ContestInfo) -> impl IntoView {
    use leptos_meta::{Meta, Title};
    let rounds: Vec<(String, i64, i64, bool)> = o
        .rounds
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                r.opens_at_ms,
                r.closes_at_ms,
                r.phase == Phase::Open,
            )
        })
        .collect();
    let organizer = info.profile.organizer_name.clone();
    let description =
        crate::domain::contests::share_description(&rounds, &organizer, o.server_now_ms);
    let logo = info.profile.logo_url.clone();
    let image = (logo.starts_with("https://") || logo.starts_with("http://")).then_some(logo);
    let site = if organizer.is_empty() {
        "Cuộc thi trực tuyến".to_string()
    } else {
        organizer
    };
    view! {
        <Title text=o.name.clone()/>
        <Meta name="description" content=description.clone()/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:site_name" content=site/>
        <Meta property="og:title" content=o.name.clone()/>
        <Meta property="og:description" content=description/>
        {image.map(|src| view! { <Meta property="og:image" content=src/> })}
    }
}

#[component]
fn ContestNews(info: ContestInfo) -> impl IntoView {
    let help = info.profile.help_text.clone();
    view! {
        {(!info.news.is_empty()).then(|| view! {
            <h2>"Tin tức"</h2>
            {info.news.iter().map(|n| view! {
                <article class="card" data-testid="news">
                    <h3>{n.title.clone()}</h3>
                    <p class="muted small">{n.at.clone()}</p>
                    {n.body.lines().map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}
                </article>
            }).collect_view()}
        })}
        {(!help.is_empty()).then(|| view! {
            <details class="card" data-testid="help">
                <summary>"Hướng dẫn và câu hỏi thường gặp"</summary>
                {help.lines().map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}
            </details>
        })}
    }
}

/// The organizer's name, logo and contacts.
#[component]
fn ContestFooter(info: ContestInfo) -> impl IntoView {
    let p = info.profile;
    let any = !(p.organizer_name.is_empty()
        && p.contact_phone.is_empty()
        && p.contact_email.is_empty()
        && p.contact_address.is_empty());
    any.then(|| {
        view! {
            <footer class="card contest-footer" data-testid="organizer">
                {(!p.logo_url.is_empty()).then(|| view! { <img src=p.logo_url.clone() alt="" width="48" height="48"/> })}
                <p><strong>{p.organizer_name.clone()}</strong></p>
                {(!p.contact_address.is_empty()).then(|| view! { <p>{format!("Địa chỉ: {}", p.contact_address)}</p> })}
                {(!p.contact_phone.is_empty()).then(|| view! { <p>{format!("Điện thoại: {}", p.contact_phone)}</p> })}
                {(!p.contact_email.is_empty()).then(|| view! { <p>{format!("Thư điện tử: {}", p.contact_email)}</p> })}
            </footer>
        }
    })
}

#[component]
fn Overview(o: ContestOverview) -> impl IntoView {
    let account = match &o.viewer {
        Some(u) => view! {
            <div class="card account" data-testid="account">
                <p>"Xin chào, " <strong data-testid="viewer-name">{u.full_name.clone()}</strong>
                   " (" {u.unit_name.clone()} ")"</p>
                {(u.role != "participant").then(|| view! {
                    <p class="links">
                        <a href="/quan-tri/cau-hoi" data-testid="go-admin">"Ngân hàng câu hỏi"</a>
                        {(u.role == "admin").then(|| view! { <a href="/quan-tri/cuoc-thi">"Cài đặt cuộc thi"</a> })}
                        {matches!(u.role.as_str(), "admin" | "secretary").then(|| view! {
                            <a href="/quan-tri/theo-doi">"Theo dõi"</a>
                        })}
                        {matches!(u.role.as_str(), "admin" | "juror").then(|| view! {
                            <a href="/quan-tri/cham-sang-kien" data-testid="go-jury">"Chấm sáng kiến"</a>
                        })}
                    </p>
                })}
                <form method="post" action=Logout::url()>
                    <button type="submit" class="link">"Đăng xuất"</button>
                </form>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="card account">
                <p>"Đăng ký một tài khoản (mỗi người một tài khoản) để dự thi."</p>
                <div class="actions">
                    <a class="button primary" href="/dang-ky" data-testid="go-register">"Đăng ký dự thi"</a>
                    <a class="button" href="/dang-nhap" data-testid="go-login">"Đăng nhập"</a>
                </div>
            </div>
        }
        .into_any(),
    };
    let rounds = o
        .rounds
        .iter()
        .map(|r| {
            let el = o.eligibility.iter().find(|e| e.round_id == r.id).cloned();
            view! { <RoundCard round=r.clone() eligibility=el logged_in=o.viewer.is_some() choices=o.profile_choices.clone()/> }
        })
        .collect_view();
    view! {
        <h1 class="contest-title" data-testid="contest-name">{o.name.clone()}</h1>
        <p class="facts">
            {format!(
                "{} câu hỏi · {} phút · tối đa {} lượt mỗi vòng · từ đủ {} tuổi",
                o.questions_per_attempt,
                o.time_limit_secs / 60,
                o.max_attempts_per_round,
                o.min_age,
            )}
        </p>
        {account}
        {(!o.my_profile.is_empty()).then(|| view! {
            <p class="muted small" data-testid="my-profile">{format!("Bạn dự thi với tư cách: {}.", o.my_profile)}</p>
        })}
        {o.bank_published.then(|| view! {
            <p><a class="button" href=with_contest("/on-tap", &o.slug) data-testid="go-study">"Ôn tập bộ câu hỏi và đáp án"</a></p>
        })}
        <p><a class="button" href="/sang-kien" data-testid="go-initiatives">"Cuộc thi sáng kiến, giải pháp cải cách hành chính"</a></p>
        <h2>"Các vòng thi"</h2>
        <div class="rounds">{rounds}</div>
        <details class="card rules" open=o.viewer.is_none()>
            <summary>"Thể lệ cuộc thi"</summary>
            <div class="rules-text">
                {o.rules_text.lines().map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}
            </div>
        </details>
    }
}

/// The category and position a first start in the contest asks for.
fn profile_fields(choices: Option<crate::model::ProfileChoices>) -> impl IntoView {
    choices.map(|c| {
        // A start the server turned away comes back with the person's choices.
        let select = |name: &'static str, label: &'static str, testid: &'static str, list: Vec<(i64, String)>| {
            let chosen = refill_value(name);
            (!list.is_empty()).then(|| view! {
                <label>{label}
                    <select name=name required data-testid=testid>
                        <option value="">"— Chọn —"</option>
                        {list.into_iter().map(|(id, n)| {
                            let id = id.to_string();
                            view! { <option selected=chosen == id value=id>{n}</option> }
                        }).collect_view()}
                    </select>
                </label>
            })
        };
        let extra = c
            .fields
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let name = format!("extra[{i}]");
                let testid = format!("extra-{i}");
                let given = refill_value(&name);
                let input = if f.options.is_empty() {
                    let mode = if f.number { "numeric" } else { "text" };
                    view! { <input name=name value=given required=f.required inputmode=mode maxlength="200" data-testid=testid/> }.into_any()
                } else {
                    view! {
                        <select name=name required=f.required data-testid=testid>
                            <option value="">"— Chọn —"</option>
                            {f.options.into_iter().map(|o| { let selected = given == o; let v = o.clone(); view! { <option selected=selected value=v>{o}</option> } }).collect_view()}
                        </select>
                    }
                    .into_any()
                };
                let label = if f.required { f.label } else { format!("{} (không bắt buộc)", f.label) };
                view! { <label>{label}{input}</label> }
            })
            .collect_view();
        view! {
            <div class="form profile-fields">
                {select("category_id", "Đối tượng dự thi", "category", c.categories)}
                {select("position_id", "Chức vụ", "position", c.positions)}
                {extra}
            </div>
        }
    })
}

/// When this round's start was turned away because the server was busy (503 with
/// Retry-After, see `AppError::Busy`), the form sends itself again once that time has passed:
/// thousands starting in the same minute queue up instead of each having to tap again. A
/// small inline script (allowed by the page's CSP nonce) does it; without JavaScript the
/// message asks the person to tap again.
fn busy_retry(round_id: i64) -> Option<impl IntoView> {
    let Some(crate::error::AppError::Busy { retry_after_secs }) = flash_error() else {
        return None;
    };
    (refill_value("round_id") == round_id.to_string()).then(|| {
        let script = format!(
            "setTimeout(function () {{ var f = document.getElementById(\"start-{round_id}\"); \
             if (f) {{ f.requestSubmit ? f.requestSubmit() : f.submit(); }} }}, {});",
            retry_after_secs * 1000
        );
        view! {
            <p class="muted" role="status" data-testid="busy-retry">
                {format!("Đang tự động thử lại sau {retry_after_secs} giây…")}
            </p>
            <script nonce=leptos::nonce::use_nonce()>{script}</script>
        }
    })
}

#[component]
fn RoundCard(
    round: RoundInfo,
    eligibility: Option<Eligibility>,
    logged_in: bool,
    choices: Option<crate::model::ProfileChoices>,
) -> impl IntoView {
    let (label, class) = match round.phase {
        Phase::Upcoming => ("Sắp mở", "badge upcoming"),
        Phase::Open => ("Đang mở", "badge open"),
        Phase::Closed => ("Đã kết thúc", "badge closed"),
    };
    let finished_ids = eligibility
        .as_ref()
        .map(|e| e.finished_attempts.clone())
        .unwrap_or_default();
    let board = format!("/bang-xep-hang/{}", round.id);
    let action = match eligibility {
        Some(e) if e.running_attempt.is_some() => {
            let id = e.running_attempt.unwrap_or_default();
            view! { <a class="button primary" href=attempt_path(id) data-testid="resume">"Tiếp tục bài thi"</a> }.into_any()
        }
        Some(e) if e.can_start => view! {
            <form method="post" action=StartAttempt::url() id=format!("start-{}", round.id)>
                <input type="hidden" name="round_id" value=round.id.to_string()/>
                {profile_fields(choices)}
                <button type="submit" class="button primary" data-testid="start">
                    {if e.attempts_used == 0 { "Bắt đầu thi".to_string() } else { format!("Thi lại (còn {} lượt)", e.attempts_left) }}
                </button>
                {busy_retry(round.id)}
            </form>
        }
        .into_any(),
        Some(e) => view! { <p class="muted" data-testid="cannot-start">{e.reason.unwrap_or_default()}</p> }.into_any(),
        None if logged_in => ().into_any(),
        None => view! { <p class="muted">"Đăng nhập để dự thi."</p> }.into_any(),
    };
    view! {
        <section class="card round" data-testid="round">
            <div class="round-head">
                <h3>{round.name.clone()}</h3>
                <span class=class>{label}</span>
            </div>
            <p class="muted">
                {format!("Từ {} đến {}", format_vn_time(round.opens_at_ms), format_vn_time(round.closes_at_ms))}
            </p>
            {action}
            <p class="links"><FinishedAttempts ids=finished_ids/><a href=board data-testid="go-board">"Bảng xếp hạng"</a></p>
        </section>
    }
}

/// Links to the viewer's finished attempts in a round.
#[component]
pub fn FinishedAttempts(ids: Vec<i64>) -> impl IntoView {
    ids.into_iter()
        .enumerate()
        .map(
            |(i, id)| view! { <a href=result_path(id)>{format!("Kết quả lượt {}", i + 1)}</a> " " },
        )
        .collect_view()
}
