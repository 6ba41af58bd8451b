//! `samvirke erase`: erases closed cases whose retention has run out.
//!
//! A case is kept for `--retention-days` after its closing day (default 1826
//! days: five years, one of them a leap year) and erased on a later day. Five
//! years is a default, not a rule of the code: the period a provider must or
//! may keep a case comes from its agreements with the ordering municipalities
//! (the data processing agreement) and their archive rules, so it is a
//! setting, and `--closed-before` names the day outright. Each case is erased
//! in a transaction of its own together with an `erase` entry in the audit
//! log (actor: the system); the log itself holds only ids and is kept.

use crate::cli::DbArgs;
use crate::database;
use anyhow::{Context, Result, bail};
use clap::Args;
use jiff::ToSpan;
use jiff::civil::Date;
use samvirke_domain::CaseId;
use samvirke_domain::audit::{AuditAction, AuditEvent};
use samvirke_store::{Page, Store};
use std::collections::HashSet;

/// Five years, one of them a leap year.
pub const DEFAULT_RETENTION_DAYS: u32 = 1826;

#[derive(Debug, Args)]
pub struct EraseArgs {
    /// Erase the cases closed before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", conflicts_with = "retention_days")]
    pub closed_before: Option<Date>,
    /// Keep a closed case this many days after its closing day, then erase it.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_RETENTION_DAYS)]
    pub retention_days: u32,
    /// List the cases that would be erased (up to 1000), and erase nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Erases every closed case past retention, one transaction per case.
pub async fn run(db: &DbArgs, args: EraseArgs) -> Result<()> {
    let closed_before = match args.closed_before {
        Some(day) => day,
        None => {
            let today = crate::demo::today_in_copenhagen();
            today.checked_sub(i64::from(args.retention_days).days()).context("--retention-days is too large")?
        }
    };
    let store = database::open(db).await?;
    store.migrate().await?;
    if args.dry_run {
        let due = store.begin_read().await?.closed_cases_before(closed_before, Page::MAX).await?;
        for case in &due {
            println!("Would erase case {case}.");
        }
        println!("{} closed before {closed_before} would be erased{}.", cases(due.len()), more(due.len()));
        return Ok(());
    }
    let erased = erase_closed_before(&*store, closed_before).await?;
    println!("Erased {} closed before {closed_before}.", cases(erased));
    Ok(())
}

/// "1 case", "2 cases".
pub fn cases(n: usize) -> String {
    if n == 1 { "1 case".into() } else { format!("{n} cases") }
}

fn more(n: usize) -> &'static str {
    if n == Page::MAX as usize { " (and perhaps more)" } else { "" }
}

async fn erase_closed_before(store: &dyn Store, closed_before: Date) -> Result<usize> {
    let mut done: HashSet<CaseId> = HashSet::new();
    loop {
        let due = store.begin_read().await?.closed_cases_before(closed_before, 100).await?;
        if due.is_empty() {
            return Ok(done.len());
        }
        for case in due {
            if !done.insert(case) {
                bail!("case {case} is still listed after it was erased");
            }
            erase_one(store, case).await.with_context(|| format!("erasing case {case}"))?;
            println!("Erased case {case}.");
        }
    }
}

async fn erase_one(store: &dyn Store, case: CaseId) -> Result<()> {
    let at = samvirke_domain::time::now();
    let mut tx = store.begin().await?;
    tx.erase_case(case, at, None).await?;
    tx.append_audit(&[AuditEvent {
        at,
        actor: None,
        action: AuditAction::Erase,
        record_kind: "case".into(),
        record_id: Some(case.0),
        case_id: Some(case),
        from: None,
        route: None,
    }])
    .await?;
    tx.commit().await?;
    Ok(())
}
