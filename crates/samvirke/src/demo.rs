//! `samvirke demo`: invented demo data, with demo accounts for its key people.

use crate::cli::DbArgs;
use crate::database;
use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use samvirke_demo::{DemoOptions, DemoSummary, Progress, Scale};
use samvirke_domain::UserId;
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::text::PersonName;
use samvirke_domain::user::{Role, Subject, User, Username};
use samvirke_store::{CaseFilter, Store};
use std::sync::Mutex;

/// The password of every demo account. Demo data only: never use on real data.
pub const DEMO_PASSWORD: &str = "samvirke-demo";

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// `provider`: one provider with about 60 families; `denmark`: a national-size data set.
    #[arg(long, value_enum, default_value = "provider")]
    pub scale: ScaleArg,
    /// The day the data is built around (default: today in Copenhagen).
    #[arg(long)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, Clone, ValueEnum)]
pub enum ScaleArg {
    Provider,
    Denmark,
}

/// Fills an empty database, drawing a progress bar.
pub async fn run(db: &DbArgs, args: DemoArgs) -> Result<()> {
    let store = database::open(db).await?;
    store.migrate().await?;
    if !is_empty(&*store).await? {
        bail!("the database already holds data; demo data goes only into an empty database");
    }
    let scale = match args.scale {
        ScaleArg::Provider => Scale::Provider,
        ScaleArg::Denmark => Scale::Denmark,
    };
    let today = args.today.unwrap_or_else(today_in_copenhagen);
    generate(&*store, DemoOptions { seed: args.seed, scale, today }).await
}

/// Fills the database with provider-scale demo data if it holds nothing yet.
pub async fn seed_if_empty(store: &dyn Store) -> Result<()> {
    if !is_empty(store).await? {
        tracing::info!("database already holds data; no demo data added");
        return Ok(());
    }
    generate(store, DemoOptions { seed: 1, scale: Scale::Provider, today: today_in_copenhagen() }).await
}

async fn is_empty(store: &dyn Store) -> Result<bool> {
    let mut tx = store.begin_read().await?;
    Ok(tx.municipalities().await?.is_empty() && tx.count_cases(&CaseFilter::default()).await? == 0)
}

/// Today's date in Copenhagen.
pub fn today_in_copenhagen() -> jiff::civil::Date {
    jiff::Timestamp::now().to_zoned(samvirke_domain::calendar::copenhagen()).date()
}

async fn generate(store: &dyn Store, opts: DemoOptions) -> Result<()> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let stage = Mutex::new("");
    let started = std::time::Instant::now();
    let report = |p: Progress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
        let mut s = stage.lock().expect("progress lock");
        if *s != p.stage {
            *s = p.stage;
            bar.set_message(p.stage);
        }
    };
    let summary = samvirke_demo::generate(store, &opts, &report).await?;
    bar.finish_and_clear();
    create_demo_accounts(store, &summary).await?;
    eprintln!("{summary}");
    eprintln!("Demo data ready in {:.1} s.", started.elapsed().as_secs_f64());
    eprintln!(
        "Demo accounts (password \"{DEMO_PASSWORD}\"): koordinator, teamleder, medarbejder, sagsbehandler, admin."
    );
    Ok(())
}

async fn create_demo_accounts(store: &dyn Store, summary: &DemoSummary) -> Result<()> {
    let hash = samvirke_auth::hash_password(DEMO_PASSWORD)?;
    let accounts = [
        ("koordinator", StaffRole::Coordinator, summary.coordinator),
        ("teamleder", StaffRole::TeamLead, summary.team_lead),
        ("medarbejder", StaffRole::Practitioner, summary.practitioner),
        ("sagsbehandler", StaffRole::Caseworker, summary.caseworker),
        ("admin", StaffRole::Admin, summary.admin),
    ];
    let mut tx = store.begin().await?;
    for (username, role, staff_id) in accounts {
        let staff = tx.staff(staff_id).await?;
        let user = User {
            id: UserId::new(),
            username: Username::parse(username).expect("valid demo username"),
            display_name: PersonName::parse(staff.name.as_str()).expect("staff names are valid"),
            role: Role::Staff(role),
            subject: Subject::Staff(staff_id),
            active: true,
            created_at: samvirke_domain::time::now(),
        };
        tx.insert_user(&user, &hash).await?;
    }
    tx.commit().await?;
    Ok(())
}
