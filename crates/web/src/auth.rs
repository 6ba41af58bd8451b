//! The authentication seam: who is asking.
//!
//! [`Authenticate`] turns a request's parts into an [`Authentication`]: the
//! [`Actor`] behind it when someone is signed in completely, and the session
//! the request's cookie names, complete or still waiting for its second
//! factor. It only says *who*; what they may do is decided once, by
//! [`crate::access`] with the domain's [`decide`](samvirke_domain::policy::decide).
//!
//! [`SessionAuth`] is the implementation the binary runs: the cookie
//! [`SESSION_COOKIE`] holds a [`SessionToken`]; the database keeps only its
//! SHA-256. A session ends after 30 minutes idle or 12 hours in all
//! ([`SessionPolicy`]); an ended session is deleted when it is next presented
//! and the request goes on as nobody's. `last_seen_at` is written at most once
//! a minute. A session whose sign-in has not finished (a member of staff
//! before the TOTP code, or before enrolling one; a citizen with a second
//! factor before the code) gives no actor: only the session routes
//! (`/api/v1/session/…`) serve it.
//!
//! Each session has a CSRF token, derived from the session token
//! (`SHA-256("samvirke-csrf-v1" ‖ token)`), so that it can be given out again
//! (`GET /api/v1/session`) without being stored; the database keeps its hash,
//! and [`crate::access::enforce`] compares the `X-CSRF-Token` header of every
//! state-changing request against that hash in constant time.
//!
//! The API tests bring their own implementation, which maps a test token to
//! an actor and passes session cookies on to [`SessionAuth`].

use crate::error::{ApiError, ApiResult};
use async_trait::async_trait;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use base64ct::{Base64UrlUnpadded, Encoding};
use samvirke_auth::{CsrfToken, SessionPolicy, SessionState, SessionToken};
use samvirke_domain::organisation::Employer;
use samvirke_domain::policy::{Actor, ActorKind};
use samvirke_domain::user::{Role, Subject, User};
use samvirke_store::{SessionRecord, Store, StoreError, Tx};
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "samvirke_session";

/// The header that carries the session's CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What the authentication found in a request.
#[derive(Debug, Clone, Default)]
pub struct Authentication {
    /// Who is signed in completely; `None` for nobody, or a sign-in still waiting for its second factor.
    pub actor: Option<Actor>,
    /// The session the cookie names, complete or not; `None` without a live one.
    pub session: Option<CurrentSession>,
}

/// Establishes who sent a request.
#[async_trait]
pub trait Authenticate: Send + Sync + 'static {
    /// The actor and session behind the request. An error (the session store
    /// unreachable, say) answers the request with it.
    async fn authenticate(&self, parts: &Parts) -> Result<Authentication, ApiError>;
}

/// A live session, as the request's cookie named it.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    /// The session as stored.
    pub record: SessionRecord,
    /// Its account.
    pub user: User,
    /// The sign-in is finished: the session acts as the account.
    pub complete: bool,
    token: SessionToken,
}

impl CurrentSession {
    /// The session's CSRF token, to hand to the browser.
    pub fn csrf_token(&self) -> CsrfToken {
        csrf_token(&self.token)
    }

    /// The hash the session is stored under.
    pub fn token_hash(&self) -> [u8; 32] {
        self.record.token_hash
    }
}

/// The CSRF token of a session: derived from its token, so that it can be given out again without being stored.
pub fn csrf_token(session: &SessionToken) -> CsrfToken {
    let mut h = Sha256::new();
    h.update(b"samvirke-csrf-v1");
    h.update(session.reveal().as_bytes());
    let digest: [u8; 32] = h.finalize().into();
    CsrfToken::parse(&Base64UrlUnpadded::encode_string(&digest)).expect("32 bytes encode as a token")
}

/// The session token in the request's `Cookie` headers, if one parses.
pub fn session_cookie(headers: &HeaderMap) -> Option<SessionToken> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .and_then(|(_, value)| SessionToken::parse(value.trim()))
}

/// The `Set-Cookie` value that gives the browser a session: `HttpOnly`,
/// `SameSite=Strict`, `Path=/`, and `Secure` unless switched off for
/// development on a loopback address. No `Max-Age`: the browser forgets it
/// when it closes, and the server ends it by its own timeouts.
pub fn session_cookie_header(token: &SessionToken, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={}; HttpOnly{secure}; SameSite=Strict; Path=/", token.reveal()))
        .expect("a token is a valid header value")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie_header(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}=; HttpOnly{secure}; SameSite=Strict; Path=/; Max-Age=0"))
        .expect("a valid header value")
}

/// Adds a `Set-Cookie` header.
pub fn set_cookie(headers: &mut HeaderMap, value: HeaderValue) {
    headers.append(SET_COOKIE, value);
}

