//! Contests on one installation: the public list, creating, duplicating, archiving, trial
//! runs, branding and documents, news. Every organizer page names its contest by slug (the
//! `cuoc-thi` query parameter; see `domain::contests`), or works on the newest one that is not
//! archived when it names none.

use crate::domain::contests::{self as rules, ContestStage};
use crate::domain::roles::Permission;
use crate::domain::vntime::format_vn_time;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::model::contests::{ContestCard, ContestInfo, ContestList, Home, NewsPost, ProfileForm};
use crate::model::UserInfo;
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::nfc;
use crate::server::repo::contests::{self, ContestRow, Profile};
use crate::server::repo::lifecycle;
use crate::server::AppState;

/// The contest `slug` names, or the default one; a clear message when there is none.
pub async fn resolve(conn: &mut sqlx::AnyConnection, slug: &str) -> Result<ContestRow, AppError> {
    match contests::resolve(conn, slug).await? {
        Some(c) => Ok(c),
        None if slug.trim().is_empty() => Err(AppError::NotFound(
            "Chưa có cuộc thi nào. Quản trị viên tạo cuộc thi tại trang Quản trị › Cuộc thi."
                .into(),
        )),
        None => Err(AppError::NotFound("Không tìm thấy cuộc thi.".into())),
    }
}

async fn cards(
    conn: &mut sqlx::AnyConnection,
    rows: Vec<ContestRow>,
    now: i64,
) -> Result<Vec<ContestCard>, AppError> {
    let spans = contests::contest_spans(conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let span = spans.iter().find(|s| s.0 == c.id).map(|s| (s.1, s.2));
        let published = |at: Option<i64>| at.is_some_and(|t| t <= now);
        out.push(ContestCard {
            published_rounds: lifecycle::published_rounds(conn, c.id, now).await?,
            overall_published: published(c.overall_published_at),
            units_published: published(c.unit_awards_published_at),
            stage: rules::stage(span, crate::server::clock::from_ms(now)),
            is_trial: c.is_trial != 0,
            archived: c.archived_at.is_some(),
            organizer_name: c.organizer_name,
            slug: c.slug,
            name: c.name,
        });
    }
    Ok(out)
}

/// The public home: contests that are neither archived nor trial runs, open ones first.
pub async fn home(state: &AppState) -> Result<Home, AppError> {
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let rows = contests::all_contests(&mut conn)
        .await?
        .into_iter()
        .filter(|c| c.archived_at.is_none() && c.is_trial == 0)
        .collect();
    let mut list = cards(&mut conn, rows, now).await?;
    let order = |s: ContestStage| match s {
        ContestStage::Open => 0,
        ContestStage::Upcoming => 1,
        ContestStage::Preparing => 2,
        ContestStage::Finished => 3,
    };
    list.sort_by_key(|c| order(c.stage));
    Ok(Home {
        contests: list,
        has_admin: lifecycle::has_admin(&mut conn).await?,
    })
}

pub async fn admin_list(state: &AppState, user: &UserInfo) -> Result<ContestList, AppError> {
    authorize(user, Permission::ViewBank)?;
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let rows = contests::all_contests(&mut conn).await?;
    Ok(ContestList {
        contests: cards(&mut conn, rows, now).await?,
    })
}

/// A new contest's defaults: one attempt of 20 questions in 30 minutes per round, a point
/// per question, no minimum age; the organizer sets the rest on the settings page.
pub async fn create(
    state: &AppState,
    user: &UserInfo,
    name: &str,
    slug: &str,
    is_trial: bool,
) -> Result<String, AppError> {
    authorize(user, Permission::ManageContest)?;
    let (name, slug) = checked_name_and_slug(name, slug)?;
    let mut tx = state.db.begin_write().await?;
    refuse_taken(&mut tx, &slug).await?;
    let id = contests::insert_contest(
        &mut tx,
        contests::NewContest {
            slug: &slug,
            name: &name,
            rules_text: "",
            min_age: 0,
            questions_per_attempt: 20,
            time_limit_secs: 30 * 60,
            grace_secs: 15,
            max_attempts_per_round: 1,
            points_per_question: 1,
            bank_published: false,
            study_answers: crate::domain::integrity::StudyAnswers::Hold,
            created_at: to_ms(state.clock.now()),
        },
    )
    .await?;
    contests::set_trial(&mut tx, id, is_trial).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, contest_id = id, "contest created");
    Ok(slug)
}

