//! Dates as feeds write them, to UTC.
//!
//! One entry point, [`parse_date`], tries in turn:
//!
//! - **W3CDTF / RFC 3339 / ISO 8601** (Atom, `dc:date`, JSON Feed): `2003-12-31T10:14:55Z`,
//!   fractions, `±hh:mm`/`±hhmm` offsets (also after a space), a space instead of `T`,
//!   reduced precision (`2003-12`, `2003`), compact (`20031231`) and two-digit-year forms
//!   (`03-12-31`, `031231`, `-0312`, `-03-12`), one-digit hours;
//! - **RFC 822 / RFC 2822 and its broken variants** (RSS `pubDate`): any order of weekday,
//!   day, month name (English, full or abbreviated, or Greek), year (two or four digits),
//!   time (`hh:mm[:ss]`) and zone (`GMT`, `UT`, `Etc/GMT`, US and European zone names,
//!   `±hhmm`, `±hh:mm`, `GMT-01:01`), with or without commas, `yyyy/mm/dd` dates, and the
//!   asctime / Twitter orders (`Sun Jan  4 16:29:06 2004`, `Sun Jul 15 01:16:00 +0000 2012`);
//! - Korean (`2004-05-25 오후 11:23:17`, `2004년 05월 28일 01:31:15`, KST) and Hungarian
//!   (`2004-július-13T9:15-05:00`) forms feedparser's corpus has.
//!
//! Anything else, or an impossible value (hour 25, day 99, offset -99:99), is `None`: a
//! date this cannot read is absent, never a panic and never a guess. A missing zone means
//! UTC; a missing time means midnight.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

/// Parse a date as found in a feed. `None` when it cannot be read.
pub fn parse_date(input: &str) -> Option<DateTime<Utc>> {
    let s = input.trim();
    if s.is_empty() || s.len() > 128 {
        return None;
    }
    // Nearly every date is ASCII; only then skip the searches for Korean words.
    if !s.is_ascii() && (s.contains('년') || s.contains("오후") || s.contains("오전")) {
        return korean(s);
    }
    let first = s.as_bytes()[0];
    if first.is_ascii_digit() || first == b'-' {
        if let Some(d) = iso8601(s) {
            return Some(d);
        }
        if let Some(fixed) = hungarian(s) {
            return iso8601(&fixed);
        }
    }
    rfc822(s)
}

/// Format as the conformance schema wants: `YYYY-MM-DDTHH:MM:SSZ`.
pub fn to_rfc3339_seconds(d: &DateTime<Utc>) -> String {
    d.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn utc(date: NaiveDate, h: u32, m: u32, s: u32, offset_minutes: i32) -> Option<DateTime<Utc>> {
    let naive: NaiveDateTime = date.and_hms_opt(h, m, s.min(59))?;
    let naive = naive.checked_sub_signed(Duration::minutes(i64::from(offset_minutes)))?;
    Some(DateTime::from_naive_utc_and_offset(naive, Utc))
}

fn two_digit_year(y: i32) -> i32 {
    if y < 50 {
        2000 + y
    } else {
        1900 + y
    }
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

// ---------------------------------------------------------------------------------------
// ISO 8601 / W3CDTF

fn iso8601(s: &str) -> Option<DateTime<Utc>> {
    // Split the date from the time at `T` or the first space.
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], s[i + 1..].trim_start()),
        None => (s, ""),
    };
    let day = iso_date(date)?;
    if rest.is_empty() {
        return utc(day, 0, 0, 0, 0);
    }
    // The time runs to the zone designator.
    let zone_at = rest.find(['Z', 'z', '+', '-', ' ']).unwrap_or(rest.len());
    let (time, zone) = (&rest[..zone_at], rest[zone_at..].trim());
    let mut parts = time.split(':');
    let h = num(parts.next()?).filter(|h| *h <= 23)?;
    let m = num(parts.next()?).filter(|m| *m <= 59)?;
    let sec = match parts.next() {
        Some(sec) => {
            let whole = sec.split(['.', ',']).next()?;
            let frac = &sec[whole.len()..];
            if !frac.is_empty() && num(&frac[1..]).is_none() {
                return None;
            }
            num(whole).filter(|s| *s <= 60)?
        }
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let offset = if zone.is_empty() { 0 } else { numeric_zone(zone)? };
    utc(day, h, m, sec, offset)
}

