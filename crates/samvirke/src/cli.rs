//! The command line: what can be asked of `samvirke`, and the `serve` command.

use crate::{database, demo};
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Samvirke: case and delivery system for family support in Danish child welfare.
#[derive(Debug, Parser)]
#[command(name = "samvirke", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    /// Log format on stderr.
    #[arg(long, env = "SAMVIRKE_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// PostgreSQL URL (postgres://…). Without it, the embedded SQLite database in the data folder is used.
    #[arg(long, env = "SAMVIRKE_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Data folder of the embedded database; created on first start.
    #[arg(long, env = "SAMVIRKE_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application and the JSON API.
    Serve(ServeArgs),
    /// Create or bring the database schema up to date.
    Migrate,
    /// Fill an empty database with invented demo data.
    Demo(demo::DemoArgs),
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write a consistent copy of the database while it is in use.
    Backup {
        /// The file to write (must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the database with a backup. Stop the server first.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user account.
    Add(crate::users::AddArgs),
    /// List user accounts.
    List,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Until sign-in lands, only loopback addresses are accepted.
    #[arg(long, env = "SAMVIRKE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Fill the database with demo data first if it is empty.
    #[arg(long)]
    pub demo: bool,
}

/// Migrates, optionally seeds demo data, and serves until Ctrl-C or SIGTERM.
pub async fn serve(db: &DbArgs, args: ServeArgs) -> Result<()> {
    if !args.bind.ip().is_loopback() {
        bail!(
            "{} is not a loopback address: the API has no sign-in yet and may only be served on 127.0.0.1 or ::1",
            args.bind
        );
    }
    let store = database::open(db).await?;
    store.migrate().await.context("migrating the database")?;
    if args.demo {
        demo::seed_if_empty(&*store).await?;
    }
    let app = samvirke_web::router(samvirke_web::AppState::new(store));
    let listener = tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("binding {}", args.bind))?;
    tracing::info!(address = %listener.local_addr()?, "serving Samvirke");
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
