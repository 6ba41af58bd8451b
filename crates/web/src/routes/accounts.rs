//! Password resets: an admin issues a one-time link; whoever holds it sets a
//! new password once, and the account is signed out everywhere.

use super::prelude::*;
use crate::audit::account_event;
use crate::auth::ClientAddr;
use crate::routes::session::{rate_limited, same_origin};
use axum::http::HeaderMap;
use samvirke_auth::reset::{self, DEFAULT_RESET_VALIDITY};
use samvirke_auth::{PasswordPolicy, PasswordRejection, ResetToken};
use samvirke_domain::audit::AuditAction;
use samvirke_store::{ResetRecord, SignInRecord, StoreError};

/// The tag of these routes.
pub const TAG: &str = "accounts";

/// Where the page that takes a reset token is served (`?token=…`).
pub const RESET_PATH: &str = "/reset-password";

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reset_link)).routes(routes!(reset_password))
}

/// A new reset link: shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetLinkView {
    /// The path of the link, with the one-time token: give it to the person on a safe channel, once.
    pub path: String,
    /// The link does not work from this moment.
    pub expires_at: jiff::Timestamp,
}

/// A new password, with the token of a reset link.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordResetInput {
    /// The token of the link.
    #[schema(required = true, value_type = String)]
    pub token: Option<String>,
    /// The new password: 12 to 128 characters, not one of the most common ones.
    #[schema(required = true, value_type = String)]
    pub new_password: Option<String>,
}

/// Issue a password-reset link
///
/// By an admin, for an account of their own provider (its staff, and the
/// families of its cases; a caseworker's account is the operator's, with the
/// `samvirke user` command): `403` otherwise.
///
/// For an active account: a one-time link, valid 24 hours, answered once
/// (only the token's SHA-256 is stored). The account's earlier links stop
/// working. Recorded in the audit log.
#[utoipa::path(post, path = "/users/{id}/reset-link", tag = TAG, params(("id" = UserId, Path)), responses((status = 200, body = ResetLinkView)))]
async fn reset_link(
    State(app): State<AppState>,
    CurrentActor(actor): CurrentActor,
    from: ClientAddr,
    Path(id): Path<UserId>,
) -> ApiResult<Json<ResetLinkView>> {
    let mut tx = app.write().await?;
    let user = tx.user(id).await?;
    if !user.active {
        return Err(ApiError::NotFound);
    }
    let now = parse::now();
    let issued = reset::issue(now, DEFAULT_RESET_VALIDITY);
    tx.delete_user_resets(user.id).await?;
    tx.insert_reset(&ResetRecord {
        token_hash: issued.token_hash,
        user_id: user.id,
        created_by: Some(actor.user_id),
        expires_at: issued.expires_at,
        used_at: None,
    })
    .await?;
    tx.append_audit(&[account_event(
        Some(actor.user_id),
        AuditAction::CredentialReset,
        Some(user.id),
        from,
        "/api/v1/users/{id}/reset-link",
    )])
    .await?;
    tx.commit().await?;
    Ok(Json(ResetLinkView {
        path: format!("{RESET_PATH}?token={}", issued.token.reveal()),
        expires_at: issued.expires_at,
    }))
}

fn invalid_link() -> ApiError {
    ApiError::Validation(ValidationErrors::one(
        "token",
        Problem::Other {
            da: "Linket virker ikke: det er forkert, brugt eller udløbet. Bed om et nyt.".into(),
            en: "The link does not work: it is wrong, used or expired. Ask for a new one.".into(),
        },
    ))
}

fn rejected(rejection: PasswordRejection) -> ApiError {
    let problem = match rejection {
        PasswordRejection::TooShort { min } => Problem::Other {
            da: format!("Adgangskoden skal have mindst {min} tegn."),
            en: format!("The password must have at least {min} characters."),
        },
        PasswordRejection::TooLong { max } => Problem::TooLong { max },
        PasswordRejection::OneRepeatedCharacter | PasswordRejection::TooCommon => Problem::Other {
            da: "Adgangskoden er for let at gætte. Vælg en anden, gerne flere ord.".into(),
            en: "The password is too easy to guess. Choose another, several words work well.".into(),
        },
    };
    ApiError::Validation(ValidationErrors::one("new_password", problem))
}

/// Set a new password with a reset link
///
/// Works once, within 24 hours. Afterwards every session of the account has
/// ended, its other links are void and its lockout is cleared; the second
/// factor stays as it was. Limited per client address like sign-in.
#[utoipa::path(post, path = "/password-reset", tag = TAG, request_body = PasswordResetInput, responses(
    (status = 204),
    (status = 429, description = "Too many attempts from this address (`too_many_requests`); see `Retry-After`.", body = ErrorBody),
))]
pub(crate) async fn reset_password(
    State(app): State<AppState>,
    from: ClientAddr,
    headers: HeaderMap,
    Json(input): Json<PasswordResetInput>,
) -> ApiResult<StatusCode> {
    if !same_origin(&headers) {
        return Err(ApiError::Forbidden);
    }
    rate_limited(&app.security.reset_limiter, from)?;
    let mut v = Validator::new();
    let token = v.check("token", parse::required(&input.token));
    let password = v.check("new_password", parse::required(&input.new_password));
    let (token, password) = v.build(|| (token.unwrap(), password.unwrap()))?;
    let hash = ResetToken::parse(token.trim()).ok_or_else(invalid_link)?.hash();
    let now = parse::now();
    let stored = match app.read().await?.reset(&hash).await {
        Ok(stored) => stored,
        Err(StoreError::NotFound) => return Err(invalid_link()),
        Err(e) => return Err(e.into()),
    };
    reset::check(&stored.token_hash, stored.expires_at, stored.used_at, token.trim(), now)
        .map_err(|_| invalid_link())?;
    PasswordPolicy::default().check(&password).map_err(rejected)?;
    let password_hash = tokio::task::spawn_blocking(move || samvirke_auth::hash_password(&password))
        .await
        .map_err(|_| ApiError::Internal)?
        .map_err(|_| ApiError::Internal)?;

    let mut tx = app.write().await?;
    match tx.mark_reset_used(&hash, now).await {
        Ok(()) => {}
        Err(StoreError::NotFound | StoreError::Conflict(_)) => return Err(invalid_link()),
        Err(e) => return Err(e.into()),
    }
    let user = stored.user_id;
    tx.set_password_hash(user, &password_hash).await?;
    tx.delete_user_resets(user).await?;
    tx.delete_user_sessions(user).await?;
    let record = tx.sign_in_record(user).await?;
    tx.set_sign_in_record(user, &SignInRecord { failures: 0, first_failure_at: None, locked_until: None, ..record })
        .await?;
    tx.append_audit(&[account_event(
        Some(user),
        AuditAction::CredentialReset,
        Some(user),
        from,
        "/api/v1/password-reset",
    )])
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