fn iso_date(d: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = d.split('-').collect();
    let ymd = |y: &str, m: &str, dd: &str| -> Option<NaiveDate> {
        let year = match y.len() {
            4 => num(y)? as i32,
            2 => two_digit_year(num(y)? as i32),
            _ => return None,
        };
        NaiveDate::from_ymd_opt(year, num(m)?, num(dd)?)
    };
    match parts.as_slice() {
        [all] if all.len() == 8 => ymd(&all[..4], &all[4..6], &all[6..]),
        [all] if all.len() == 6 => ymd(&all[..2], &all[2..4], &all[4..]),
        [all] if all.len() == 4 => ymd(all, "1", "1"),
        [y, m] if y.len() == 4 && (1..=2).contains(&m.len()) => ymd(y, m, "1"),
        // `-YYMM` and `-YY-MM`
        ["", yymm] if yymm.len() == 4 => ymd(&yymm[..2], &yymm[2..], "1"),
        ["", yy, mm] if yy.len() == 2 && mm.len() == 2 => ymd(yy, mm, "1"),
        [y, m, dd] if m.len() <= 3 && dd.len() <= 2 => ymd(y, m, dd),
        _ => None,
    }
}

/// `Z`, `+hh:mm`, `-hhmm`, `+hh` as minutes east of UTC.
fn numeric_zone(z: &str) -> Option<i32> {
    if z.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &z[1..];
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if body.len() == 4 => body.split_at(2),
        None if body.len() <= 2 => (body, "0"),
        None => return None,
    };
    let (h, m) = (num(h)?, num(m)?);
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m) as i32)
}

fn hungarian(s: &str) -> Option<String> {
    const MONTHS: [(&str, &str); 12] = [
        ("január", "01"),
        ("február", "02"),
        ("március", "03"),
        ("április", "04"),
        ("május", "05"),
        ("június", "06"),
        ("július", "07"),
        ("augusztus", "08"),
        ("szeptember", "09"),
        ("október", "10"),
        ("november", "11"),
        ("december", "12"),
    ];
    let (name, n) = MONTHS.iter().find(|(name, _)| s.contains(name))?;
    Some(s.replacen(name, n, 1))
}

fn korean(s: &str) -> Option<DateTime<Utc>> {
    const KST: i32 = 9 * 60;
    let pm = s.contains("오후");
    let cleaned: String = s
        .replace("오후", " ")
        .replace("오전", " ")
        .replace(['년', '월', '일'], " ")
        .replace('-', " ");
    let mut date = [0u32; 3];
    let mut n = 0;
    let mut time = None;
    for tok in cleaned.split_whitespace() {
        if tok.contains(':') {
            time = Some(tok);
        } else if n < 3 {
            date[n] = num(tok)?;
            n += 1;
        } else {
            return None;
        }
    }
    if n != 3 {
        return None;
    }
    let day = NaiveDate::from_ymd_opt(date[0] as i32, date[1], date[2])?;
    let (mut h, m, sec) = hms(time.unwrap_or("0:0"))?;
    if pm && h < 12 {
        h += 12;
    }
    utc(day, h, m, sec, KST)
}

// ---------------------------------------------------------------------------------------
// RFC 822 and friends

fn month(tok: &str) -> Option<u32> {
    const EN: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // Greek abbreviations (with and without accents), as feedparser knows them.
    const GREEK: [(&str, u32); 19] = [
        ("Ιαν", 1),
        ("Φεβ", 2),
        ("Μάώ", 3),
        ("Μαώ", 3),
        ("Μαρ", 3),
        ("Απρ", 4),
        ("Μάι", 5),
        ("Μαϊ", 5),
        ("Μαι", 5),
        ("Ιούν", 6),
        ("Ιον", 6),
        ("Ιούλ", 7),
        ("Ιολ", 7),
        ("Αύγ", 8),
        ("Αυγ", 8),
        ("Σεπ", 9),
        ("Οκτ", 10),
        ("Νοέ", 11),
        ("Δεκ", 12),
    ];
    let word = tok.trim_end_matches('.');
    if let Some(i) = EN.iter().position(|m| m.eq_ignore_ascii_case(word)) {
        return Some(i as u32 + 1);
    }
    if word.eq_ignore_ascii_case("sept") {
        return Some(9);
    }
    if let Some(i) = FULL.iter().position(|m| m.eq_ignore_ascii_case(word)) {
        return Some(i as u32 + 1);
    }
    GREEK.iter().find(|(g, _)| *g == tok).map(|(_, n)| *n)
}

