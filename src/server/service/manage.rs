//! Contest settings and rounds, for administrators.
//!
//! What a change does to attempts already running: nothing. Each attempt stored the
//! questions it drew (with their option order) and its deadline when it started, so a new
//! time limit, question count, grace or round window applies only to attempts started
//! afterwards. A running attempt whose round now closes earlier still ends at its own deadline.

use crate::server::nfc;

use crate::domain::awards::TieBreak;
use crate::domain::ranking::CountingMode;
use crate::domain::roles::Permission;
use crate::domain::settings::PredictionTarget;
use crate::domain::settings::{self, ContestForm};
use crate::domain::vntime;
use crate::domain::FieldError;
use crate::domain::{CitizenId, PhoneNumber};
use crate::error::AppError;
use crate::model::{ContestAdmin, Exclusion, ExclusionMatch, RoundAdmin, TopicSupply, UserInfo};
use crate::server::clock::{from_ms, to_ms};
use crate::server::guard::authorize;
use crate::server::repo::{self, bank as bank_repo, contests, users};
use crate::server::AppState;

use crate::server::service::contests::resolve as current_contest;

pub async fn view(state: &AppState, user: &UserInfo, slug: &str) -> Result<ContestAdmin, AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut conn = state.db.pool.acquire().await?;
    let c = current_contest(&mut conn, slug).await?;
    let mut rounds = Vec::new();
    for r in contests::rounds_of(&mut conn, c.id).await? {
        let attempts = repo::lifecycle::attempts_in_round(&mut conn, r.id).await?;
        rounds.push(RoundAdmin {
            id: r.id,
            name: r.name,
            opens_at: vntime::format_vn_local(from_ms(r.opens_at)),
            closes_at: vntime::format_vn_local(from_ms(r.closes_at)),
            results_at: r
                .results_at
                .map(|t| vntime::format_vn_local(from_ms(t)))
                .unwrap_or_default(),
            prizes: r.prizes.unwrap_or_default(),
            retired: r.retired_at.is_some(),
            attempts: attempts.max(0) as u32,
        });
    }
    let topics = repo::lifecycle::topics_of(&mut conn, c.id)
        .await?
        .into_iter()
        .map(|t| crate::model::TopicAdmin {
            id: t.id,
            name: t.name,
            retired: t.retired_at.is_some(),
            questions: t.questions.max(0) as u32,
        })
        .collect();
    let news = repo::lifecycle::news_of(&mut conn, c.id)
        .await?
        .into_iter()
        .map(|(id, title, body, at)| crate::model::contests::NewsPost {
            id,
            title,
            body,
            at: vntime::format_vn_time(at),
        })
        .collect();
    let quotas = contests::quotas_of(&mut conn, c.id).await?;
    let drawable = contests::approved_drawables(&mut conn, c.id).await?;
    let available = bank_repo::topics(&mut conn, c.id)
        .await?
        .into_iter()
        .map(|topic| {
            let mut by_difficulty = [0u32; 3];
            for q in drawable.iter().filter(|q| q.topic == topic) {
                if let Some(n) = by_difficulty.get_mut((q.difficulty - 1).clamp(0, 2) as usize) {
                    *n += 1;
                }
            }
            TopicSupply {
                topic,
                by_difficulty,
            }
        })
        .collect();
    let running = contests::running_attempts(&mut conn, c.id).await?;
    Ok(ContestAdmin {
        slug: c.slug.clone(),
        is_trial: c.is_trial != 0,
        archived: c.archived_at.is_some(),
        profile: crate::server::service::contests::profile_of(&c),
        topics,
        news,
        form: ContestForm {
            name: c.name,
            rules_text: c.rules_text,
            min_age: c.min_age.to_string(),
            questions_per_attempt: c.questions_per_attempt.to_string(),
            time_limit_minutes: (c.time_limit_secs / 60).to_string(),
            grace_secs: c.grace_secs.to_string(),
            max_attempts_per_round: c.max_attempts_per_round.to_string(),
            points_per_question: c.points_per_question.to_string(),
            bank_published: (c.bank_published != 0).then(|| "on".to_string()),
            counting_mode: c.counting_mode,
            prediction_enabled: (c.prediction_enabled != 0).then(|| "on".to_string()),
            prediction_prompt: c.prediction_prompt,
            quotas: settings::format_quotas(&quotas),
            rank_chain: c.rank_chain,
            rank_links: Vec::new(),
            round_prize_rows: Vec::new(),
            overall_prize_rows: Vec::new(),
            all_correct_only: (c.all_correct_only != 0).then(|| "on".to_string()),
            prediction_target: c.prediction_target,
            round_prizes: c.round_prizes,
            prize_cap_percent: c
                .prize_cap_percent
                .map(|p| p.to_string())
                .unwrap_or_default(),
            one_prize_per_person: (c.one_prize_per_person != 0).then(|| "on".to_string()),
            freeze_minutes: c.freeze_minutes.to_string(),
            board_hidden: (c.board_hidden != 0).then(|| "on".to_string()),
            overall_prizes: c.overall_prizes,
            study_answers: c.study_answers,
            answer_review: c.answer_review,
            min_secs_per_question: c.min_secs_per_question.to_string(),
        },
        rounds,
        running_attempts: running.max(0) as u32,
        exclusions: users::list_exclusions(&mut conn)
            .await?
            .into_iter()
            .map(|e| Exclusion {
                id: e.id,
                full_name: e.full_name,
                phone: e.phone.unwrap_or_default(),
                citizen_id: e.citizen_id.unwrap_or_default(),
                birth_date: e.birth_date.unwrap_or_default(),
                reason: e.reason,
            })
            .collect(),
        exclusion_matches: users::exclusion_matches(&mut conn)
            .await?
            .into_iter()
            .map(|m| ExclusionMatch {
                excluded_id: m.excluded_id,
                reason: m.reason,
                user_id: m.user_id,
                full_name: m.full_name,
                phone: m.phone,
                birth_date: m.birth_date,
                unit_name: m.unit_name,
            })
            .collect(),
        available,
        counting_modes: CountingMode::ALL
            .iter()
            .map(|m| (m.as_str().to_string(), m.label().to_string()))
            .collect(),
        tie_breaks: TieBreak::ALL
            .iter()
            .map(|t| (t.as_str().to_string(), t.label().to_string()))
            .collect(),
        prediction_targets: PredictionTarget::ALL
            .iter()
            .map(|t| (t.as_str().to_string(), t.label().to_string()))
            .collect(),
    })
}

