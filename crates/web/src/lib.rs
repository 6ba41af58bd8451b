//! HTTP for Samvirke: the JSON API under `/api/v1`, its OpenAPI document at
//! `/api/openapi.json`, the health checks `/healthz` and `/readyz`, and the
//! web pages of `samvirke-pages` with their assets ([`routes::pages`]).
//!
//! A request flows one way: an extractor parses the lenient `…Input` body
//! into domain types with a [`Validator`](samvirke_domain::validation::Validator)
//! (every problem, per field, in one answer), the handler asks the store inside
//! one transaction and commits only at the end, and the answer serialises the
//! domain types. Every failure is an [`ApiError`], turned into HTTP in one
//! place ([`error`]) and written in the request's language by one layer
//! ([`middleware::render_errors`]).

pub mod access;
pub mod audit;
pub mod auth;
pub mod error;
pub mod extract;
pub mod facts;
pub mod middleware;
pub mod paging;
pub mod parse;
pub mod planning;
pub mod refs;
pub mod routes;
pub mod secret_key;

pub use auth::{Authenticate, Authentication, CurrentActor, CurrentSession, SessionAuth};
pub use error::{ApiError, ApiResult, ErrorBody};
pub use secret_key::SecretKey;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use samvirke_auth::{RateLimit, RateLimiter, SessionPolicy, SignInPolicy};
use samvirke_store::{Store, Tx};
use std::sync::Arc;
use std::time::Duration;

/// Limits and settings of the HTTP server.
#[derive(Debug, Clone)]
pub struct Config {
    /// A request that takes longer is abandoned (its transaction rolled back) and answered 503.
    pub request_timeout: Duration,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// How long sessions live (30 minutes idle, 12 hours in all).
    pub session: SessionPolicy,
    /// Lockout and the time allowed for the second factor.
    pub sign_in: SignInPolicy,
    /// Sign-in and password-reset attempts per client address (per instance).
    pub sign_in_rate: RateLimit,
    /// Whether the session cookie is `Secure` (sent over HTTPS only). Only a
    /// development server on a loopback address may switch it off.
    pub secure_cookies: bool,
    /// Whether the server runs behind one reverse proxy that appends the
    /// client's address to `X-Forwarded-For` (for the rate limiter and the
    /// audit log). Only when nothing else can reach the server.
    pub trust_proxy: bool,
    /// The pages' npm packages, whose `dist` folders are served: dkfds under
    /// `/assets/dkfds/`, htmx under `/assets/htmx/`. By default
    /// `frontend/node_modules`, as `scripts/assets` installs them (`SAMVIRKE_ASSETS_DIR`).
    pub assets_dir: std::path::PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            body_limit: 1024 * 1024,
            session: SessionPolicy::default(),
            sign_in: SignInPolicy::default(),
            sign_in_rate: RateLimit::SIGN_IN,
            secure_cookies: true,
            trust_proxy: false,
            assets_dir: routes::pages::default_assets_dir(),
        }
    }
}

/// The secrets and counters of sign-in that every handler shares.
#[derive(Debug)]
pub struct Security {
    /// Encrypts TOTP secrets at rest.
    pub key: SecretKey,
    /// Sign-in attempts per client address.
    pub sign_in_limiter: RateLimiter,
    /// Password-reset attempts per client address.
    pub reset_limiter: RateLimiter,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Limits and settings.
    pub config: Config,
    /// Who is asking: [`SessionAuth`], from the session cookie.
    pub auth: Arc<dyn Authenticate>,
    /// The server's key and the rate limiters.
    pub security: Arc<Security>,
}

impl AppState {
    /// State with the default settings, signing in by sessions, encrypting TOTP secrets with `key`.
    pub fn new(store: Arc<dyn Store>, key: SecretKey) -> Self {
        Self::with_config(store, key, Config::default())
    }

    /// State with the given settings.
    pub fn with_config(store: Arc<dyn Store>, key: SecretKey, config: Config) -> Self {
        let auth = Arc::new(SessionAuth::new(store.clone(), config.session));
        let limiter = || RateLimiter::new(config.sign_in_rate, samvirke_auth::rate_limit::DEFAULT_MAX_KEYS);
        let security = Arc::new(Security { key, sign_in_limiter: limiter(), reset_limiter: limiter() });
        Self { store, config, auth, security }
    }

    /// The same state, establishing actors with `auth`.
    pub fn with_authentication(self, auth: Arc<dyn Authenticate>) -> Self {
        Self { auth, ..self }
    }

    /// A read-write transaction. Commit it as the last step of a handler: an
    /// error before that drops it, which rolls every write of the request back.
    pub async fn write(&self) -> ApiResult<audit::WriteTx> {
        Ok(audit::WriteTx::new(self.store.begin().await?))
    }

    /// A read-only snapshot.
    pub async fn read(&self) -> ApiResult<Box<dyn Tx>> {
        Ok(self.store.begin_read().await?)
    }
}

/// The whole HTTP surface, with its layers, ready to serve.
pub fn router(state: AppState) -> Router {
    router_with(routes::all(), state)
}

/// Routes that are served but not described in the OpenAPI document (the document itself).
/// The web pages and their assets ([`routes::pages::ROUTES`]) are among them.
pub fn undocumented_routes() -> Vec<(&'static str, &'static str)> {
    std::iter::once(("GET", "/api/openapi.json")).chain(routes::pages::ROUTES.iter().copied()).collect()
}

/// The given routes with the OpenAPI document, the access check on every
/// route ([`access::enforce`]) and the layers. [`router`] serves [`routes::all`];
/// tests build other route sets through here.
pub fn router_with(routes: utoipa_axum::router::OpenApiRouter<AppState>, state: AppState) -> Router {
    let (routes, doc) = routes.split_for_parts();
    let doc = serde_json::to_vec(&routes::document(doc)).expect("the OpenAPI document serialises");
    let doc = axum::body::Bytes::from(doc);
    let routes = routes
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { ([(CONTENT_TYPE, "application/json")], doc) }
            }),
        )
        .merge(routes::pages::routes())
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), access::enforce))
        .fallback(|| async { ApiError::NotFound });
    middleware::layers(routes, &state.config).with_state(state)
}

/// The OpenAPI 3.1 document, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::document(routes::all().into_openapi())
}