fn is_weekday(tok: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    const GREEK: [&str; 7] = ["Κυρ", "Δευ", "Τρι", "Τετ", "Πεμ", "Παρ", "Σαβ"];
    let head = tok.get(..3).unwrap_or("");
    (tok.len() <= 9 && DAYS.iter().any(|d| d.eq_ignore_ascii_case(head))) || GREEK.contains(&tok)
}

/// A named zone's offset in minutes east of UTC.
fn named_zone(tok: &str) -> Option<i32> {
    // Upper-cased on the stack: this runs once per date in a feed.
    let mut buf = [0u8; 8];
    let b = buf.get_mut(..tok.len())?;
    b.copy_from_slice(tok.as_bytes());
    b.make_ascii_uppercase();
    let h = match std::str::from_utf8(b).ok()? {
        "GMT" | "UT" | "UTC" | "Z" | "ETC/GMT" | "ETC/UTC" => 0,
        "EST" | "ET" => -5,
        "EDT" => -4,
        "CST" | "CT" => -6,
        "CDT" => -5,
        "MST" | "MT" => -7,
        "MDT" => -6,
        "PST" | "PT" => -8,
        "PDT" => -7,
        "AST" | "AT" => -4,
        "ADT" => -3,
        "HST" => -10,
        "AKST" => -9,
        "AKDT" => -8,
        "BST" | "CET" | "MET" | "WAT" => 1,
        "CEST" | "MEST" | "EET" | "SAST" => 2,
        "EEST" | "MSK" => 3,
        "WET" => 0,
        "WEST" => 1,
        "JST" | "KST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        "NZST" => 12,
        "NZDT" => 13,
        _ => return None,
    };
    Some(h * 60)
}

fn zone(tok: &str) -> Option<i32> {
    if let Some(z) = named_zone(tok) {
        return Some(z);
    }
    if tok.starts_with(['+', '-']) {
        return numeric_zone(tok);
    }
    // `GMT-01:01`, `UTC+0200`
    let upper = tok.to_ascii_uppercase();
    for prefix in ["GMT", "UTC", "UT"] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return numeric_zone(rest);
            }
        }
    }
    None
}

fn hms(t: &str) -> Option<(u32, u32, u32)> {
    let mut it = t.split(':');
    let h = num(it.next()?).filter(|h| *h <= 23)?;
    let m = num(it.next()?).filter(|m| *m <= 59)?;
    let s = match it.next() {
        Some(s) => num(s.split('.').next()?).filter(|s| *s <= 60)?,
        None => 0,
    };
    if it.next().is_some() {
        return None;
    }
    Some((h, m, s))
}

