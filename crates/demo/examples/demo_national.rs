//! Times the national data set (or a part of it) going into a store, and prints the figures.
//!
//! ```text
//! cargo run --release -p samvirke-demo --example demo_national -- sqlite [FOLDER] [PER_MILLE]
//! cargo run --release -p samvirke-demo --example demo_national -- postgres URL [PER_MILLE]
//! ```
//!
//! SQLite writes to a new temporary folder unless one is given (it must not
//! hold a database yet); Postgres needs an empty database. `PER_MILLE` (1–1000,
//! default 1000) generates that share of the national data set. The figures
//! are recorded in this crate's BENCHMARKS.md.

use jiff::civil::date;
use samvirke_demo::{DemoOptions, Progress, Scale, generate};
use samvirke_store::Store;
use std::io::Write;
use std::sync::Mutex;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: demo_national sqlite [FOLDER] [PER_MILLE] | demo_national postgres URL [PER_MILLE]";
    let backend = args.first().map(String::as_str).unwrap_or("sqlite");
    let per_mille: u16 = args.get(2).map_or(1000, |s| s.parse().expect(usage));
    let store: Box<dyn Store> = match backend {
        "sqlite" => {
            let dir = args.get(1).map_or_else(
                || std::env::temp_dir().join(format!("samvirke-national-{}", std::process::id())),
                std::path::PathBuf::from,
            );
            eprintln!("SQLite in {}", dir.display());
            Box::new(samvirke_store_sqlite::SqliteStore::open(&dir).await.expect("open SQLite"))
        }
        "postgres" => {
            let url = args.get(1).expect(usage);
            Box::new(samvirke_store_postgres::PgStore::connect(url).await.expect("connect to Postgres"))
        }
        _ => panic!("{usage}"),
    };
    store.migrate().await.expect("migrate");

    let scale = if per_mille >= 1000 { Scale::Denmark } else { Scale::DenmarkPart { per_mille } };
    let opts = DemoOptions { seed: 1, scale, today: date(2026, 3, 10) };
    let started = Instant::now();
    let last = Mutex::new(Instant::now());
    let report = |p: Progress| {
        let mut l = last.lock().unwrap();
        if l.elapsed().as_secs_f64() >= 5.0 || p.done == p.total {
            *l = Instant::now();
            let s = started.elapsed().as_secs_f64();
            eprintln!(
                "{:>7.1} s  {:>9} / {:>9} records  {:>7.0} records/s  {}",
                s,
                p.done,
                p.total,
                p.done as f64 / s,
                p.stage
            );
            std::io::stderr().flush().ok();
        }
    };
    let summary = generate(&*store, &opts, &report).await.expect("generate");
    let secs = started.elapsed().as_secs_f64();
    let c = summary.counts;
    println!("backend: {backend}, scale: {scale:?}");
    println!("{summary}");
    println!(
        "time: {secs:.1} s; {:.0} records/s; {:.0} appointments/s",
        c.total() as f64 / secs,
        c.appointments as f64 / secs
    );
}