/// Sessions from the session cookie: the production [`Authenticate`].
pub struct SessionAuth {
    store: Arc<dyn Store>,
    policy: SessionPolicy,
}

impl SessionAuth {
    /// Sessions in the store, ended by the policy.
    pub fn new(store: Arc<dyn Store>, policy: SessionPolicy) -> Self {
        Self { store, policy }
    }

    /// The authentication of a session token.
    pub async fn of_token(&self, token: SessionToken) -> ApiResult<Authentication> {
        let hash = token.hash();
        let mut tx = self.store.begin_read().await?;
        let record = match tx.session(&hash).await {
            Ok(record) => record,
            Err(StoreError::NotFound) => return Ok(Authentication::default()),
            Err(e) => return Err(e.into()),
        };
        let now = samvirke_domain::time::now();
        let state = SessionState {
            created_at: record.created_at,
            last_seen_at: record.last_seen_at,
            second_factor_verified: record.second_factor_verified,
        };
        let user = match tx.user(record.user_id).await {
            Ok(user) if user.active => Some(user),
            Ok(_) | Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let (Ok(()), Some(user)) = (state.check(&self.policy, now), user) else {
            drop(tx);
            self.end(&hash).await?;
            return Ok(Authentication::default());
        };
        let complete = record.second_factor_verified
            || (!matches!(user.role, Role::Staff(_)) && !second_factor_confirmed(&mut *tx, &user).await?);
        let actor = if complete { actor_of(&mut *tx, &user).await? } else { None };
        drop(tx);
        let mut record = record;
        if state.needs_touch(now) {
            record.last_seen_at = now;
            let mut tx = self.store.begin().await?;
            match tx.update_session(&record).await {
                Ok(()) => tx.commit().await?,
                Err(StoreError::NotFound) => return Ok(Authentication::default()),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Authentication { actor, session: Some(CurrentSession { record, user, complete, token }) })
    }

    /// Deletes an ended session.
    async fn end(&self, hash: &[u8; 32]) -> ApiResult<()> {
        let mut tx = self.store.begin().await?;
        match tx.delete_session(hash).await {
            Ok(()) | Err(StoreError::NotFound) => Ok(tx.commit().await?),
            Err(e) => Err(e.into()),
        }
    }
}

#[async_trait]
impl Authenticate for SessionAuth {
    async fn authenticate(&self, parts: &Parts) -> Result<Authentication, ApiError> {
        match session_cookie(&parts.headers) {
            Some(token) => self.of_token(token).await,
            None => Ok(Authentication::default()),
        }
    }
}

/// Whether the account's TOTP secret is confirmed (it then must be given at sign-in).
pub async fn second_factor_confirmed(tx: &mut dyn Tx, user: &User) -> ApiResult<bool> {
    let record = tx.sign_in_record(user.id).await?;
    Ok(record.totp_secret.as_deref().and_then(crate::secret_key::totp_state)
        == Some(crate::secret_key::TotpState::Confirmed))
}

/// The actor an account acts as: its role and where its person belongs.
/// `None` when the person's record is gone or inactive.
pub async fn actor_of(tx: &mut dyn Tx, user: &User) -> ApiResult<Option<Actor>> {
    let who = match user.subject {
        Subject::Staff(id) => match tx.staff(id).await {
            Ok(staff) if staff.active => match staff.employer {
                Employer::Provider(provider) => ActorKind::ProviderStaff { staff: id, provider },
                Employer::Municipality(municipality) => ActorKind::MunicipalStaff { staff: id, municipality },
            },
            Ok(_) | Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        },
        Subject::FamilyMember(id) => match tx.family_member(id).await {
            Ok(member) => ActorKind::FamilyMember { member: id, case: member.case_id },
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        },
        Subject::Child(case) => ActorKind::Child { case },
    };
    Ok(Some(Actor { user_id: user.id, role: user.role, who }))
}

/// The signed-in actor of a request that [`crate::access`] let through.
///
/// Only routes that need someone signed in get one; a handler of a public
/// route that asks for it is a bug, answered `401` and logged.
#[derive(Debug, Clone)]
pub struct CurrentActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for CurrentActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        match parts.extensions.get::<Actor>() {
            Some(actor) => Ok(CurrentActor(actor.clone())),
            None => {
                tracing::error!("a handler asked for the actor of a request that has none");
                Err(ApiError::Unauthorized)
            }
        }
    }
}

impl CurrentActor {
    /// The member of staff who acts: whoever did something is always the
    /// signed-in user, never a field of the request. An actor who is not
    /// staff is refused (`403`) before anything is written.
    pub fn staff_id(&self) -> Result<samvirke_domain::ids::StaffId, ApiError> {
        match self.0.who {
            ActorKind::ProviderStaff { staff, .. } | ActorKind::MunicipalStaff { staff, .. } => Ok(staff),
            _ => Err(ApiError::Forbidden),
        }
    }
}