fn checked_name_and_slug(name: &str, slug: &str) -> Result<(String, String), AppError> {
    let name = rules::parse_name(&nfc(name));
    let slug = rules::parse_slug(slug, name.as_deref().unwrap_or(""));
    match (name, slug) {
        (Ok(n), Ok(s)) => Ok((n, s)),
        (n, s) => Err(AppError::Invalid(
            [n.err(), s.err()].into_iter().flatten().collect(),
        )),
    }
}

async fn refuse_taken(conn: &mut sqlx::AnyConnection, slug: &str) -> Result<(), AppError> {
    if contests::slug_taken(conn, slug).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "slug",
            format!("Địa chỉ \"{slug}\" đã được cuộc thi khác dùng; chọn địa chỉ khác."),
        )]));
    }
    Ok(())
}

/// A copy of `from`: settings, rules text, branding, topics and quotas, the rounds moved by
/// `shift_days`, and the approved bank when asked. Never attempts, prizes or people.
pub async fn duplicate(
    state: &AppState,
    user: &UserInfo,
    from: &str,
    name: &str,
    slug: &str,
    shift_days: &str,
    copy_bank: bool,
) -> Result<String, AppError> {
    authorize(user, Permission::ManageContest)?;
    let names = checked_name_and_slug(name, slug);
    let shift = rules::parse_shift_days(shift_days);
    let ((name, slug), shift) = match (names, shift) {
        (Ok(n), Ok(s)) => (n, s),
        (n, s) => {
            let mut errors = match n {
                Err(AppError::Invalid(e)) => e,
                _ => Vec::new(),
            };
            errors.extend(s.err());
            return Err(AppError::Invalid(errors));
        }
    };
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let source = resolve(&mut tx, from).await?;
    refuse_taken(&mut tx, &slug).await?;
    let id = lifecycle::copy_contest(
        &mut tx,
        source.id,
        &slug,
        &name,
        source.is_trial != 0,
        now,
        user.id,
    )
    .await?;
    lifecycle::copy_rounds(&mut tx, source.id, id, shift).await?;
    lifecycle::copy_topics_and_quotas(&mut tx, source.id, id).await?;
    lifecycle::copy_people_groups(&mut tx, source.id, id).await?;
    if copy_bank {
        lifecycle::copy_approved_bank(&mut tx, source.id, id, now).await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        from = source.id,
        contest_id = id,
        "contest duplicated"
    );
    Ok(slug)
}

