//! Certificates for published prizes: above both the round prizes and the overall ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&list, &title).hash(&mut h);
        h.finish()
    };
    if let Some(pdf) = state.certificates.get(which, key) {
        return Ok(pdf.to_vec());
    }
    // Subsetting the fonts and writing the pages takes CPU: on the blocking pool, once per
    // publication (the key changes whenever a winner, a name or the date does).
    let pdf = tokio::task::spawn_blocking(move || crate::server::pdf::certificates(&list, &title))
        .await
        .map_err(AppError::internal("certificate task failed"))?
        .map_err(AppError::internal("certificates could not be written"))?;
    let pdf = Arc::new(pdf);
    state.certificates.put(which, key, pdf.clone());
    Ok(pdf.to_vec())
}

/// A built PDF and the fingerprint of what it shows.
type Built = (u64, Arc<Vec<u8>>);

/// The last certificates built for each prize list.
#[derive(Clone, Default)]
pub struct CertificateCache(Arc<Mutex<HashMap<PrizeList, Built>>>);

impl CertificateCache {
    fn get(&self, which: PrizeList, key: u64) -> Option<Arc<Vec<u8>>> {
        let map = self.0.lock().ok()?;
        map.get(&which)
            .filter(|(k, _)| *k == key)
            .map(|(_, pdf)| pdf.clone())
    }

    fn put(&self, which: PrizeList, key: u64, pdf: Arc<Vec<u8>>) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(which, (key, pdf));
        }
    }

    /// How many builds are cached (for tests).
    pub fn len(&self) -> usize {
        self.0.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
