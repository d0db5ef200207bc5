//! Removing what an organizer set up: rounds, units and topics are deleted while nothing
//! refers to them, and retired once used (hidden from registration, new starts and new
//! questions; kept in results). Deleting something in use is refused with the reason.

use crate::domain::roles::Permission;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::model::UserInfo;
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::nfc;
use crate::server::repo::{bank, contests, lifecycle};
use crate::server::service::contests::resolve;
use crate::server::AppState;

/// What to do with a round, unit or topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    Delete,
    Retire,
    Restore,
}

impl Removal {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        match s {
            "delete" => Ok(Self::Delete),
            "retire" => Ok(Self::Retire),
            "restore" => Ok(Self::Restore),
            _ => Err(AppError::BadRequest("Thao tác không hợp lệ.".into())),
        }
    }
}

pub async fn round(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    round_id: i64,
    what: Removal,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let c = resolve(&mut tx, slug).await?;
    let round = contests::round_by_id(&mut tx, round_id)
        .await?
        .filter(|r| r.contest_id == c.id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy vòng thi.".into()))?;
    let now = to_ms(state.clock.now());
    match what {
        Removal::Delete => {
            let used = lifecycle::attempts_in_round(&mut tx, round.id).await?;
            if used > 0 {
                return Err(AppError::Conflict(format!(
                    "Không xóa được {}: đã có {used} lượt thi. Hãy cho vòng thi ngừng (kết quả được giữ lại).",
                    round.name
                )));
            }
            lifecycle::delete_round(&mut tx, round.id).await?;
        }
        Removal::Retire => lifecycle::set_round_retired(&mut tx, round.id, Some(now)).await?,
        Removal::Restore => {
            let others = lifecycle::other_windows(&mut tx, c.id, round.id).await?;
            if let Some(other) =
                crate::domain::contests::overlapping(round.opens_at, round.closes_at, &others)
            {
                return Err(AppError::Conflict(format!(
                    "Không khôi phục được {}: trùng thời gian với {other}.",
                    round.name
                )));
            }
            lifecycle::set_round_retired(&mut tx, round.id, None).await?
        }
    }
    tx.commit().await?;
    crate::server::live::touched(state, round_id).await;
    tracing::info!(
        user_id = user.id,
        round_id,
        ?what,
        "round removed or restored"
    );
    Ok(())
}

pub async fn unit(
    state: &AppState,
    user: &UserInfo,
    unit_id: i64,
    what: Removal,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let (people, children, other) = lifecycle::unit_uses(&mut tx, unit_id).await?;
    let now = to_ms(state.clock.now());
    match what {
        Removal::Delete => {
            let reason = if people > 0 {
                Some(format!("{people} người đã đăng ký thuộc đơn vị này"))
            } else if children > 0 {
                Some(format!("đơn vị có {children} đơn vị trực thuộc"))
            } else if other > 0 {
                Some("đơn vị có trong kết quả giải thưởng, bài dự thi sáng kiến hoặc danh sách người phải tham gia".to_string())
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(AppError::Conflict(format!(
                    "Không xóa được đơn vị: {reason}. Hãy cho đơn vị ngừng hoạt động (ẩn khỏi đăng ký, giữ trong kết quả)."
                )));
            }
            lifecycle::delete_unit(&mut tx, unit_id).await?;
        }
        Removal::Retire => lifecycle::set_unit_retired(&mut tx, unit_id, Some(now)).await?,
        Removal::Restore => lifecycle::set_unit_retired(&mut tx, unit_id, None).await?,
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        unit_id,
        ?what,
        "unit removed or restored"
    );
    Ok(())
}

fn topic_name(name: &str) -> Result<String, AppError> {
    let name = nfc(&name.split_whitespace().collect::<Vec<_>>().join(" "));
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "topic",
            "Tên chủ đề không được để trống và dài tối đa 100 ký tự.",
        )]));
    }
    if name.contains('|') {
        return Err(AppError::Invalid(vec![FieldError::new(
            "topic",
            "Tên chủ đề không được chứa dấu “|” (dấu này ngăn cách các cột trong phân bổ câu hỏi).",
        )]));
    }
    Ok(name)
}

pub async fn add_topic(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    name: &str,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let name = topic_name(name)?;
    let mut tx = state.db.begin_write().await?;
    let c = resolve(&mut tx, slug).await?;
    let all = lifecycle::topics_of(&mut tx, c.id).await?;
    if all.iter().any(|t| t.name == name) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "topic",
            format!("Chủ đề “{name}” đã có."),
        )]));
    }
    bank::insert_topic(&mut tx, c.id, &name).await?;
    tx.commit().await?;
    Ok(())
}

/// Renames, retires, restores or deletes a topic of the contest.
pub async fn change_topic(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    topic_id: i64,
    action: &str,
    new_name: &str,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let c = resolve(&mut tx, slug).await?;
    let all = lifecycle::topics_of(&mut tx, c.id).await?;
    let topic = all
        .iter()
        .find(|t| t.id == topic_id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy chủ đề.".into()))?;
    let in_quotas = contests::quotas_of(&mut tx, c.id)
        .await?
        .iter()
        .any(|q| q.topic == topic.name);
    let now = to_ms(state.clock.now());
    match action {
        "rename" => {
            let name = topic_name(new_name)?;
            if all.iter().any(|t| t.name == name && t.id != topic_id) {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "topic",
                    format!("Chủ đề “{name}” đã có."),
                )]));
            }
            lifecycle::rename_topic(&mut tx, c.id, &topic.name, &name).await?;
        }
        "retire" | "delete" if in_quotas => {
            return Err(AppError::Conflict(format!(
                "Chủ đề “{}” đang có trong phân bổ câu hỏi của cuộc thi; bỏ dòng đó khỏi phân bổ trước.",
                topic.name
            )));
        }
        "retire" => lifecycle::set_topic_retired(&mut tx, topic_id, Some(now)).await?,
        "restore" => lifecycle::set_topic_retired(&mut tx, topic_id, None).await?,
        "delete" if topic.questions > 0 => {
            return Err(AppError::Conflict(format!(
                "Không xóa được chủ đề “{}”: có {} câu hỏi thuộc chủ đề. Hãy cho chủ đề ngừng dùng.",
                topic.name, topic.questions
            )));
        }
        "delete" => lifecycle::delete_topic(&mut tx, topic_id).await?,
        _ => return Err(AppError::BadRequest("Thao tác không hợp lệ.".into())),
    }
    tx.commit().await?;
    tracing::info!(user_id = user.id, topic_id, action, "topic changed");
    Ok(())
}
