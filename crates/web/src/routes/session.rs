//! Sign-in and sessions: the password, the second factor (TOTP, or a
//! recovery code), enrolment of the second factor, sign-out.
//!
//! `POST /session` checks the client's address against the rate limiter, then
//! the account's lockout and the password (Argon2id; an unknown username or a
//! disabled account spends a dummy verification and gets the same answer as a
//! wrong password or a locked account). What follows:
//!
//! - an account with a confirmed TOTP secret: a session that is not complete,
//!   answered `{"second_factor": "totp_required"}`; `POST /session/totp` with
//!   the code (or a recovery code) within five minutes completes it;
//! - a member of staff without one: `{"second_factor": "enrolment_required"}`;
//!   the session may only call `POST /session/totp/enrol` (the secret, once)
//!   and `POST /session/totp/confirm` (a first code; answers the recovery
//!   codes, once, and completes the session);
//! - a parent or young person without one: signed in (the second factor is
//!   optional for citizens, and they may enrol one the same way).
//!
//! Every step that raises the session's privilege issues a new session token
//! and deletes the old row. Failed sign-ins, sign-ins, sign-outs and enrolments
//! are written to the audit log in the transaction of the step.

use super::prelude::*;
use crate::audit::account_event;
use crate::auth::{
    ClientAddr, CurrentSession, clear_cookie_header, csrf_token, second_factor_confirmed, session_cookie_header,
    set_cookie,
};
use crate::secret_key::{TotpState, totp_state};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use samvirke_auth::identity::{PasswordAccount, PasswordStep, SecondFactorStep, SecondFactorUsed, TotpAccount};
use samvirke_auth::totp::{self, RecoveryCodeHash};
use samvirke_auth::{FailureState, NeedsSecondFactor, SessionToken, TotpSecret};
use samvirke_domain::audit::AuditAction;
use samvirke_domain::user::{Role, User, Username};
use samvirke_store::{SessionRecord, SignInRecord, StoreError, Tx};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

/// The tag of these routes.
pub const TAG: &str = "session";

/// How long after the password a member of staff may take to enrol a second factor.
pub const ENROLMENT_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, current, sign_out))
        .routes(routes!(sign_out_everywhere))
        .routes(routes!(second_factor))
        .routes(routes!(enrol))
        .routes(routes!(confirm))
}

/// A sign-in.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInInput {
    /// The sign-in name.
    #[schema(required = true, value_type = String)]
    pub username: Option<String>,
    /// The password.
    #[schema(required = true, value_type = String)]
    pub password: Option<String>,
}

/// A second factor: a code from the authenticator app, or one of the recovery codes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SecondFactorInput {
    /// The six digits the app shows.
    pub code: Option<String>,
    /// A recovery code (`k7m2x-9fq4t`), instead of the code.
    pub recovery_code: Option<String>,
}

/// A first code from the authenticator app, confirming the enrolment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmInput {
    /// The six digits the app shows.
    #[schema(required = true, value_type = String)]
    pub code: Option<String>,
}

/// What a sign-in still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecondFactorNeeded {
    /// A code from the authenticator app (or a recovery code): `POST /session/totp`.
    TotpRequired,
    /// A second factor must be set up first: `POST /session/totp/enrol`, then `POST /session/totp/confirm`.
    EnrolmentRequired,
}

/// Who is signed in: the role and the name shown, nothing more.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionUser {
    /// The name shown in the interface.
    pub display_name: String,
    /// The account's role: `practitioner`, `coordinator`, `team_lead`, `caseworker`, `admin`, `parent` or `young_person`.
    #[schema(example = "coordinator")]
    pub role: String,
}

/// The session of the browser.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Whether the sign-in is finished.
    pub signed_in: bool,
    /// What the sign-in still needs; absent once signed in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<SecondFactorNeeded>,
    /// Who is signed in; absent until the sign-in is finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<SessionUser>,
    /// Send it as `X-CSRF-Token` with every `POST`, `PUT`, `PATCH` and `DELETE` of this session.
    pub csrf_token: String,
}

