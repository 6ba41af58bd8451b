//! `samvirke user`: accounts from the command line.

use crate::cli::DbArgs;
use crate::database;
use anyhow::{Context, Result, anyhow};
use clap::Args;
use samvirke_domain::audit::{AuditAction, AuditEvent};
use samvirke_domain::text::PersonName;
use samvirke_domain::user::{Role, Subject, User, Username};
use samvirke_domain::{CaseId, FamilyMemberId, Lang, StaffId, UserId};
use std::io::BufRead;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Sign-in name (a–z, 0–9, `.`, `-`, `_`).
    #[arg(long)]
    pub username: String,
    /// Name shown in the interface.
    #[arg(long)]
    pub name: String,
    /// practitioner, coordinator, team_lead, caseworker, admin, parent or young_person.
    #[arg(long)]
    pub role: String,
    /// The staff record of a staff account.
    #[arg(long, conflicts_with_all = ["family_member", "child_of_case"])]
    pub staff: Option<StaffId>,
    /// The family member record of a parent's account.
    #[arg(long)]
    pub family_member: Option<FamilyMemberId>,
    /// The case of a young person's account.
    #[arg(long)]
    pub child_of_case: Option<CaseId>,
    /// Read the password from the first line of standard input; otherwise one is generated and printed once.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Adds an account and prints its password if one was generated.
pub async fn add(db: &DbArgs, args: AddArgs) -> Result<()> {
    let problem = |field: &str, p: samvirke_domain::validation::Problem| anyhow!("{field}: {}", p.message(Lang::En));
    let username = Username::parse(&args.username).map_err(|p| problem("--username", p))?;
    let display_name = PersonName::parse(&args.name).map_err(|p| problem("--name", p))?;
    let role = Role::from_code(&args.role).ok_or_else(|| anyhow!("--role: unknown role {:?}", args.role))?;
    let subject = match (args.staff, args.family_member, args.child_of_case) {
        (Some(s), None, None) => Subject::Staff(s),
        (None, Some(f), None) => Subject::FamilyMember(f),
        (None, None, Some(c)) => Subject::Child(c),
        _ => return Err(anyhow!("give exactly one of --staff, --family-member or --child-of-case")),
    };
    User::check_subject(role, subject)
        .map_err(|_| anyhow!("--role {} does not fit that kind of record", role.code()))?;

    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (samvirke_auth::generate_password(), true)
    };
    let hash = samvirke_auth::hash_password(&password).map_err(|e| match e {
        samvirke_auth::PasswordError::TooShort => {
            anyhow!("the password must be at least {} characters", samvirke_auth::MIN_PASSWORD_CHARS)
        }
        e => anyhow!(e),
    })?;

    let store = database::open(db).await?;
    store.migrate().await?;
    let mut tx = store.begin().await?;
    // The record behind the account must exist.
    match subject {
        Subject::Staff(id) => drop(tx.staff(id).await.context("--staff: no such staff record")?),
        Subject::FamilyMember(id) => drop(tx.family_member(id).await.context("--family-member: no such record")?),
        Subject::Child(id) => drop(tx.case(id).await.context("--child-of-case: no such case")?),
    }
    let user = User {
        id: UserId::new(),
        username,
        display_name,
        role,
        subject,
        active: true,
        created_at: samvirke_domain::time::now(),
    };
    tx.insert_user(&user, &hash).await.map_err(|e| {
        if e.is_conflict(samvirke_store::Conflict::Duplicate) { anyhow!("the username is taken") } else { anyhow!(e) }
    })?;
    tx.commit().await?;
    println!("Added {} ({}).", user.username, role.code());
    if generated {
        println!("One-time password: {password}");
    }
    Ok(())
}

/// Lists accounts: username, role, active.
pub async fn list(db: &DbArgs) -> Result<()> {
    let store = database::open(db).await?;
    let mut tx = store.begin_read().await?;
    for u in tx.users().await? {
        println!("{:<24} {:<14} {}", u.username, u.role.code(), if u.active { "active" } else { "disabled" });
    }
    Ok(())
}

/// Where the web serves the page that takes a reset token (`?token=…`).
pub const RESET_PATH: &str = "/reset-password";

#[derive(Debug, Args)]
pub struct ResetLinkArgs {
    /// The account's sign-in name.
    #[arg(long)]
    pub username: String,
    /// The address people open Samvirke at; the link is `<URL>/reset-password?token=…`.
    #[arg(long, env = "SAMVIRKE_BASE_URL", default_value = "http://127.0.0.1:8080")]
    pub base_url: String,
}

/// Issues a one-time reset token (valid 24 hours), stores only its hash, voids
/// the account's earlier links, records a `credential_reset` audit entry, and
/// prints the link once.
pub async fn reset_link(db: &DbArgs, args: ResetLinkArgs) -> Result<()> {
    let username = Username::parse(&args.username).map_err(|p| anyhow!("--username: {}", p.message(Lang::En)))?;
    let base = args.base_url.trim_end_matches('/');
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return Err(anyhow!("--base-url must start with https:// (or http:// for a local server)"));
    }
    let store = database::open(db).await?;
    store.migrate().await?;
    let mut tx = store.begin().await?;
    let user = match tx.user_credentials(&username).await {
        Ok((user, _)) => user,
        Err(samvirke_store::StoreError::NotFound) => return Err(anyhow!("--username: no such account")),
        Err(e) => return Err(e.into()),
    };
    if !user.active {
        return Err(anyhow!("the account is disabled; enable it before resetting its password"));
    }
    let now = samvirke_domain::time::now();
    let issued = samvirke_auth::reset::issue(now, samvirke_auth::reset::DEFAULT_RESET_VALIDITY);
    tx.delete_user_resets(user.id).await?;
    tx.insert_reset(&samvirke_store::ResetRecord {
        token_hash: issued.token_hash,
        user_id: user.id,
        created_by: None,
        expires_at: issued.expires_at,
        used_at: None,
    })
    .await?;
    tx.append_audit(&[AuditEvent {
        at: now,
        actor: None,
        action: AuditAction::CredentialReset,
        record_kind: "user".into(),
        record_id: Some(user.id.0),
        case_id: None,
        from: None,
        route: None,
    }])
    .await?;
    tx.commit().await?;
    let until = issued.expires_at.to_zoned(samvirke_domain::calendar::copenhagen()).strftime("%Y-%m-%d %H:%M");
    println!(
        "Reset link for {} (works once, until {until} Copenhagen time; earlier links no longer work):",
        user.username
    );
    println!("{base}{RESET_PATH}?token={}", issued.token.reveal());
    Ok(())
}
