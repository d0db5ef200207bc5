//! Certificates for published prizes: above both the round prizes and the overall ones.

use crate::error::AppError;
use crate::model::PrizeList;
use crate::server::service::{awards, overall};
use crate::server::AppState;

/// Certificates (Giấy chứng nhận) for published prizes as a PDF, one page per winner, for a
/// round's prizes or those over the whole contest. Public when the results are, since it
/// shows no more than the results page.
pub async fn certificates_pdf(state: &AppState, which: PrizeList) -> Result<Vec<u8>, AppError> {
    let view = match which {
        PrizeList::Overall => overall::public(state).await?,
        PrizeList::Round(id) => awards::public(state, id).await?,
    };
    let dated = format!(
        "Công bố ngày {}",
        // "08:00 30/11/2026": the day is enough on a certificate.
        view.published_at
            .as_deref()
            .and_then(|t| t.rsplit(' ').next())
            .unwrap_or_default()
    );
    let list: Vec<crate::server::pdf::Certificate> = view
        .awards
        .into_iter()
        .map(|a| crate::server::pdf::Certificate {
            organizer: "Ban Tổ chức cuộc thi".into(),
            contest: view.contest_name.clone(),
            full_name: a.full_name,
            unit: a.unit_name,
            prize: format!("Giải {} · {}", a.prize, view.round_name),
            dated: dated.clone(),
        })
        .collect();
    let title = format!(
        "Giấy chứng nhận · {} · {}",
        view.round_name, view.contest_name
    );
    crate::server::pdf::certificates(&list, &title).map_err(|e| {
        tracing::error!(error = %e, "certificates could not be written");
        AppError::Internal
    })
}