/// Archives a contest (hidden from the home page; its pages and results stay at their
/// addresses) or brings it back.
pub async fn set_archived(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    archived: bool,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let c = named(&mut tx, slug).await?;
    let at = archived.then(|| to_ms(state.clock.now()));
    contests::set_archived(&mut tx, c.id, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Contest-changing actions need the contest named: an empty slug would fall back to the
/// default contest, which is not what someone archiving or wiping means.
async fn named(conn: &mut sqlx::AnyConnection, slug: &str) -> Result<ContestRow, AppError> {
    if slug.trim().is_empty() {
        return Err(AppError::BadRequest("Chưa chọn cuộc thi.".into()));
    }
    resolve(conn, slug).await
}

/// Marks a contest as a trial run or launches it (no longer a trial).
pub async fn set_trial(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    trial: bool,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let c = named(&mut tx, slug).await?;
    contests::set_trial(&mut tx, c.id, trial).await?;
    tx.commit().await?;
    crate::server::live::touched_all(state).await;
    Ok(())
}

/// Deletes every attempt of a trial run (with its answers and prizes) before launch.
/// Refused for a contest that is not marked as a trial. Returns how many attempts went.
pub async fn wipe_trial(state: &AppState, user: &UserInfo, slug: &str) -> Result<u64, AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let c = named(&mut tx, slug).await?;
    if c.is_trial == 0 {
        return Err(AppError::Conflict(
            "Chỉ xóa được dữ liệu của cuộc thi đang ở chế độ thi thử.".into(),
        ));
    }
    let wiped = lifecycle::wipe_attempts(&mut tx, c.id).await?;
    tx.commit().await?;
    crate::server::live::touched_all(state).await;
    tracing::warn!(
        user_id = user.id,
        contest_id = c.id,
        wiped,
        "trial attempts wiped"
    );
    Ok(wiped)
}

pub fn profile_of(c: &ContestRow) -> ProfileForm {
    ProfileForm {
        organizer_name: c.organizer_name.clone(),
        logo_url: c.logo_url.clone(),
        contact_phone: c.contact_phone.clone(),
        contact_email: c.contact_email.clone(),
        contact_address: c.contact_address.clone(),
        help_text: c.help_text.clone(),
        cert_title: c.cert_title.clone(),
        cert_issuer: c.cert_issuer.clone(),
        cert_signer_name: c.cert_signer_name.clone(),
        cert_signer_title: c.cert_signer_title.clone(),
        cert_place: c.cert_place.clone(),
    }
}

/// Checks the branding and documents: lengths, an e-mail that looks like one, a logo that is
/// a path on this site or an https address.
fn check_profile(p: &ProfileForm) -> Result<ProfileForm, Vec<FieldError>> {
    let line = |s: &str| nfc(&s.split_whitespace().collect::<Vec<_>>().join(" "));
    let p = ProfileForm {
        organizer_name: line(&p.organizer_name),
        logo_url: p.logo_url.trim().to_string(),
        contact_phone: line(&p.contact_phone),
        contact_email: p.contact_email.trim().to_string(),
        contact_address: line(&p.contact_address),
        help_text: nfc(p.help_text.trim()),
        cert_title: line(&p.cert_title),
        cert_issuer: line(&p.cert_issuer),
        cert_signer_name: line(&p.cert_signer_name),
        cert_signer_title: line(&p.cert_signer_title),
        cert_place: line(&p.cert_place),
    };
    let mut errors = Vec::new();
    for (field, value, max) in [
        ("organizer_name", &p.organizer_name, 200),
        ("contact_phone", &p.contact_phone, 50),
        ("contact_address", &p.contact_address, 300),
        ("cert_title", &p.cert_title, 60),
        ("cert_issuer", &p.cert_issuer, 200),
        ("cert_signer_name", &p.cert_signer_name, 100),
        ("cert_signer_title", &p.cert_signer_title, 200),
        ("cert_place", &p.cert_place, 100),
        ("logo_url", &p.logo_url, 500),
    ] {
        if value.chars().count() > max {
            errors.push(FieldError::new(field, format!("Dài quá {max} ký tự.")));
        }
    }
    if p.help_text.chars().count() > 20_000 {
        errors.push(FieldError::new(
            "help_text",
            "Trang hướng dẫn dài quá 20.000 ký tự.",
        ));
    }
    if !p.contact_email.is_empty() {
        let ok = p
            .contact_email
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.contains(' '));
        if !ok {
            errors.push(FieldError::new(
                "contact_email",
                "Địa chỉ thư điện tử không hợp lệ.",
            ));
        }
    }
    if !(p.logo_url.is_empty() || p.logo_url.starts_with("https://") || p.logo_url.starts_with('/'))
    {
        errors.push(FieldError::new(
            "logo_url",
            "Biểu trưng là đường dẫn trên trang này (bắt đầu bằng /) hoặc địa chỉ https://.",
        ));
    }
    if p.cert_title.is_empty() {
        errors.push(FieldError::new(
            "cert_title",
            "Vui lòng nhập tên văn bản (ví dụ: GIẤY CHỨNG NHẬN hoặc GIẤY KHEN).",
        ));
    }
    if errors.is_empty() {
        Ok(p)
    } else {
        Err(errors)
    }
}

