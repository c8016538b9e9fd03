//! Publication dates as scrapers write them, parsed to a UTC timestamp.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Milliseconds since the Unix epoch (UTC), or `None` when the text is no date we know.
/// Timestamps with an offset are converted to UTC; naive ones are taken as UTC.
pub fn parse_published(raw: &str) -> Option<i64> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_millis());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.timestamp_millis());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(dt.timestamp_millis());
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(dt.and_utc().timestamp_millis());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis());
        }
    }
    // Unix time in seconds or milliseconds, as some exports write it.
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        return match s.len() {
            9 | 10 => Some(n * 1000),
            12 | 13 => Some(n),
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd_hms(s: &str) -> String {
        let ms = parse_published(s).unwrap_or_else(|| panic!("unparsed {s}"));
        DateTime::from_timestamp_millis(ms)
            .unwrap()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    #[test]
    fn common_formats() {
        assert_eq!(ymd_hms("2023-09-28T14:05:00Z"), "2023-09-28 14:05:00");
        assert_eq!(ymd_hms("2023-09-28T18:05:00+04:00"), "2023-09-28 14:05:00");
        assert_eq!(ymd_hms("2023-09-28 10:00:00"), "2023-09-28 10:00:00");
        assert_eq!(ymd_hms("2023-09-28"), "2023-09-28 00:00:00");
        assert_eq!(ymd_hms("28.09.2023"), "2023-09-28 00:00:00");
        assert_eq!(
            ymd_hms("Thu, 28 Sep 2023 14:05:00 +0000"),
            "2023-09-28 14:05:00"
        );
        assert_eq!(ymd_hms("1695909900"), "2023-09-28 14:05:00");
    }

    #[test]
    fn garbage_is_none() {
        for s in ["", "yesterday", "2023-13-45", "28 сентября"] {
            assert_eq!(parse_published(s), None, "{s}");
        }
    }
}
