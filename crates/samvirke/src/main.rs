//! `samvirke`: run the system, and look after its database.

mod audit;
mod cli;
mod database;
mod demo;
mod erase;
mod users;

use anyhow::Result;
use clap::Parser;
use cli::{AuditCommand, Cli, Command, UserCommand};

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    init_logging(&cli.log_format);
    match cli.command {
        Command::Serve(args) => cli::serve(&cli.db, args).await,
        Command::Migrate => {
            let store = database::open(&cli.db).await?;
            store.migrate().await?;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Demo(args) => demo::run(&cli.db, args).await,
        Command::User { command: UserCommand::Add(args) } => users::add(&cli.db, args).await,
        Command::User { command: UserCommand::List } => users::list(&cli.db).await,
        Command::User { command: UserCommand::ResetLink(args) } => users::reset_link(&cli.db, args).await,
        Command::Backup { to } => database::backup(&cli.db, &to).await,
        Command::Restore { from } => database::restore(&cli.db, &from).await,
        Command::Audit { command: AuditCommand::Verify(args) } => audit::verify(&cli.db, args).await,
        Command::Erase(args) => erase::run(&cli.db, args).await,
    }
}

/// Structured logs on stderr. Log lines carry ids and route templates, never personal data (docs/LOGGING.md).
fn init_logging(format: &cli::LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SAMVIRKE_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        cli::LogFormat::Json => builder.json().flatten_event(true).init(),
        cli::LogFormat::Text => builder.compact().init(),
    }
}
