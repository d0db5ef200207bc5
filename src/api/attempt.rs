use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::{AttemptResult, AttemptView, SaveAck};

pub fn attempt_path(attempt_id: i64) -> String {
    format!("/bai-thi/{attempt_id}")
}

pub fn result_path(attempt_id: i64) -> String {
    format!("/ket-qua/{attempt_id}")
}

/// Starts (or resumes) an attempt; returns its id. A plain form post is sent to the attempt page.
/// The first start in a contest that lists categories or positions names the person's.
#[server(endpoint = "attempt/start")]
pub async fn start_attempt(
    round_id: i64,
    #[server(default)] category_id: Option<i64>,
    #[server(default)] position_id: Option<i64>,
    #[server(default)] extra: Vec<String>,
) -> Result<i64, AppError> {
    use super::ctx;
    // A refused start comes back to the form with the person's choices; a busy server's
    // refusal is retried from there by itself (see `pages::home::busy_retry`).
    let mut fields = vec![
        ("round_id".to_string(), round_id.to_string()),
        (
            "category_id".to_string(),
            category_id.map(|c| c.to_string()).unwrap_or_default(),
        ),
        (
            "position_id".to_string(),
            position_id.map(|p| p.to_string()).unwrap_or_default(),
        ),
    ];
    fields.extend(
        extra
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("extra[{i}]"), v.clone())),
    );
    ctx::refill(fields);
    let result = async {
        let user = ctx::require_user().await?;
        let origin = ctx::origin::<StartAttempt>();
        let profile = crate::server::service::attempt::ProfileChoice {
            category_id,
            position_id,
            extra,
            from: (origin.ip, origin.device),
        };
        let id = crate::server::service::attempt::start(&ctx::state()?, user.id, round_id, profile)
            .await?;
        ctx::redirect_form(&attempt_path(id));
        Ok(id)
    }
    .await;
    ctx::finish(result, || "/".into())
}

#[server(endpoint = "attempt/get", input = Json)]
pub async fn get_attempt(attempt_id: i64) -> Result<AttemptView, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::attempt::view(&ctx::state()?, user.id, attempt_id).await
    }
    .await;
    ctx::finish(result, || "/".into())
}

/// Autosave of one answer; `choice` is the option's position in this attempt, `None` clears it.
#[server(endpoint = "attempt/save", input = Json)]
pub async fn save_answer(
    attempt_id: i64,
    seq: u32,
    choice: Option<u8>,
) -> Result<SaveAck, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::attempt::save_answer(
            &ctx::state()?,
            user.id,
            attempt_id,
            seq,
            choice,
        )
        .await
    }
    .await;
    ctx::finish(result, || attempt_path(attempt_id))
}

/// The attempt page's form without JavaScript: saves the chosen option (if any), then shows
/// question `go` (the "next"/"previous" buttons and the question palette), or, for "Nộp bài"
/// (`submit`), submits — after a confirmation step when questions are still unanswered.
#[server(endpoint = "attempt/save_form")]
pub async fn save_answer_form(
    attempt_id: i64,
    seq: u32,
    choice: Option<u8>,
    go: Option<u32>,
    submit: Option<String>,
    prediction: Option<String>,
) -> Result<(), AppError> {
    use super::ctx;
    let back = format!("{}?cau={}", attempt_path(attempt_id), seq + 1);
    let result = async {
        let user = ctx::require_user().await?;
        let state = ctx::state()?;
        if choice.is_some() {
            crate::server::service::attempt::save_answer(&state, user.id, attempt_id, seq, choice)
                .await?;
        }
        let saved_note = if choice.is_some() {
            format!("&luu={}", seq + 1)
        } else {
            String::new()
        };
        let prediction = prediction.unwrap_or_default();
        if submit.is_some() {
            let view = crate::server::service::attempt::view(&state, user.id, attempt_id).await?;
            let unanswered = view.unanswered();
            if unanswered > 0 {
                ctx::redirect_form(&format!(
                    "{back}&nop=1{saved_note}&du-doan={}",
                    ctx::urlencode(&prediction)
                ));
                return Ok(());
            }
            let prediction =
                crate::domain::parse_prediction(&prediction).map_err(AppError::Invalid)?;
            crate::server::service::attempt::submit(&state, user.id, attempt_id, prediction)
                .await?;
            ctx::redirect_form(&result_path(attempt_id));
            return Ok(());
        }
        let next = go.unwrap_or(seq);
        ctx::redirect_form(&format!(
            "{}?cau={}{saved_note}",
            attempt_path(attempt_id),
            next + 1,
        ));
        Ok(())
    }
    .await;
    ctx::finish(result, || back)
}

#[server(endpoint = "attempt/submit")]
pub async fn submit_attempt(
    attempt_id: i64,
    /// The answer to the prediction question, when the contest asks one ("" for none).
    #[server(default)]
    prediction: String,
) -> Result<AttemptResult, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let prediction = crate::domain::parse_prediction(&prediction).map_err(AppError::Invalid)?;
        let r = crate::server::service::attempt::submit(
            &ctx::state()?,
            user.id,
            attempt_id,
            prediction,
        )
        .await?;
        ctx::redirect_form(&result_path(attempt_id));
        Ok(r)
    }
    .await;
    ctx::finish(result, || attempt_path(attempt_id))
}

#[server(endpoint = "attempt/result", input = Json)]
pub async fn get_attempt_result(attempt_id: i64) -> Result<AttemptResult, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::attempt::result(&ctx::state()?, user.id, attempt_id).await
    }
    .await;
    ctx::finish(result, || "/".into())
}
