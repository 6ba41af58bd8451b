//! A rough measure of what the audit of reads costs (BENCHMARKS.md, "Audit of
//! every access"). Ignored by default; run with
//! `cargo test -p samvirke-web --test api bench -- --ignored --nocapture`.
//!
//! Over real HTTP on 127.0.0.1 and a fresh SQLite file: requests per second of
//! an audited case read (`GET /cases/{id}`), of a read that is not audited and
//! costs about the same without it (`GET /providers/{id}`), and the cost of the
//! audit alone (a write transaction that appends one entry), each sequentially
//! and with 8 clients at once.

use crate::support::{TestApp, World};
use samvirke_domain::audit::{AuditAction, AuditEvent};
use std::time::{Duration, Instant};

const REQUESTS: usize = 2000;
const CLIENTS: usize = 8;

async fn rate(app: &TestApp, path: &str, clients: usize) -> f64 {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let client = app.anonymous_world();
        let path = path.to_string();
        tasks.push(tokio::spawn(async move {
            for _ in 0..REQUESTS / clients {
                assert_eq!(client.get(&path).await.status, 200);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    REQUESTS as f64 / started.elapsed().as_secs_f64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by hand"]
async fn bench_audited_case_reads() {
    let app = TestApp::spawn().await;
    let w = World::create(&app).await;
    let case = format!("/api/v1/cases/{}", w.case);
    let provider = format!("/api/v1/providers/{}", w.provider);
    rate(&app, &case, 1).await; // warm up
    for clients in [1, CLIENTS] {
        let audited = rate(&app, &case, clients).await;
        let plain = rate(&app, &provider, clients).await;
        println!(
            "{clients} client(s): GET /cases/{{id}} (audited) {audited:.0}/s; GET /providers/{{id}} (not audited) {plain:.0}/s"
        );
    }
    let started = Instant::now();
    for _ in 0..REQUESTS {
        let mut tx = app.store().begin().await.unwrap();
        tx.append_audit(&[AuditEvent {
            at: samvirke_domain::time::now(),
            actor: None,
            action: AuditAction::Read,
            record_kind: "case".into(),
            record_id: None,
            case_id: Some(w.case.parse().unwrap()),
            from: Some("127.0.0.1".into()),
            route: Some("/api/v1/cases/{id}".into()),
        }])
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let each: Duration = started.elapsed() / REQUESTS as u32;
    println!(
        "the audit alone (begin, append one entry, commit), sequentially: {:.0} µs each",
        each.as_secs_f64() * 1e6
    );
    app.finish().await;
}
