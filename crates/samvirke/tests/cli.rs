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
    let cases: serde_json::Value =
        client.get(format!("{base}/api/v1/cases?limit=1000")).send().await.unwrap().json().await.unwrap();
    assert_eq!(cases["items"].as_array().unwrap().len(), 60);
    assert_eq!(client.get(format!("{base}/readyz")).send().await.unwrap().status(), 200);

    // An account for one of the served staff, added while the server runs.
    let staff: serde_json::Value =
        client.get(format!("{base}/api/v1/staff?role=practitioner")).send().await.unwrap().json().await.unwrap();
    let id = staff["items"][0]["id"].as_str().unwrap();
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
fn serve_refuses_an_address_other_than_loopback_until_sign_in_lands() {
    let dir = tempfile::tempdir().unwrap();
    let out = samvirke(dir.path(), &["serve", "--bind", "0.0.0.0:0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a loopback address"));
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
