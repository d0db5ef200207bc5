//! Participation figures for the committee's dashboard.

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone, Utc};

/// The start of the current day in Vietnam (UTC+7), as a UTC instant.
pub fn vn_day_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let tz = FixedOffset::east_opt(7 * 3600).expect("valid offset");
    let day = now.with_timezone(&tz).date_naive();
    tz.from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now - Duration::hours(24))
}

/// Share of a unit's headcount that took part, in per mille (0..=1000, capped: people
/// outside the headcount may choose the unit). `None` when the headcount is unknown.
pub fn share_per_mille(entrants: u32, headcount: u32) -> Option<u32> {
    (headcount > 0).then(|| ((u64::from(entrants) * 1000 / u64::from(headcount)) as u32).min(1000))
}

/// "45,5%" from per mille.
pub fn format_share(per_mille: u32) -> String {
    format!("{},{}%", per_mille / 10, per_mille % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_day_boundaries() {
        let cases = [
            ("2026-11-22T16:59:59Z", "2026-11-21T17:00:00+00:00"),
            ("2026-11-22T17:00:00Z", "2026-11-22T17:00:00+00:00"),
            ("2026-11-23T03:00:00Z", "2026-11-22T17:00:00+00:00"),
        ];
        for (now, want) in cases {
            let now = DateTime::parse_from_rfc3339(now)
                .unwrap()
                .with_timezone(&Utc);
            assert_eq!(vn_day_start(now).to_rfc3339(), want, "{now}");
        }
    }

    #[test]
    fn shares() {
        let cases = [
            (0, 40, Some(0)),
            (20, 40, Some(500)),
            (1, 3, Some(333)),
            (50, 40, Some(1000)),
            (3, 0, None),
        ];
        for (e, h, want) in cases {
            assert_eq!(share_per_mille(e, h), want, "{e}/{h}");
        }
        assert_eq!(format_share(333), "33,3%");
        assert_eq!(format_share(1000), "100,0%");
    }
}