/// A new second factor: shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentView {
    /// The `otpauth://` URI for a QR code.
    pub otpauth_uri: String,
    /// The same URI as a QR code, SVG markup to show inline (no style, no script).
    pub qr_svg: String,
    /// The secret in base32, to type into the app instead.
    pub secret: String,
}

/// The completed enrolment: the session, and the recovery codes, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmedView {
    /// The session, now signed in.
    #[serde(flatten)]
    pub session: SessionView,
    /// Ten one-time codes for when the app is lost. Print or write them down: they are not shown again.
    pub recovery_codes: Vec<String>,
}

/// The session the request's cookie names, if any (any route).
pub struct MaybeSession(pub Option<CurrentSession>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Ok(MaybeSession(parts.extensions.get::<CurrentSession>().cloned()))
    }
}

fn failures_of(r: &SignInRecord) -> FailureState {
    FailureState { failures: r.failures, window_started_at: r.first_failure_at, locked_until: r.locked_until }
}

fn with_failures(mut r: SignInRecord, f: FailureState) -> SignInRecord {
    r.failures = f.failures;
    r.first_failure_at = f.window_started_at;
    r.locked_until = f.locked_until;
    r
}

/// Whether an `Origin` header, when sent, names this server (the `Host` it was asked as).
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN) else { return true };
    let (Ok(origin), Some(host)) = (origin.to_str(), headers.get(HOST).and_then(|h| h.to_str().ok())) else {
        return false;
    };
    let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    authority.is_some_and(|a| a.trim_end_matches('/').eq_ignore_ascii_case(host.trim()))
}

