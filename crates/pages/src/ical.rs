//! A practitioner's calendar feed as iCalendar (RFC 5545): one event per
//! appointment, carrying times, a place and a case reference — nothing more
//! about the family. Lines end in CRLF and are folded at 75 octets; text is
//! escaped as the RFC says.

use jiff::Timestamp;

/// An appointment as the feed carries it.
#[derive(Debug, Clone)]
pub struct FeedEvent {
    /// A stable, globally unique id (the appointment's id and the host).
    pub uid: String,
    /// When it starts.
    pub start: Timestamp,
    /// When it ends.
    pub end: Timestamp,
    /// What it is, with the case reference («Samvær – sag 7K3M-92QD»).
    pub summary: String,
    /// Where.
    pub location: String,
    /// Called off.
    pub cancelled: bool,
}

fn stamp(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Text with the RFC's escapes: backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line, folded so that no line is longer than 75 octets (never
/// inside a character), ending in CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The whole feed.
pub fn calendar(name: &str, events: &[FeedEvent], now: Timestamp) -> String {
    let mut out = String::new();
    for l in
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Samvirke//Kalender//DA", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    {
        line(&mut out, l);
    }
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{}", stamp(now)));
        line(&mut out, &format!("DTSTART:{}", stamp(e.start)));
        line(&mut out, &format!("DTEND:{}", stamp(e.end)));
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        line(&mut out, &format!("LOCATION:{}", escape(&e.location)));
        line(&mut out, if e.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_escaped_folded_and_end_in_crlf() {
        let at: Timestamp = "2026-11-28T09:00:00Z".parse().unwrap();
        let e = FeedEvent {
            uid: "01a0@samvirke".into(),
            start: at,
            end: "2026-11-28T11:00:00Z".parse().unwrap(),
            summary: "Samvær – sag 7K3M, lokale; 2".into(),
            location: "Samværsrum 1 (Solstuen) ".repeat(5),
            cancelled: false,
        };
        let ics = calendar("Min kalender", &[e], at);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART:20261128T090000Z\r\n"));
        assert!(ics.contains("SUMMARY:Samvær – sag 7K3M\\, lokale\\; 2\r\n"));
        assert!(ics.split("\r\n").all(|l| l.len() <= 75), "folded at 75 octets");
        assert!(ics.contains("\r\n "), "the long location is folded");
    }
}
