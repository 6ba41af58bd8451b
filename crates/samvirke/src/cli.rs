//! The command line: what can be asked of `samvirke`, and the `serve` command.

use crate::{audit, database, demo, erase};
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
    /// Look after the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Erase closed cases whose retention has run out (default: closed more than 1826 days ago).
    Erase(erase::EraseArgs),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of the whole log; print the number of entries and the head.
    Verify(audit::VerifyArgs),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user account.
    Add(crate::users::AddArgs),
    /// List user accounts.
    List,
    /// Issue a one-time password-reset link for an account and print it once.
    ResetLink(crate::users::ResetLinkArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Serve on anything but a loopback address only behind a TLS terminator.
    #[arg(long, env = "SAMVIRKE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Fill the database with demo data first if it is empty.
    #[arg(long)]
    pub demo: bool,
    /// Development only: send the session cookie without `Secure`, so that it
    /// is kept over plain HTTP. Refused unless --bind is a loopback address.
    #[arg(long, env = "SAMVIRKE_DEV_INSECURE_COOKIE")]
    pub dev_insecure_cookie: bool,
    /// The pages' npm packages (dkfds, htmx), whose dist folders are served under /assets/ (scripts/assets installs them).
    #[arg(long, env = "SAMVIRKE_ASSETS_DIR", default_value = "frontend/node_modules")]
    pub assets_dir: std::path::PathBuf,
    /// Behind one reverse proxy that appends the client's address to
    /// X-Forwarded-For: take the client's address from there (rate limits,
    /// audit log). Only when nothing but the proxy can reach the server.
    #[arg(long, env = "SAMVIRKE_TRUST_PROXY")]
    pub trust_proxy: bool,
}

/// Migrates, optionally seeds demo data, and serves until Ctrl-C or SIGTERM.
pub async fn serve(db: &DbArgs, args: ServeArgs) -> Result<()> {
    if args.dev_insecure_cookie && !args.bind.ip().is_loopback() {
        bail!("--dev-insecure-cookie is for a development server on a loopback address only");
    }
    let store = database::open(db).await?;
    store.migrate().await.context("migrating the database")?;
    if args.demo {
        demo::seed_if_empty(&*store).await?;
    }
    let from_env = std::env::var(samvirke_web::secret_key::SECRET_KEY_ENV).ok();
    let (key, created) = samvirke_web::SecretKey::load_or_create(from_env.as_deref(), &db.data_dir)
        .context("the secret key (SAMVIRKE_SECRET_KEY or secret.key in the data folder)")?;
    if created {
        tracing::warn!(folder = %db.data_dir.display(), "created a new secret key (secret.key) in the data folder");
    }
    let config = samvirke_web::Config {
        secure_cookies: !args.dev_insecure_cookie,
        trust_proxy: args.trust_proxy,
        assets_dir: args.assets_dir.clone(),
        ..Default::default()
    };
    let app = samvirke_web::router(samvirke_web::AppState::with_config(store, key, config));
    let listener = tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("binding {}", args.bind))?;
    tracing::info!(address = %listener.local_addr()?, "serving Samvirke");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
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