/// Refuses the request when its address has made too many attempts.
pub fn rate_limited(limiter: &samvirke_auth::RateLimiter, from: ClientAddr) -> ApiResult<()> {
    let key = samvirke_auth::rate_limit::client_key(from.0.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
    limiter.check(&key, Instant::now()).map_err(|wait| ApiError::TooManyRequests { retry_after: wait.whole_seconds() })
}

/// Starts a session for the user and returns its token.
async fn begin_session(
    tx: &mut dyn Tx,
    user: UserId,
    verified: bool,
    from: ClientAddr,
    now: Timestamp,
) -> ApiResult<SessionToken> {
    let token = SessionToken::generate();
    tx.insert_session(&SessionRecord {
        token_hash: token.hash(),
        user_id: user,
        created_at: now,
        last_seen_at: now,
        second_factor_verified: verified,
        csrf_hash: csrf_token(&token).hash(),
        client: from.for_log(),
    })
    .await?;
    Ok(token)
}

/// The answer of a step that issued a session: its cookie and what it is.
fn with_cookie<T: Serialize>(app: &AppState, token: &SessionToken, body: T) -> Response {
    let mut response = Json(body).into_response();
    set_cookie(response.headers_mut(), session_cookie_header(token, app.config.secure_cookies));
    response
}

fn view(token: &SessionToken, user: &User, needed: Option<SecondFactorNeeded>) -> SessionView {
    SessionView {
        signed_in: needed.is_none(),
        second_factor: needed,
        user: needed
            .is_none()
            .then(|| SessionUser { display_name: user.display_name.to_string(), role: user.role.code().into() }),
        csrf_token: csrf_token(token).reveal(),
    }
}

const SESSION: &str = "/api/v1/session";

/// Sign in
///
/// With the username and password. Answers the session (and sets the
/// `samvirke_session` cookie), which may still need a second factor. A wrong
/// password, an unknown username and a locked account get the same `401
/// sign_in_failed`; too many attempts from one address get `429` with
/// `Retry-After`. A request with an `Origin` of another site is refused.
#[utoipa::path(post, path = "/session", tag = TAG, request_body = SignInInput, responses(
    (status = 200, body = SessionView),
    (status = 401, description = "Sign-in failed (`sign_in_failed`), for whatever reason.", body = ErrorBody),
    (status = 403, description = "The request came from another site (`forbidden`).", body = ErrorBody),
    (status = 429, description = "Too many attempts from this address (`too_many_requests`); see `Retry-After`.", body = ErrorBody),
))]
async fn sign_in(
    State(app): State<AppState>,
    from: ClientAddr,
    MaybeSession(old): MaybeSession,
    headers: HeaderMap,
    Json(input): Json<SignInInput>,
) -> ApiResult<Response> {
    if !same_origin(&headers) {
        return Err(ApiError::Forbidden);
    }
    rate_limited(&app.security.sign_in_limiter, from)?;
    let mut v = Validator::new();
    let username = v.check("username", parse::required(&input.username));
    let password = v.check("password", parse::required(&input.password));
    let (username, password) = v.build(|| (username.unwrap(), password.unwrap()))?;

    // Read the account, then check the password outside any transaction (it is slow on purpose).
    let account = match Username::parse(&username) {
        Ok(name) => {
            let mut tx = app.read().await?;
            match tx.user_credentials(&name).await {
                Ok((user, hash)) if user.active => {
                    let record = tx.sign_in_record(user.id).await?;
                    let enrolled =
                        totp_state(record.totp_secret.as_deref().unwrap_or(&[])) == Some(TotpState::Confirmed);
                    Some((user, hash, failures_of(&record), enrolled))
                }
                Ok(_) | Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            }
        }
        Err(_) => None,
    };
    let user = account.as_ref().map(|(user, ..)| user.clone());
    let policy = app.config.sign_in;
    let now = parse::now();
    let step = tokio::task::spawn_blocking(move || {
        let account = account.map(|(user, password_hash, failures, second_factor_enrolled)| PasswordAccount {
            user_ref: user.id,
            password_hash,
            failures,
            second_factor_enrolled,
        });
        policy.password_step(account, &password, now)
    })
    .await
    .map_err(|_| ApiError::Internal)?;

    // Apply the outcome to the account's state as it is now (another attempt may have locked it meanwhile).
    let mut tx = app.write().await?;
    if let Some(old) = old {
        match tx.delete_session(&old.token_hash()).await {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let Some(user) = user else {
        tx.append_audit(&[account_event(None, AuditAction::SignInFailed, None, from, SESSION)]).await?;
        tx.commit().await?;
        return Err(ApiError::SignInFailed);
    };
    let record = tx.sign_in_record(user.id).await?;
    let locked = policy.lockout.is_locked(&failures_of(&record), now).is_some();
    let refuse = |counted: bool| {
        let record = record.clone();
        let failures =
            if counted { policy.lockout.after_failure(failures_of(&record), now) } else { failures_of(&record) };
        with_failures(record, failures)
    };
    let (needed, verified) = match step {
        PasswordStep::Refused { failures, .. } => {
            tx.set_sign_in_record(user.id, &refuse(failures.is_some())).await?;
            tx.append_audit(&[account_event(None, AuditAction::SignInFailed, Some(user.id), from, SESSION)]).await?;
            tx.commit().await?;
            return Err(ApiError::SignInFailed);
        }
        _ if locked => {
            tx.append_audit(&[account_event(None, AuditAction::SignInFailed, Some(user.id), from, SESSION)]).await?;
            tx.commit().await?;
            return Err(ApiError::SignInFailed);
        }
        PasswordStep::NeedsSecondFactor(_) => (Some(SecondFactorNeeded::TotpRequired), false),
        PasswordStep::Verified { failures, .. } => {
            tx.set_sign_in_record(user.id, &with_failures(record.clone(), failures)).await?;
            match user.role {
                Role::Staff(_) => (Some(SecondFactorNeeded::EnrolmentRequired), false),
                Role::Parent | Role::YoungPerson => (None, false),
            }
        }
    };
    let token = begin_session(&mut *tx, user.id, verified, from, now).await?;
    if needed.is_none() {
        tx.append_audit(&[account_event(Some(user.id), AuditAction::SignIn, Some(user.id), from, SESSION)]).await?;
    }
    tx.commit().await?;
    Ok(with_cookie(&app, &token, view(&token, &user, needed)))
}

/// What a session that is not complete needs.
async fn needed(tx: &mut dyn Tx, session: &CurrentSession) -> ApiResult<Option<SecondFactorNeeded>> {
    if session.complete {
        return Ok(None);
    }
    Ok(Some(if second_factor_confirmed(tx, &session.user).await? {
        SecondFactorNeeded::TotpRequired
    } else {
        SecondFactorNeeded::EnrolmentRequired
    }))
}

/// The session
///
/// Who is signed in (role and name shown) and the session's CSRF token; or
/// what the sign-in still needs. `401` without a session.
#[utoipa::path(get, path = "/session", tag = TAG, responses((status = 200, body = SessionView)))]
async fn current(State(app): State<AppState>, session: CurrentSession) -> ApiResult<Json<SessionView>> {
    let mut tx = app.read().await?;
    let needed = needed(&mut *tx, &session).await?;
    Ok(Json(SessionView {
        signed_in: needed.is_none(),
        second_factor: needed,
        user: needed.is_none().then(|| SessionUser {
            display_name: session.user.display_name.to_string(),
            role: session.user.role.code().into(),
        }),
        csrf_token: session.csrf_token().reveal(),
    }))
}

/// Sign out
///
/// Ends this session and removes the cookie.
#[utoipa::path(delete, path = "/session", tag = TAG, responses((status = 204)))]
pub(crate) async fn sign_out(
    State(app): State<AppState>,
    from: ClientAddr,
    session: CurrentSession,
) -> ApiResult<Response> {
    let mut tx = app.write().await?;
    match tx.delete_session(&session.token_hash()).await {
        Ok(()) | Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let user = session.user.id;
    tx.append_audit(&[account_event(Some(user), AuditAction::SignOut, Some(user), from, SESSION)]).await?;
    tx.commit().await?;
    Ok(cleared(&app))
}

fn cleared(app: &AppState) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_cookie(response.headers_mut(), clear_cookie_header(app.config.secure_cookies));
    response
}

/// Sign out everywhere
///
/// Ends every session of the signed-in account, on every device.
#[utoipa::path(delete, path = "/session/all", tag = TAG, responses((status = 204)))]
async fn sign_out_everywhere(
    State(app): State<AppState>,
    from: ClientAddr,
    session: CurrentSession,
) -> ApiResult<Response> {
    if !session.complete {
        return Err(ApiError::Unauthorized);
    }
    let user = session.user.id;
    let mut tx = app.write().await?;
    tx.delete_user_sessions(user).await?;
    tx.append_audit(&[account_event(Some(user), AuditAction::SignOut, Some(user), from, "/api/v1/session/all")])
        .await?;
    tx.commit().await?;
    Ok(cleared(&app))
}

/// The second factor
///
/// A code from the authenticator app (`code`) or a recovery code
/// (`recovery_code`), within five minutes of the password. Completes the
/// sign-in with a new session. A wrong code counts towards the lockout like a
/// wrong password; a code is accepted once.
#[utoipa::path(post, path = "/session/totp", tag = TAG, request_body = SecondFactorInput, responses(
    (status = 200, body = SessionView),
    (status = 401, description = "The code was not accepted (`sign_in_failed`), or the session has ended (`unauthorized`): sign in again.", body = ErrorBody),
))]
async fn second_factor(
    State(app): State<AppState>,
    from: ClientAddr,
    session: CurrentSession,
    Json(input): Json<SecondFactorInput>,
) -> ApiResult<Response> {
    let code = match (&input.code, &input.recovery_code) {
        (Some(code), None) => Ok(code.clone()),
        (None, Some(code)) => Err(code.clone()),
        _ => {
            return Err(ApiError::Validation(ValidationErrors::one(
                "code",
                Problem::Other {
                    da: "Angiv enten code eller recovery_code.".into(),
                    en: "Give either code or recovery_code.".into(),
                },
            )));
        }
    };
    let user = session.user.clone();
    let mut tx = app.write().await?;
    if needed(&mut *tx, &session).await? != Some(SecondFactorNeeded::TotpRequired) {
        return Err(ApiError::Forbidden);
    }
    let record = tx.sign_in_record(user.id).await?;
    let Some((_, secret)) = record.totp_secret.as_deref().and_then(|s| app.security.key.open_totp(user.id, s)) else {
        tracing::error!("a stored TOTP secret cannot be decrypted with the server's key");
        return Err(ApiError::Internal);
    };
    let policy = app.config.sign_in;
    let now = parse::now();
    let pending = NeedsSecondFactor::restore(user.id, session.record.created_at);
    let stored: Vec<RecoveryCodeHash> =
        record.recovery_code_hashes.iter().filter_map(|h| RecoveryCodeHash::from_hex(h)).collect();
    let step = match &code {
        Ok(code) => pending.verify_totp(
            &policy,
            TotpAccount { failures: failures_of(&record), secret: &secret, last_used_step: record.totp_last_step },
            code,
            now,
        ),
        Err(recovery) => pending.verify_recovery_code(&policy, failures_of(&record), &stored, recovery, now),
    };
    match step {
        SecondFactorStep::Verified { failures, used, .. } => {
            let mut next = with_failures(record, failures);
            match used {
                SecondFactorUsed::Totp { step } => next.totp_last_step = Some(step),
                SecondFactorUsed::RecoveryCode { index } => {
                    let used = stored[index].to_hex();
                    next.recovery_code_hashes.retain(|h| *h != used);
                }
            }
            tx.set_sign_in_record(user.id, &next).await?;
            tx.delete_session(&session.token_hash()).await?;
            let token = begin_session(&mut *tx, user.id, true, from, now).await?;
            tx.append_audit(&[account_event(
                Some(user.id),
                AuditAction::SignIn,
                Some(user.id),
                from,
                "/api/v1/session/totp",
            )])
            .await?;
            tx.commit().await?;
            Ok(with_cookie(&app, &token, view(&token, &user, None)))
        }
        SecondFactorStep::Refused { failures, .. } => {
            if let Some(failures) = failures {
                tx.set_sign_in_record(user.id, &with_failures(record, failures)).await?;
            }
            tx.append_audit(&[account_event(
                None,
                AuditAction::SignInFailed,
                Some(user.id),
                from,
                "/api/v1/session/totp",
            )])
            .await?;
            tx.commit().await?;
            Err(ApiError::SignInFailed)
        }
        SecondFactorStep::Expired => {
            tx.delete_session(&session.token_hash()).await?;
            tx.commit().await?;
            Err(ApiError::Unauthorized)
        }
    }
}