#[tracing::instrument(skip_all)]
pub async fn update_settings(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    form: &ContestForm,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let form = ContestForm {
        name: nfc(&form.name),
        rules_text: nfc(&form.rules_text),
        ..form.clone()
    };
    let parsed = settings::parse_contest_form(&form);
    let mut tx = state.db.begin_write().await?;
    let c = current_contest(&mut tx, slug).await?;
    let topics = bank_repo::topics(&mut tx, c.id).await?;
    let n = parsed.as_ref().map_or(0, |s| s.questions_per_attempt);
    let quotas = settings::parse_quotas(&nfc(&form.quotas), &topics, n);
    let (s, quotas) = match (parsed, quotas) {
        (Ok(s), Ok(q)) => (s, q),
        (parsed, quotas) => {
            let mut errors = parsed.err().unwrap_or_default();
            // The quota total is only meaningful once the question count itself is valid.
            if errors.iter().all(|e| e.field != "questions_per_attempt") {
                errors.extend(quotas.err().unwrap_or_default());
            }
            return Err(AppError::Invalid(errors));
        }
    };
    // A round open now must still be able to draw its attempts under the new settings.
    let now = to_ms(state.clock.now());
    let open_now = contests::rounds_of(&mut tx, c.id)
        .await?
        .iter()
        .any(|r| r.retired_at.is_none() && r.opens_at <= now && now < r.closes_at);
    if open_now {
        let bank = contests::approved_drawables(&mut tx, c.id).await?;
        let n = s.questions_per_attempt.max(1) as usize;
        if crate::domain::draw_by_quota(&bank, &quotas, n, &mut |_| 0).is_err() {
            return Err(AppError::Invalid(vec![FieldError::new(
                "questions_per_attempt",
                format!(
                    "Một vòng thi đang mở: ngân hàng có {} câu đã duyệt, không đủ cho lượt {} câu theo phân bổ này.",
                    bank.len(),
                    n
                ),
            )]));
        }
    }
    contests::update_contest(&mut tx, c.id, &s).await?;
    contests::replace_quotas(&mut tx, c.id, &quotas).await?;
    tx.commit().await?;
    crate::server::live::touched_all(state).await;
    tracing::info!(
        user_id = user.id,
        contest_id = c.id,
        "contest settings changed"
    );
    Ok(())
}