pub async fn save_profile(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    form: &ProfileForm,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let p = check_profile(form).map_err(AppError::Invalid)?;
    let mut tx = state.db.begin_write().await?;
    let c = resolve(&mut tx, slug).await?;
    contests::update_profile(
        &mut tx,
        c.id,
        &Profile {
            organizer_name: &p.organizer_name,
            logo_url: &p.logo_url,
            contact_phone: &p.contact_phone,
            contact_email: &p.contact_email,
            contact_address: &p.contact_address,
            help_text: &p.help_text,
            cert_title: &p.cert_title,
            cert_issuer: &p.cert_issuer,
            cert_signer_name: &p.cert_signer_name,
            cert_signer_title: &p.cert_signer_title,
            cert_place: &p.cert_place,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A contest's branding, help page and news, for everyone.
pub async fn info(state: &AppState, slug: &str) -> Result<ContestInfo, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let c = resolve(&mut conn, slug).await?;
    let news = lifecycle::news_of(&mut conn, c.id)
        .await?
        .into_iter()
        .map(|(id, title, body, at)| NewsPost {
            id,
            title,
            body,
            at: format_vn_time(at),
        })
        .collect();
    Ok(ContestInfo {
        profile: profile_of(&c),
        slug: c.slug,
        name: c.name,
        news,
    })
}

pub async fn post_news(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    title: &str,
    body: &str,
) -> Result<i64, AppError> {
    authorize(user, Permission::ManageContest)?;
    let title = nfc(&title.split_whitespace().collect::<Vec<_>>().join(" "));
    let body = nfc(body.trim());
    let mut errors = Vec::new();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(FieldError::new(
            "title",
            "Vui lòng nhập tiêu đề (tối đa 200 ký tự).",
        ));
    }
    if body.is_empty() || body.chars().count() > 10_000 {
        errors.push(FieldError::new(
            "body",
            "Vui lòng nhập nội dung (tối đa 10.000 ký tự).",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = state.db.begin_write().await?;
    let c = resolve(&mut tx, slug).await?;
    let id = lifecycle::insert_news(
        &mut tx,
        c.id,
        &title,
        &body,
        user.id,
        to_ms(state.clock.now()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_news(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    id: i64,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let c = resolve(&mut tx, slug).await?;
    if !lifecycle::delete_news(&mut tx, c.id, id).await? {
        return Err(AppError::NotFound("Không tìm thấy tin.".into()));
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_checked() {
        let good = ProfileForm {
            organizer_name: "  UBND  phường Hoài Xuân ".into(),
            contact_email: "vanphong@hoaixuan.gov.vn".into(),
            cert_title: "GIẤY KHEN".into(),
            logo_url: "/logo.png".into(),
            ..Default::default()
        };
        let p = check_profile(&good).unwrap();
        assert_eq!(p.organizer_name, "UBND phường Hoài Xuân");
        for (bad, field) in [
            (
                ProfileForm {
                    contact_email: "khong-phai-thu".into(),
                    ..good.clone()
                },
                "contact_email",
            ),
            (
                ProfileForm {
                    logo_url: "javascript:alert(1)".into(),
                    ..good.clone()
                },
                "logo_url",
            ),
            (
                ProfileForm {
                    cert_title: " ".into(),
                    ..good.clone()
                },
                "cert_title",
            ),
            (
                ProfileForm {
                    cert_issuer: "x".repeat(201),
                    ..good.clone()
                },
                "cert_issuer",
            ),
        ] {
            let errors = check_profile(&bad).unwrap_err();
            assert!(
                errors.iter().any(|e| e.field == field),
                "{field}: {errors:?}"
            );
        }
    }
}