/// Whether the session may enrol a second factor now: a member of staff
/// whose sign-in waits for one (within the enrolment window), or a signed-in
/// citizen without one.
async fn may_enrol(tx: &mut dyn Tx, session: &CurrentSession) -> ApiResult<()> {
    if second_factor_confirmed(tx, &session.user).await? {
        return Err(ApiError::Forbidden);
    }
    let staff = matches!(session.user.role, Role::Staff(_));
    if staff && parse::now().duration_since(session.record.created_at) >= ENROLMENT_WINDOW {
        return Err(ApiError::Unauthorized);
    }
    let waiting_staff = staff && !session.complete;
    let signed_in_citizen = !staff && session.complete;
    if waiting_staff || signed_in_citizen { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// Enrol a second factor
///
/// A new TOTP secret for the authenticator app, shown once (as an
/// `otpauth://` URI for a QR code and in base32). It counts once a first code
/// from it is confirmed. Asking again replaces a secret not yet confirmed.
#[utoipa::path(post, path = "/session/totp/enrol", tag = TAG, responses((status = 200, body = EnrolmentView)))]
async fn enrol(State(app): State<AppState>, session: CurrentSession) -> ApiResult<Json<EnrolmentView>> {
    let user = &session.user;
    let mut tx = app.write().await?;
    may_enrol(&mut *tx, &session).await?;
    let mut record = tx.sign_in_record(user.id).await?;
    let secret = TotpSecret::generate();
    record.totp_secret = Some(app.security.key.seal_totp(user.id, TotpState::Enrolled, &secret));
    record.totp_last_step = None;
    tx.set_sign_in_record(user.id, &record).await?;
    tx.commit().await?;
    let otpauth_uri = secret.otpauth_uri(user.username.as_str());
    Ok(Json(EnrolmentView { qr_svg: samvirke_auth::qr_svg(&otpauth_uri), otpauth_uri, secret: secret.reveal_base32() }))
}

/// Confirm the second factor
///
/// A first code from the newly enrolled secret. The second factor counts from
/// now on; the answer carries ten recovery codes, shown once, and the session
/// is signed in.
#[utoipa::path(post, path = "/session/totp/confirm", tag = TAG, request_body = ConfirmInput, responses((status = 200, body = ConfirmedView)))]
async fn confirm(
    State(app): State<AppState>,
    from: ClientAddr,
    session: CurrentSession,
    Json(input): Json<ConfirmInput>,
) -> ApiResult<Response> {
    let mut v = Validator::new();
    let code = v.check("code", parse::required(&input.code));
    let code = v.build(|| code.unwrap())?;
    let user = session.user.clone();
    let mut tx = app.write().await?;
    may_enrol(&mut *tx, &session).await?;
    let record = tx.sign_in_record(user.id).await?;
    let Some((TotpState::Enrolled, secret)) =
        record.totp_secret.as_deref().and_then(|s| app.security.key.open_totp(user.id, s))
    else {
        return Err(ApiError::Validation(ValidationErrors::one(
            "code",
            Problem::Other {
                da: "Start med at tilmelde en app (POST /session/totp/enrol).".into(),
                en: "Enrol an app first (POST /session/totp/enrol).".into(),
            },
        )));
    };
    let now = parse::now();
    let Ok(step) = totp::verify(&secret, &code, now, None) else {
        return Err(ApiError::Validation(ValidationErrors::one(
            "code",
            Problem::Other {
                da: "Koden blev ikke godkendt. Tjek appens ur, og prøv med den næste kode.".into(),
                en: "The code was not accepted. Check the app's clock and try the next code.".into(),
            },
        )));
    };
    let codes = totp::generate_recovery_codes();
    let mut next = record;
    next.totp_secret = Some(app.security.key.seal_totp(user.id, TotpState::Confirmed, &secret));
    next.totp_last_step = Some(step);
    next.recovery_code_hashes = codes.iter().map(|c| c.hash().to_hex()).collect();
    tx.set_sign_in_record(user.id, &next).await?;
    tx.delete_session(&session.token_hash()).await?;
    let token = begin_session(&mut *tx, user.id, true, from, now).await?;
    let route = "/api/v1/session/totp/confirm";
    tx.append_audit(&[
        account_event(Some(user.id), AuditAction::CredentialReset, Some(user.id), from, route),
        account_event(Some(user.id), AuditAction::SignIn, Some(user.id), from, route),
    ])
    .await?;
    tx.commit().await?;
    let body = ConfirmedView {
        session: view(&token, &user, None),
        recovery_codes: codes.iter().map(|c| c.reveal()).collect(),
    };
    Ok(with_cookie(&app, &token, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn an_origin_must_name_the_host_asked() {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_static("samvirke.example:8443"));
        assert!(same_origin(&h), "no Origin: not a cross-site browser request");
        h.insert(ORIGIN, HeaderValue::from_static("https://samvirke.example:8443"));
        assert!(same_origin(&h));
        h.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
    }
}