/// The session of a request to a session route, which [`crate::access`]
/// lets through only with one.
impl<S: Send + Sync> FromRequestParts<S> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts.extensions.get::<CurrentSession>().cloned().ok_or(ApiError::Unauthorized)
    }
}

/// The address of the client (the peer of the connection), when the server knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl ClientAddr {
    /// The client's address as [`crate::access::enforce`] established it, or the connection's peer.
    pub fn of(extensions: &axum::http::Extensions) -> Self {
        extensions
            .get::<ClientAddr>()
            .copied()
            .unwrap_or_else(|| ClientAddr(extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }

    /// The client's address: the connection's peer; behind a trusted reverse
    /// proxy (`trust_proxy`), the last address of `X-Forwarded-For`, the one
    /// the proxy appended (earlier ones are the client's to invent).
    pub fn resolve(headers: &HeaderMap, extensions: &axum::http::Extensions, trust_proxy: bool) -> Self {
        let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        if trust_proxy {
            let forwarded = headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok());
            if let Some(ip) = forwarded {
                return ClientAddr(Some(ip));
            }
        }
        ClientAddr(peer)
    }

    /// As written in the audit log.
    pub fn for_log(&self) -> Option<String> {
        self.0.map(|ip| samvirke_auth::rate_limit::client_key(ip).to_string())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Ok(ClientAddr::of(&parts.extensions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_acting_member_of_staff_is_the_signed_in_one_and_no_one_else_acts_as_staff() {
        use samvirke_domain::ids::{CaseId, FamilyMemberId, MunicipalityId, ProviderId, StaffId, UserId};
        use samvirke_domain::organisation::StaffRole;
        use samvirke_domain::user::Role;
        let actor = |role, who| CurrentActor(Actor { user_id: UserId::new(), role, who });
        let (staff, other) = (StaffId::new(), StaffId::new());
        let provider = ActorKind::ProviderStaff { staff, provider: ProviderId::new() };
        let municipal = ActorKind::MunicipalStaff { staff: other, municipality: MunicipalityId::new() };
        assert_eq!(actor(Role::Staff(StaffRole::Practitioner), provider).staff_id().unwrap(), staff);
        assert_eq!(actor(Role::Staff(StaffRole::Caseworker), municipal).staff_id().unwrap(), other);
        let parent = ActorKind::FamilyMember { member: FamilyMemberId::new(), case: CaseId::new() };
        assert!(matches!(actor(Role::Parent, parent).staff_id(), Err(ApiError::Forbidden)));
        let child = ActorKind::Child { case: CaseId::new() };
        assert!(matches!(actor(Role::YoungPerson, child).staff_id(), Err(ApiError::Forbidden)));
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_unless_switched_off() {
        let token = SessionToken::generate();
        let value = session_cookie_header(&token, true);
        let text = value.to_str().unwrap();
        assert!(text.starts_with(&format!("samvirke_session={}", token.reveal())));
        for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(text.contains(flag), "{flag}");
        }
        assert!(!session_cookie_header(&token, false).to_str().unwrap().contains("Secure"));
        assert!(clear_cookie_header(true).to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn the_session_token_is_read_from_any_cookie_header() {
        let token = SessionToken::generate();
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("theme=dark"));
        headers.append(COOKIE, HeaderValue::from_str(&format!("a=b; {SESSION_COOKIE}={}", token.reveal())).unwrap());
        assert_eq!(session_cookie(&headers), Some(token));
        let mut bad = HeaderMap::new();
        bad.append(COOKIE, HeaderValue::from_static("samvirke_session=not-a-token"));
        assert_eq!(session_cookie(&bad), None);
    }

    #[test]
    fn a_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let mut extensions = axum::http::Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 4000))));
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4, 192.0.2.7"));
        assert_eq!(ClientAddr::resolve(&headers, &extensions, false).0, Some([10, 0, 0, 1].into()));
        assert_eq!(ClientAddr::resolve(&headers, &extensions, true).0, Some([192, 0, 2, 7].into()));
        assert_eq!(ClientAddr::resolve(&HeaderMap::new(), &extensions, true).0, Some([10, 0, 0, 1].into()));
    }

    #[test]
    fn the_csrf_token_is_the_sessions_own_and_differs_from_it() {
        let (a, b) = (SessionToken::generate(), SessionToken::generate());
        assert_eq!(csrf_token(&a), csrf_token(&a));
        assert_ne!(csrf_token(&a), csrf_token(&b));
        assert_ne!(csrf_token(&a).reveal(), a.reveal());
        assert!(CsrfToken::matches_hash(&csrf_token(&a).hash(), &csrf_token(&a).reveal()));
    }
}
