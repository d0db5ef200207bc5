//! Certificates for published prizes: above the round prizes, the overall ones and the
//! collective ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::AppError;
use crate::model::PrizeList;
use crate::server::repo::contests as repo;
use crate::server::service::{awards, collective, contests, overall};
use crate::server::AppState;

/// Certificates (Giấy chứng nhận, or Giấy khen as the contest says) for published prizes as a
/// PDF, one page per winner, for a round's prizes or those over the whole contest named by
/// `slug`. Public when the results are, since it shows no more than the results page. The
/// wording, issuer, signer, place and date come from the contest's documents settings.
pub async fn certificates_pdf(
    state: &AppState,
    which: PrizeList,
    slug: &str,
) -> Result<Vec<u8>, AppError> {
    let (list, contest) = {
        let list = match which {
            PrizeList::Overall => Honoured::people(overall::public(state, slug).await?),
            PrizeList::Round(id) => Honoured::people(awards::public(state, id).await?),
            PrizeList::Units => Honoured::units(collective::public(state, slug).await?),
        };
        let mut conn = state.db.pool.acquire().await?;
        let contest = match which {
            PrizeList::Overall | PrizeList::Units => contests::resolve(&mut conn, slug).await?,
            PrizeList::Round(id) => {
                let round = repo::round_by_id(&mut conn, id)
                    .await?
                    .ok_or_else(|| AppError::NotFound("Không tìm thấy vòng thi.".into()))?;
                repo::contest_by_id(&mut conn, round.contest_id)
                    .await?
                    .ok_or(AppError::Internal)?
            }
        };
        (list, contest)
    };
    // "08:00 30/11/2026": the day is enough on a certificate.
    let day = list
        .published_at
        .as_deref()
        .and_then(|t| t.rsplit(' ').next())
        .unwrap_or_default()
        .to_string();
    let dated = dated_line(&contest.cert_place, &day);
    let organizer = [&contest.cert_issuer, &contest.organizer_name]
        .into_iter()
        .find(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| "Ban Tổ chức cuộc thi".into());
    let title = format!(
        "{} · {} · {}",
        contest.cert_title, list.list_name, list.contest_name
    );
    let list: Vec<crate::server::pdf::Certificate> = list
        .winners
        .into_iter()
        .map(|(name, unit, prize)| crate::server::pdf::Certificate {
            organizer: organizer.clone(),
            contest: list.contest_name.clone(),
            full_name: name,
            unit,
            prize: if prize.is_empty() || prize == list.list_name {
                list.list_name.clone()
            } else {
                format!("Giải {prize} · {}", list.list_name)
            },
            dated: dated.clone(),
            title: contest.cert_title.clone(),
            signer_title: contest.cert_signer_title.clone(),
            signer_name: contest.cert_signer_name.clone(),
        })
        .collect();
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

/// Who a list of published prizes honours, whatever the list.
struct Honoured {
    contest_name: String,
    /// "Tuần 1", "Toàn cuộc thi", "Giải tập thể".
    list_name: String,
    published_at: Option<String>,
    /// (the person or the unit, the unit under a person's name, the prize's name).
    winners: Vec<(String, String, String)>,
}

impl Honoured {
    fn people(v: crate::model::AwardsView) -> Honoured {
        Honoured {
            contest_name: v.contest_name,
            list_name: v.round_name,
            published_at: v.published_at,
            winners: v
                .awards
                .into_iter()
                .map(|a| (a.full_name, a.unit_name, a.prize))
                .collect(),
        }
    }

    fn units(v: crate::model::UnitAwardsView) -> Honoured {
        Honoured {
            contest_name: v.contest_name,
            list_name: "Giải tập thể".into(),
            published_at: v.published_at,
            winners: v
                .rows
                .into_iter()
                .map(|r| (r.unit_name, String::new(), r.prize_name))
                .collect(),
        }
    }
}

/// "Hoài Xuân, ngày 30 tháng 11 năm 2026" from the place and "30/11/2026"; without a place,
/// "Công bố ngày 30/11/2026".
fn dated_line(place: &str, day: &str) -> String {
    let parts: Vec<&str> = day.split('/').collect();
    match (place.is_empty(), parts.as_slice()) {
        (false, [d, m, y]) => format!("{place}, ngày {d} tháng {m} năm {y}"),
        _ => format!("Công bố ngày {day}"),
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_date_line_names_the_place() {
        assert_eq!(
            super::dated_line("Hoài Xuân", "30/11/2026"),
            "Hoài Xuân, ngày 30 tháng 11 năm 2026"
        );
        assert_eq!(
            super::dated_line("", "30/11/2026"),
            "Công bố ngày 30/11/2026"
        );
    }
}
