//! A practitioner's calendar feed: made on a page, read by a real calendar
//! parser (Python's `icalendar`), carrying times, places and the case
//! reference only, logged per case, and void once a new link is made.

use crate::support::{TestApp, World, activate, terms};
use jiff::ToSpan;
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::user::{Role, Subject};
use serde_json::json;

/// Parses a feed with Python's `icalendar` (`pip install icalendar`; `.ci/run` installs it)
/// and prints one line per event: summary, location, start.
fn parse_with_icalendar(ics: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("samvirke-feed-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("feed.ics");
    std::fs::write(&file, ics).unwrap();
    let script = "import sys, icalendar\n\
                  cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
                  for e in cal.walk('VEVENT'):\n\
                  \x20   print(f\"{e['SUMMARY']}|{e['LOCATION']}|{e.decoded('DTSTART').isoformat()}\")\n";
    let out = std::process::Command::new("python3").args(["-c", script]).arg(&file).output().expect("python3 runs");
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "icalendar could not read the feed (is it installed? pip install icalendar): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
}

#[tokio::test]
async fn the_feed_is_read_by_a_real_calendar_parser_and_carries_no_names() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let today = jiff::Zoned::now().date();
    let mut t = terms(&w.mother);
    t["period"] = json!({"start": (today - 30.days()).to_string(), "end": (today + 60.days()).to_string()});
    t["visitation"] = serde_json::Value::Null;
    let referral =
        app.create("/api/v1/referrals", json!({"case_id": w.case, "intervention": "home_support", "terms": t})).await;
    activate(&app, &referral, &w.coordinator, &w.practitioner).await;
    for (day, location) in [
        (3, json!({"kind": "family_home"})),
        (4, json!({"kind": "other", "value": "Legepladsen, Vestergade; ved søen"})),
    ] {
        let start = (today + i64::from(day).days()).at(14, 0, 0, 0).in_tz("Europe/Copenhagen").unwrap().timestamp();
        app.create(
            "/api/v1/appointments",
            json!({"referral_id": referral, "kind": "home_support_session", "start": start.to_string(),
                   "end": (start + jiff::SignedDuration::from_hours(1)).to_string(), "location": location,
                   "practitioner_ids": [w.practitioner]}),
        )
        .await;
    }
    let jonas = app
        .add_user("jonas", Role::Staff(StaffRole::Practitioner), Subject::Staff(w.practitioner.parse().unwrap()), true)
        .await;
    let browser = app.sign_in(&jonas).await;
    let made = browser.post_browser_form("/calendar-feed", &[("csrf_token", &browser.csrf())]).await;
    assert_eq!(made.status, 200, "{}", made.text);
    let link = made.text.split("id=\"feed-link\" class=\"enrol-secret\">").nth(1).unwrap().split('<').next().unwrap();
    let path = link.find("/calendar-feed/").map(|at| link[at..].to_string()).unwrap();

    let feed = app.anonymous().get(&path).await;
    assert_eq!(feed.status, 200, "{}", feed.text);
    assert!(feed.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/calendar"));
    let case = app.get(&format!("/api/v1/cases/{}", w.case)).await;
    let reference = case.body["reference"].as_str().unwrap().to_string();
    let events = parse_with_icalendar(&feed.text);
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events[0].starts_with(&format!("Støtte i hjemmet – sag {reference}|Familiens hjem|")), "{events:?}");
    assert!(events[1].contains("|Legepladsen, Vestergade; ved søen|"), "{events:?}");
    for name in ["Ida", "Sørensen", "Bruger"] {
        assert!(!feed.text.contains(name), "the feed names {name}");
    }

    // The fetch is in the case's access log, as the link owner's.
    let log = app.get(&format!("/api/v1/cases/{}/access-log", w.case)).await;
    assert!(
        log.items().iter().any(|e| e["route"] == "/calendar-feed/{token}" && e["who"]["name"] == "Bruger jonas"),
        "{}",
        log.body
    );

    // A new link voids the old one.
    let again = browser.post_browser_form("/calendar-feed", &[("csrf_token", &browser.csrf())]).await;
    assert_eq!(again.status, 200);
    assert_eq!(app.anonymous().get(&path).await.status, 404);
    assert_eq!(app.anonymous().get("/calendar-feed/not-a-token").await.status, 404);
    app.finish().await;
}