/// A round as the form sends it (times in Vietnam local time; `prizes` empty for the
/// contest's structure).
pub struct RoundInput<'a> {
    pub round_id: Option<i64>,
    pub name: &'a str,
    pub opens: &'a str,
    pub closes: &'a str,
    pub results: &'a str,
    pub prizes: &'a str,
}

/// Creates a round (no `round_id`) or changes one's name, window and prizes.
#[tracing::instrument(skip_all)]
pub async fn save_round(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    input: RoundInput<'_>,
) -> Result<i64, AppError> {
    authorize(user, Permission::ManageContest)?;
    let RoundInput {
        round_id,
        name,
        opens,
        closes,
        results,
        prizes,
    } = input;
    let parsed = settings::parse_round_form(&nfc(name), opens, closes, results);
    // A round's own prizes; empty: the contest's structure.
    let prizes = nfc(prizes.trim());
    let tiers = (!prizes.is_empty()).then(|| crate::domain::awards::parse_tiers(&prizes));
    let (r, prizes) = match (parsed, tiers) {
        (Ok(r), None) => (r, None),
        (Ok(r), Some(Ok(t))) => (r, Some(crate::domain::awards::format_tiers(&t))),
        (r, t) => {
            let mut errors = r.err().unwrap_or_default();
            if let Some(Err(m)) = t {
                errors.push(FieldError::new("prizes", m));
            }
            return Err(AppError::Invalid(errors));
        }
    };
    let results_at = r.results_at.map(to_ms);
    let mut tx = state.db.begin_write().await?;
    let c = current_contest(&mut tx, slug).await?;
    let others = repo::lifecycle::other_windows(&mut tx, c.id, round_id.unwrap_or(0)).await?;
    if let Some(other) =
        crate::domain::contests::overlapping(to_ms(r.opens_at), to_ms(r.closes_at), &others)
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "opens_at",
            format!("Thời gian trùng với {other}; các vòng của một cuộc thi nối tiếp nhau, không chồng lên nhau."),
        )]));
    }
    let now = state.clock.now();
    if r.opens_at <= now && now < r.closes_at {
        require_drawable(&mut tx, &c).await?;
    }
    let id = match round_id {
        None => {
            contests::insert_round(
                &mut tx,
                c.id,
                &r.name,
                to_ms(r.opens_at),
                to_ms(r.closes_at),
                results_at,
            )
            .await?
        }
        Some(id) => {
            let existing = contests::round_by_id(&mut tx, id)
                .await?
                .filter(|x| x.contest_id == c.id);
            if existing.is_none() {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "round_id",
                    "Không tìm thấy vòng thi.",
                )]));
            }
            contests::update_round(
                &mut tx,
                id,
                &r.name,
                to_ms(r.opens_at),
                to_ms(r.closes_at),
                results_at,
            )
            .await?;
            id
        }
    };
    repo::lifecycle::set_round_prizes(&mut tx, id, prizes.as_deref()).await?;
    tx.commit().await?;
    crate::server::live::touched(state, id).await;
    tracing::info!(user_id = user.id, round_id = id, "round saved");
    Ok(id)
}

/// Refuses a round that would open on a bank that cannot fill one attempt's draw.
async fn require_drawable(
    conn: &mut sqlx::AnyConnection,
    c: &contests::ContestRow,
) -> Result<(), AppError> {
    let bank = contests::approved_drawables(conn, c.id).await?;
    let quotas = contests::quotas_of(conn, c.id).await?;
    let n = c.questions_per_attempt.max(1) as usize;
    let mut first = |_: usize| 0;
    if bank.len() < n || crate::domain::draw_by_quota(&bank, &quotas, n, &mut first).is_err() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "opens_at",
            format!(
                "Chưa mở được vòng thi: ngân hàng có {} câu đã duyệt, chưa đủ cho một lượt {} câu theo phân bổ chủ đề. Hãy duyệt thêm câu hỏi hoặc đặt giờ mở muộn hơn.",
                bank.len(),
                n
            ),
        )]));
    }
    Ok(())
}

/// A person to keep out, as the organizer types them.
#[derive(Clone, Debug, Default)]
pub struct ExclusionForm {
    pub full_name: String,
    pub phone: String,
    pub citizen_id: String,
    /// Optional: recognises them by name and date of birth under another phone.
    pub birth_date: String,
    pub reason: String,
}

