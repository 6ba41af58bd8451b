//! The `samvirke` command end to end, on the embedded database in a temporary data folder.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn samvirke(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samvirke"))
        .args(args)
        .env("SAMVIRKE_DATA_DIR", data)
        .env_remove("SAMVIRKE_DATABASE_URL")
        .output()
        .expect("samvirke runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// A running server, stopped when dropped (also when a test fails).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `samvirke serve` on a free loopback port and returns the process and its base URL.
fn serve(data: &Path) -> (Server, String) {
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_samvirke"))
            .args(["serve", "--bind", "127.0.0.1:0", "--log-format", "json"])
            .env("SAMVIRKE_DATA_DIR", data)
            .env_remove("SAMVIRKE_DATABASE_URL")
            .stderr(Stdio::piped())
            .spawn()
            .expect("samvirke serve starts"),
    );
    let mut lines = BufReader::new(server.0.stderr.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        if v["message"] == "serving Samvirke" {
            let address = v["address"].as_str().unwrap().to_string();
            // Keep draining the log so the server never writes into a closed pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return (server, format!("http://{address}"));
        }
    }
    panic!("samvirke serve did not report its address");
}

#[tokio::test]
async fn demo_data_is_served_and_the_catalogue_lists_five_interventions_with_both_acts() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(samvirke(dir.path(), &["demo", "--seed", "7", "--today", "2026-11-23"]));
    assert!(out.contains("60 cases"), "{out}");
    assert!(dir.path().join("samvirke.db").exists());

    let (_server, base) = serve(dir.path());
    let client = reqwest::Client::new();
    let catalogue: serde_json::Value =
        client.get(format!("{base}/api/v1/catalogue")).send().await.unwrap().json().await.unwrap();
    let items = catalogue["items"].as_array().unwrap();
    let summary: Vec<(String, String, String)> = items
        .iter()
        .map(|e| {
            (
                e["intervention"].as_str().unwrap().to_string(),
                e["basis_in_force"][0]["short"].as_str().unwrap().to_string(),
                e["former_basis"][0]["short"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = |i: &str, bl: &str, sel: &str| (i.to_string(), bl.to_string(), sel.to_string());
    assert_eq!(
        summary,
        vec![
            expect("supported_visitation", "BL § 104, stk. 3", "SEL § 71, stk. 2"),
            expect("supervised_visitation", "BL § 105, stk. 1–2", "SEL § 71, stk. 3–4"),
            expect("home_support", "BL § 32, stk. 1, nr. 2", "SEL § 52, stk. 3, nr. 3"),
            expect("contact_person", "BL § 32, stk. 1, nr. 3", "SEL § 52, stk. 3, nr. 7"),
            expect("parent_programme", "BL § 76", "SEL § 54"),
        ]
    );
    // Nobody is signed in: every route but the public ones answers 401.
    let cases = client.get(format!("{base}/api/v1/cases?limit=1000")).send().await.unwrap();
    assert_eq!(cases.status(), 401);
    assert_eq!(client.get(format!("{base}/readyz")).send().await.unwrap().status(), 200);

    // An account for one of the demo's practitioners (read from the database), added while the server runs.
    let id = {
        use samvirke_store::{StaffFilter, Store};
        let store = samvirke_store_sqlite::SqliteStore::open(dir.path()).await.unwrap();
        let filter = StaffFilter {
            role: Some(samvirke_domain::organisation::StaffRole::Practitioner),
            ..StaffFilter::default()
        };
        let id = store.begin_read().await.unwrap().list_staff(&filter).await.unwrap()[0].id.to_string();
        store.close().await;
        id
    };
    let id = id.as_str();
    let out = ok(samvirke(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "Ny.Medarbejder",
            "--name",
            "Ny Medarbejder",
            "--role",
            "practitioner",
            "--staff",
            id,
        ],
    ));
    let password = out.lines().find_map(|l| l.strip_prefix("One-time password: ")).expect("a generated password");
    assert_eq!(password.len(), 20);
    assert!(ok(samvirke(dir.path(), &["user", "list"])).contains("ny.medarbejder"));
}

#[test]
fn demo_data_goes_only_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    ok(samvirke(dir.path(), &["demo", "--today", "2026-11-23"]));
    let again = samvirke(dir.path(), &["demo", "--today", "2026-11-23"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds data"));
}

#[test]
fn serve_refuses_a_cookie_without_secure_on_an_address_other_than_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let out = samvirke(dir.path(), &["serve", "--bind", "0.0.0.0:0", "--dev-insecure-cookie"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback address only"));
}

#[test]
fn a_backup_restores_into_a_fresh_data_folder_with_every_record() {
    let dir = tempfile::tempdir().unwrap();
    ok(samvirke(dir.path(), &["demo", "--today", "2026-11-23"]));
    let backup = dir.path().join("backup.db");
    ok(samvirke(dir.path(), &["backup", "--to", backup.to_str().unwrap()]));

    let restored = tempfile::tempdir().unwrap();
    ok(samvirke(restored.path(), &["restore", "--from", backup.to_str().unwrap()]));
    let users = ok(samvirke(restored.path(), &["user", "list"]));
    for name in ["admin", "koordinator", "medarbejder", "sagsbehandler", "teamleder"] {
        assert!(users.contains(name), "{users}");
    }
}

#[test]
fn user_add_refuses_bad_input_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    ok(samvirke(dir.path(), &["migrate"]));
    let bad = samvirke(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "x y",
            "--name",
            "A",
            "--role",
            "admin",
            "--staff",
            "0198a0a0-0000-7000-8000-000000000000",
        ],
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--username"));
    let missing = samvirke(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "anna",
            "--name",
            "Anna",
            "--role",
            "admin",
            "--staff",
            "0198a0a0-0000-7000-8000-000000000000",
        ],
    );
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such staff record"));

    let mut child = Command::new(env!("CARGO_BIN_EXE_samvirke"))
        .args(["user", "add", "--username", "Ny.Bruger", "--name", "Ny Bruger", "--role", "parent", "--password-stdin"])
        .args(["--family-member", "0198a0a0-0000-7000-8000-000000000000"])
        .env("SAMVIRKE_DATA_DIR", dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"kort\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "a short password is refused before anything is stored");
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 12 characters"));
}

/// A demo database with `n` audit entries, one per reset link issued for `admin`; the links printed.
fn database_with_reset_links(data: &Path, n: usize) -> Vec<String> {
    ok(samvirke(data, &["demo", "--today", "2026-11-23"]));
    (0..n)
        .map(|_| {
            let out = ok(samvirke(
                data,
                &["user", "reset-link", "--username", "admin", "--base-url", "https://samvirke.example/"],
            ));
            out.lines()
                .find_map(|l| l.strip_prefix("https://samvirke.example/reset-password?token="))
                .unwrap_or_else(|| panic!("a link in {out}"))
                .to_string()
        })
        .collect()
}

/// "1 case", "2 cases", as `samvirke erase` counts.
fn cases(n: usize) -> String {
    if n == 1 { "1 case".into() } else { format!("{n} cases") }
}

/// The head `audit verify` printed, as `SEQ:HASH`.
fn printed_head(out: &str) -> String {
    out.split("head ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("a head in {out}"))
        .to_string()
}

/// Runs raw SQL on the database file, as someone with access to the file could.
async fn tamper(data: &Path, sql: &str) {
    use sqlx::Connection;
    let url = format!("sqlite://{}", data.join("samvirke.db").display());
    let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_reset_link_works_once_is_stored_only_as_a_hash_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let links = database_with_reset_links(dir.path(), 2);
    assert_eq!(links[0].len(), 43);
    assert_ne!(links[0], links[1]);

    let store = samvirke_store_sqlite::SqliteStore::open(dir.path()).await.unwrap();
    let mut r = samvirke_store::Store::begin_read(&store).await.unwrap();
    let hash = |link: &str| samvirke_auth::ResetToken::parse(link).unwrap().hash();
    let (admin, _) = r.user_credentials(&samvirke_domain::user::Username::parse("admin").unwrap()).await.unwrap();
    let current = r.reset(&hash(&links[1])).await.unwrap();
    assert_eq!((current.user_id, current.used_at), (admin.id, None));
    assert!(
        matches!(r.reset(&hash(&links[0])).await, Err(samvirke_store::StoreError::NotFound)),
        "the older link is void"
    );
    let log = r.audit_for_actor(admin.id, None, 10).await.unwrap();
    assert!(log.is_empty(), "issued by the system, not by the account");
    let entries = r.audit_entries(0, 10).await.unwrap();
    assert_eq!(entries.len(), 2);
    for e in &entries {
        assert_eq!(e.event.action, samvirke_domain::audit::AuditAction::CredentialReset);
        assert_eq!((e.event.record_id, e.event.actor), (Some(admin.id.0), None));
    }
    drop(r);
    store.close().await;

    let nobody = samvirke(dir.path(), &["user", "reset-link", "--username", "nobody"]);
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no such account"));
}

#[tokio::test]
async fn audit_verify_names_an_entry_changed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    ok(samvirke(empty.path(), &["migrate"]));
    assert!(ok(samvirke(empty.path(), &["audit", "verify"])).contains("it is empty"));

    database_with_reset_links(dir.path(), 4);
    let out = ok(samvirke(dir.path(), &["audit", "verify"]));
    assert!(out.contains("4 entries"), "{out}");
    assert!(printed_head(&out).starts_with("4:"), "{out}");

    // The trigger refuses the change, so an attacker with the file drops it first.
    tamper(dir.path(), "DROP TRIGGER audit_log_is_final; UPDATE audit_log SET client = '10.0.0.1' WHERE seq = 2").await;
    let broken = samvirke(dir.path(), &["audit", "verify"]);
    assert!(!broken.status.success());
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains("entry 2 was changed after it was written"), "{err}");
}

#[tokio::test]
async fn audit_verify_catches_entries_removed_from_the_end_against_a_recorded_head() {
    let dir = tempfile::tempdir().unwrap();
    database_with_reset_links(dir.path(), 4);
    let head = printed_head(&ok(samvirke(dir.path(), &["audit", "verify"])));
    assert!(ok(samvirke(dir.path(), &["audit", "verify", "--expect-head", &head])).contains("4 entries"));

    tamper(dir.path(), "DROP TRIGGER audit_log_is_kept; DELETE FROM audit_log WHERE seq > 2").await;
    // What is left is a shorter chain that holds together …
    assert!(ok(samvirke(dir.path(), &["audit", "verify"])).contains("2 entries"));
    // … but it no longer reaches the head recorded before.
    let cut = samvirke(dir.path(), &["audit", "verify", "--expect-head", &head]);
    assert!(!cut.status.success());
    let err = String::from_utf8_lossy(&cut.stderr);
    assert!(err.contains("the log ends at entry 2, before the recorded head 4"), "{err}");

    let malformed = samvirke(dir.path(), &["audit", "verify", "--expect-head", "4"]);
    assert!(!malformed.status.success());
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("SEQ:HASH"));
}

#[tokio::test]
async fn erase_removes_the_closed_cases_past_retention_and_audits_each() {
    let dir = tempfile::tempdir().unwrap();
    ok(samvirke(dir.path(), &["demo", "--today", "2026-11-23"]));
    let store = samvirke_store_sqlite::SqliteStore::open(dir.path()).await.unwrap();
    let far = jiff::civil::date(2100, 1, 1);
    let mut r = samvirke_store::Store::begin_read(&store).await.unwrap();
    let closed = r.closed_cases_before(far, 1000).await.unwrap();
    let total = r.count_cases(&samvirke_store::CaseFilter::default()).await.unwrap();
    drop(r);
    assert!(!closed.is_empty(), "the demo data has closed cases");

    // By default a case is kept 1826 days after its closing day.
    let today = jiff::Timestamp::now().to_zoned(samvirke_domain::calendar::copenhagen()).date();
    let cutoff = today.checked_sub(jiff::ToSpan::days(1826)).unwrap();
    let due = samvirke_store::Store::begin_read(&store).await.unwrap().closed_cases_before(cutoff, 1000).await.unwrap();
    let out = ok(samvirke(dir.path(), &["erase"]));
    assert!(out.contains(&format!("Erased {} closed before {cutoff}.", cases(due.len()))), "{out}");
    let closed: Vec<_> = closed.into_iter().filter(|c| !due.contains(c)).collect();
    if closed.is_empty() {
        return; // Run long after the demo's dates: nothing is left for the rest.
    }
    let dry = ok(samvirke(dir.path(), &["erase", "--closed-before", "2100-01-01", "--dry-run"]));
    assert!(dry.contains(&format!("{} closed before 2100-01-01 would be erased", cases(closed.len()))), "{dry}");

    let out = ok(samvirke(dir.path(), &["erase", "--closed-before", "2100-01-01"]));
    assert!(out.contains(&format!("Erased {} closed before 2100-01-01.", cases(closed.len()))), "{out}");
    let mut r = samvirke_store::Store::begin_read(&store).await.unwrap();
    assert_eq!(r.closed_cases_before(far, 1000).await.unwrap(), vec![]);
    let erased = (closed.len() + due.len()) as u64;
    assert_eq!(r.count_cases(&samvirke_store::CaseFilter::default()).await.unwrap(), total - erased);
    for case in &closed {
        assert!(matches!(r.case(*case).await, Err(samvirke_store::StoreError::NotFound)));
        assert!(r.family_members(*case).await.unwrap().is_empty());
        let filter = samvirke_store::DocumentFilter { case: Some(*case), ..Default::default() };
        assert!(r.documents(&filter, samvirke_store::Page::default()).await.unwrap().is_empty());
        assert_eq!(r.case_erasure(*case).await.unwrap().erased_by, None);
        let log = r.audit_for_case(*case, None, 10).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].event.action, log[0].event.actor), (samvirke_domain::audit::AuditAction::Erase, None));
    }
    drop(r);
    store.close().await;
    let entries = closed.len() + due.len();
    let verified = ok(samvirke(dir.path(), &["audit", "verify"]));
    assert!(printed_head(&verified).starts_with(&format!("{entries}:")), "{verified}");
    assert!(ok(samvirke(dir.path(), &["erase", "--closed-before", "2100-01-01"])).contains("Erased 0 cases"));
}