fn rfc822(s: &str) -> Option<DateTime<Utc>> {
    let mut day = None;
    let mut mon = None;
    let mut year: Option<i32> = None;
    let mut time = None;
    let mut offset = None;
    for (i, tok) in s.split([' ', ',', '\t']).filter(|t| !t.is_empty()).enumerate() {
        if time.is_none() && tok.contains(':') && tok.as_bytes()[0].is_ascii_digit() {
            time = Some(hms(tok)?);
        } else if let Some(m) = (mon.is_none()).then(|| month(tok)).flatten() {
            mon = Some(m);
        } else if i == 0 && is_weekday(tok) {
        } else if tok.contains('/') && tok.as_bytes()[0].is_ascii_digit() {
            let mut p = tok.split('/');
            year = Some(num(p.next()?)? as i32);
            mon = Some(num(p.next()?)?);
            day = Some(num(p.next()?)?);
            if p.next().is_some() {
                return None;
            }
        } else if tok.bytes().all(|b| b.is_ascii_digit()) {
            let n = num(tok)?;
            if tok.len() >= 3 {
                year = Some(n as i32);
            } else if day.is_none() {
                day = Some(n);
            } else if year.is_none() {
                year = Some(two_digit_year(n as i32));
            } else {
                return None;
            }
        } else if offset.is_none() && time.is_some() {
            offset = Some(zone(tok)?);
        } else {
            return None;
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, mon?, day?)?;
    let (h, m, sec) = time.unwrap_or((0, 0, 0));
    utc(date, h, m, sec, offset.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        parse_date(s).map(|d| to_rfc3339_seconds(&d))
    }

    #[test]
    fn rfc822_and_its_variants() {
        assert_eq!(p("Thu, 01 Jan 2004 19:48:21 GMT").as_deref(), Some("2004-01-01T19:48:21Z"));
        assert_eq!(p("Thu, 01 Jan 04 19:48:21 GMT").as_deref(), Some("2004-01-01T19:48:21Z"));
        assert_eq!(p("Fri,24 Nov 2023 18:28:36 -0000").as_deref(), Some("2023-11-24T18:28:36Z"));
        assert_eq!(
            p("Wed, 19 Feb 2012 22:40:00 GMT-01:01").as_deref(),
            Some("2012-02-19T23:41:00Z")
        );
        assert_eq!(p("Mon, 26 January 2004 16:31:00 PT").as_deref(), Some("2004-01-27T00:31:00Z"));
        assert_eq!(p("Sun Jul 15 01:16:00 +0000 2012").as_deref(), Some("2012-07-15T01:16:00Z"));
        assert_eq!(p("Sun Jan  4 16:29:06 2004").as_deref(), Some("2004-01-04T16:29:06Z"));
        assert_eq!(p("Fri, 2006/09/15 08:19:53 EDT").as_deref(), Some("2006-09-15T12:19:53Z"));
        assert_eq!(p("Thu, 01 Jan 2004").as_deref(), Some("2004-01-01T00:00:00Z"));
        assert_eq!(p("Thu, 01 Jan 0100 00:00:01 +0100").as_deref(), Some("0099-12-31T23:00:01Z"));
    }

    #[test]
    fn iso8601_and_w3cdtf() {
        assert_eq!(p("2003-12-31T10:14:55-08:00").as_deref(), Some("2003-12-31T18:14:55Z"));
        assert_eq!(p("2007-04-23T23:25:47.538+10:00").as_deref(), Some("2007-04-23T13:25:47Z"));
        assert_eq!(p("2003-12").as_deref(), Some("2003-12-01T00:00:00Z"));
        assert_eq!(p("2004-07-08 23:56:58 -00:20").as_deref(), Some("2004-07-09T00:16:58Z"));
        assert_eq!(p("-0312").as_deref(), Some("2003-12-01T00:00:00Z"));
        assert_eq!(p("-03-12").as_deref(), Some("2003-12-01T00:00:00Z"));
        assert_eq!(p("2004-02-28T18:14:55-08:00").as_deref(), Some("2004-02-29T02:14:55Z"));
    }

    #[test]
    fn other_languages() {
        assert_eq!(p("Κυρ, 11 Ιούλ 2004 12:00:00 EST").as_deref(), Some("2004-07-11T17:00:00Z"));
        assert_eq!(p("2004-július-13T9:15-05:00").as_deref(), Some("2004-07-13T14:15:00Z"));
        assert_eq!(p("2004-05-25 오후 11:23:17").as_deref(), Some("2004-05-25T14:23:17Z"));
        assert_eq!(p("2004년 05월 28일  01:31:15").as_deref(), Some("2004-05-27T16:31:15Z"));
    }

    #[test]
    fn nonsense_is_none_never_a_panic() {
        for s in [
            "",
            "Sun, 16 Dec 2012 1:2:3:4 GMT",
            "Sun, 16 zzz 2012 11:47:32 GMT",
            "Sun, 99 Jun 2009 12:00:00 GMT",
            "Sun, 16 Dec 2012 11:47:32 +zz:00",
            "9999-12-31T23:59:59-99:99",
            "2003-12-31T25:14:55Z",
            "2013-01-28T11:30:00-06:00Textra",
            "2013-01-27-01",
            "013",
            "٣٣",
            "9999999999999999999999",
        ] {
            assert_eq!(p(s), None, "{s:?}");
        }
    }
}