/// Confirms (the account is kept out everywhere from now on) or dismisses a match by name and
/// date of birth between a listed person and an account.
#[tracing::instrument(skip_all)]
pub async fn review_exclusion_match(
    state: &AppState,
    user: &UserInfo,
    excluded_id: i64,
    user_id: i64,
    confirm: bool,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    if !users::is_exclusion_match(&mut tx, excluded_id, user_id).await? {
        return Err(AppError::NotFound(
            "Không có tài khoản nào khớp với người này.".into(),
        ));
    }
    let inserted = users::insert_exclusion_review(
        &mut tx,
        excluded_id,
        user_id,
        confirm,
        user.id,
        to_ms(state.clock.now()),
    )
    .await;
    match inserted {
        Err(e) if repo::is_unique_violation(&e) => {
            return Err(AppError::Conflict("Trường hợp này đã được xem xét.".into()))
        }
        other => other?,
    }
    tx.commit().await?;
    if confirm {
        crate::server::live::touched_all(state).await;
    }
    tracing::info!(
        user_id = user.id,
        excluded_id,
        account = user_id,
        confirm,
        "exclusion match reviewed"
    );
    Ok(())
}

/// Lists someone the rules keep out (by phone and/or citizen ID). They cannot register or
/// start, and results they already have disappear from the leaderboards.
#[tracing::instrument(skip_all)]
pub async fn add_exclusion(
    state: &AppState,
    user: &UserInfo,
    person: &ExclusionForm,
) -> Result<i64, AppError> {
    let ExclusionForm {
        full_name,
        phone,
        citizen_id,
        birth_date,
        reason,
    } = person;
    authorize(user, Permission::ManageContest)?;
    let mut errors = Vec::new();
    let phone = if phone.trim().is_empty() {
        None
    } else {
        PhoneNumber::parse(phone)
            .map_err(|m| errors.push(FieldError::new("phone", m)))
            .ok()
    };
    let citizen_id = CitizenId::parse(citizen_id)
        .map_err(|m| errors.push(FieldError::new("citizen_id", m)))
        .ok()
        .flatten();
    if errors.is_empty() && phone.is_none() && citizen_id.is_none() {
        errors.push(FieldError::new(
            "phone",
            "Cần số điện thoại hoặc số căn cước để nhận diện người không được dự thi.",
        ));
    }
    let reason = nfc(reason.trim());
    if reason.is_empty() {
        errors.push(FieldError::new(
            "reason",
            "Vui lòng ghi lý do (ví dụ: thành viên Ban Tổ chức).",
        ));
    }
    let today = state
        .clock
        .now()
        .with_timezone(&vntime::offset())
        .date_naive();
    let birth_date = match birth_date.trim() {
        "" => None,
        raw => match crate::domain::parse_birth_date(raw, today, 0) {
            Ok(d) => Some(d.format("%Y-%m-%d").to_string()),
            Err(m) => {
                errors.push(FieldError::new("birth_date", m));
                None
            }
        },
    };
    if birth_date.is_some() && full_name.trim().is_empty() {
        errors.push(FieldError::new(
            "full_name",
            "Cần họ và tên để nhận ra người này theo ngày sinh.",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = state.db.begin_write().await?;
    let full_name = nfc(full_name.trim());
    let inserted = users::insert_exclusion(
        &mut tx,
        users::NewExclusion {
            full_name: &full_name,
            phone: phone.as_ref().map(|p| p.as_str()),
            citizen_id: citizen_id.as_ref().map(|c| c.as_str()),
            birth_date: birth_date.as_deref(),
            reason: &reason,
            created_at: to_ms(state.clock.now()),
        },
    )
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if repo::is_unique_violation(&e) => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "phone",
                "Người này đã có trong danh sách.",
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    crate::server::live::touched_all(state).await;
    tracing::info!(user_id = user.id, exclusion_id = id, "person excluded");
    Ok(id)
}

#[tracing::instrument(skip_all)]
pub async fn remove_exclusion(state: &AppState, user: &UserInfo, id: i64) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    if !users::delete_exclusion(&mut tx, id).await? {
        return Err(AppError::NotFound(
            "Không tìm thấy người trong danh sách.".into(),
        ));
    }
    tx.commit().await?;
    crate::server::live::touched_all(state).await;
    tracing::info!(user_id = user.id, exclusion_id = id, "exclusion removed");
    Ok(())
}
