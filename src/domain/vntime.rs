//! Vietnam time (UTC+7, no daylight saving): every instant shown, typed or cut into days in
//! the app goes through here. Pure, so the WASM pages use it too.

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, NaiveTime, TimeZone, Utc};

pub fn offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

fn at(ms: i64) -> Option<DateTime<FixedOffset>> {
    offset().timestamp_millis_opt(ms).single()
}

/// A UTC instant (ms) shown in Vietnam time, e.g. "08:00 23/11/2026".
pub fn format_vn_time(ms: i64) -> String {
    at(ms)
        .map(|t| t.format("%H:%M %d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// The same with the seconds, e.g. "08:00:05 23/11/2026" (a log needs them).
pub fn format_vn_time_with_seconds(ms: i64) -> String {
    at(ms)
        .map(|t| t.format("%H:%M:%S %d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// "2026-11-23T08:00" typed in Vietnam time (an `<input type=datetime-local>`) as a UTC instant.
pub fn parse_vn_local(raw: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    offset()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The value for an `<input type=datetime-local>` showing `t` in Vietnam time.
pub fn format_vn_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&offset())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The start of the current day in Vietnam, as a UTC instant.
pub fn vn_day_start(now: DateTime<Utc>) -> DateTime<Utc> {
    vn_day_at(now, 0, 0)
}

/// `hour:00` in Vietnam on the day `days` after the one `now` falls on, as a UTC instant.
pub fn vn_day_at(now: DateTime<Utc>, days: i64, hour: u32) -> DateTime<Utc> {
    let day = (now.with_timezone(&offset()) + Duration::days(days)).date_naive();
    let time = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    offset()
        .from_local_datetime(&day.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now - Duration::hours(24))
}

/// The Vietnamese calendar day of an instant (ms), as "dd/mm/yyyy" and a sortable key.
pub fn vn_day(ms: i64) -> (String, i64) {
    match at(ms) {
        Some(t) => (
            t.format("%d/%m/%Y").to_string(),
            t.format("%Y%m%d").to_string().parse().unwrap_or(0),
        ),
        None => (String::new(), 0),
    }
}

/// The date line of an official letter: "Ngày 20 tháng 8 năm 2024", Vietnam time.
pub fn vn_date_line(now: DateTime<Utc>) -> String {
    let t = now.with_timezone(&offset());
    t.format("Ngày %-d tháng %-m năm %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_is_dated_in_vietnam_time() {
        // 17:30 UTC on 19 August is already 20 August in Vietnam.
        let t = DateTime::from_timestamp(1_724_088_600, 0).unwrap();
        assert_eq!(vn_date_line(t), "Ngày 20 tháng 8 năm 2024");
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn instants_shown_in_vietnam_time() {
        // 2026-11-23 01:00 UTC is 08:00 in Hà Nội.
        assert_eq!(format_vn_time(1_795_395_600_000), "08:00 23/11/2026");
        assert_eq!(
            format_vn_time_with_seconds(1_795_395_605_000),
            "08:00:05 23/11/2026"
        );
    }

    #[test]
    fn vietnam_local_times() {
        let t = parse_vn_local("2026-11-23T08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-23T01:00:00+00:00");
        assert_eq!(format_vn_local(t), "2026-11-23T08:00");
        assert_eq!(
            parse_vn_local(" 2026-11-23T08:00:30 ").unwrap().timestamp() - t.timestamp(),
            30
        );
        assert!(parse_vn_local("23/11/2026 08:00").is_none());
        assert!(parse_vn_local("").is_none());
    }

    #[test]
    fn vietnam_day_boundaries() {
        let cases = [
            ("2026-11-22T16:59:59Z", "2026-11-21T17:00:00+00:00"),
            ("2026-11-22T17:00:00Z", "2026-11-22T17:00:00+00:00"),
            ("2026-11-23T03:00:00Z", "2026-11-22T17:00:00+00:00"),
        ];
        for (now, want) in cases {
            assert_eq!(vn_day_start(utc(now)).to_rfc3339(), want, "{now}");
        }
        // 22:00 in Vietnam six days after 23/11 (late evening there, still 23/11 in UTC at 16:59).
        assert_eq!(
            vn_day_at(utc("2026-11-22T16:59:00Z"), 6, 22).to_rfc3339(),
            "2026-11-28T15:00:00+00:00"
        );
    }

    #[test]
    fn vietnam_days() {
        // 16:59 UTC is 23:59 in Vietnam; 17:00 UTC is the next day there.
        let day = |s: &str| vn_day(utc(s).timestamp_millis());
        assert_eq!(day("2026-11-22T16:59:00Z"), ("22/11/2026".into(), 20261122));
        assert_eq!(day("2026-11-22T17:00:00Z"), ("23/11/2026".into(), 20261123));
    }
}
