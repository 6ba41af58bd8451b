//! `TestApp`: the whole router served on 127.0.0.1 port 0 over a fresh SQLite
//! database, and a `reqwest` client that talks to it like any other client.
//! Who the client is comes from `actors`: a named actor (`as_actor`), nobody
//! (`anonymous`), or, by default, whom the world's route is for.

use crate::actors::{ANONYMOUS, Directory, TestAuth};
use async_trait::async_trait;
use samvirke_auth::TotpSecret;
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::policy::Actor;
use samvirke_domain::user::{Role, Subject};
use samvirke_store::conformance::TestDatabase;
use samvirke_store::{Backend, Result as StoreResult, Store, StoreError, Tx};
use samvirke_web::secret_key::TotpState;
use samvirke_web::{AppState, Config, SecretKey, SessionAuth};
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use utoipa_axum::router::OpenApiRouter;

/// Every log line of this test binary, to check that none carries personal data.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOG.get_or_init(Default::default).lock().unwrap()).into_owned()
}

static LOG: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();

struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG.get_or_init(Default::default).lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn init_logging() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        tracing_subscriber::fmt().with_env_filter("trace").with_writer(|| LogWriter).with_ansi(false).init();
    });
}

/// Builds a [`TestApp`].
#[derive(Default)]
pub struct TestAppBuilder {
    config: Option<Config>,
    routes: Option<OpenApiRouter<AppState>>,
    postgres: bool,
}

/// Something that goes wrong in one `Tx` method of every write transaction.
#[derive(Clone, Copy)]
struct Fault {
    method: &'static str,
    stall: Option<Duration>,
}

impl TestAppBuilder {
    /// Other limits.
    pub fn config(mut self, config: Config) -> Self {
        self.config = Some(config);
        self
    }

    /// Other routes than the app's, with the app's layers and access check.
    pub fn routes(mut self, routes: OpenApiRouter<AppState>) -> Self {
        self.routes = Some(routes);
        self
    }

    /// On a fresh PostgreSQL database (at `SAMVIRKE_TEST_POSTGRES_URL`) instead of SQLite,
    /// so that [`TestApp::another_instance`] can serve a second app on it.
    pub fn on_postgres(mut self) -> Self {
        self.postgres = true;
        self
    }

    /// Serves the router.
    pub async fn spawn(self) -> TestApp {
        init_logging();
        let (db, pg_url): (Arc<Box<dyn TestDatabase>>, _) = if self.postgres {
            let pg = samvirke_store_postgres::PgTestDatabase::create().await;
            let url = pg.url();
            (Arc::new(Box::new(pg)), Some(url))
        } else {
            (Arc::new(samvirke_store_sqlite::fresh_test_database().await), None)
        };
        let fault = Arc::new(Mutex::new(None));
        let store: Arc<dyn Store> = Arc::new(TestStore { db: db.clone(), fault: fault.clone() });
        let config = self.config.unwrap_or_else(test_config);
        let key = SecretKey::generate();
        let auth = Arc::new(TestAuth::new(SessionAuth::new(store.clone(), config.session)));
        let state = AppState::with_config(store, key.clone(), config).with_authentication(auth.clone());
        let (base, stop, server) = serve(self.routes.unwrap_or_else(samvirke_web::routes::all), state).await;
        TestApp {
            base,
            // Redirects are answers to check, not to follow.
            client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            lang: None,
            token: None,
            session: None,
            key,
            auth,
            db: Some(db),
            pg_url,
            fault,
            stop: Some(stop),
            server: Some(server),
        }
    }
}

/// Serves the routes on 127.0.0.1, on a port of their own: the base URL, the
/// sender that stops the server, and the server's task.
async fn serve(routes: OpenApiRouter<AppState>, state: AppState) -> (String, oneshot::Sender<()>, JoinHandle<()>) {
    let router = samvirke_web::router_with(routes, state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    (base, stop, server)
}

/// The settings of the test apps: the defaults, but a rate limiter that lets
/// the tests sign in as often as they need (the limiter has a test of its own).
pub fn test_config() -> Config {
    Config {
        sign_in_rate: samvirke_auth::RateLimit { per_period: 10_000, period: Duration::from_secs(60), burst: 10_000 },
        assets_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/node_modules").into(),
        ..Config::default()
    }
}

/// A browser's session: the cookie's token and the CSRF token.
#[derive(Clone, Debug)]
pub struct BrowserSession {
    pub token: String,
    pub csrf: Option<String>,
}

/// A running app and a client for it.
pub struct TestApp {
    base: String,
    client: reqwest::Client,
    lang: Option<&'static str>,
    token: Option<String>,
    session: Option<BrowserSession>,
    key: SecretKey,
    auth: Arc<TestAuth>,
    db: Option<Arc<Box<dyn TestDatabase>>>,
    /// The database's URL, when it is on PostgreSQL.
    pg_url: Option<String>,
    fault: Arc<Mutex<Option<Fault>>>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

/// An answer: status, a few headers, and the body as JSON (or a string for text bodies).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub content_language: Option<String>,
    pub content_encoding: Option<String>,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The body's `error.fields` as (field, message) pairs.
    pub fn fields(&self) -> Vec<(String, String)> {
        self.body["error"]["fields"]
            .as_array()
            .unwrap_or(&vec![])
            .iter()
            .map(|f| (f["field"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
            .collect()
    }

    /// The message of one field's problem.
    pub fn field(&self, field: &str) -> String {
        self.fields()
            .into_iter()
            .find(|(f, _)| f == field)
            .unwrap_or_else(|| panic!("no problem with {field} in {}", self.body))
            .1
    }

    /// The body's `error.code`.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {}", self.body))
    }

    /// A string at a JSON pointer of the body.
    pub fn str(&self, pointer: &str) -> String {
        self.body
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no {pointer} in {}", self.body))
            .to_string()
    }

    /// The record's `id`.
    pub fn id(&self) -> String {
        self.str("/id")
    }

    /// The `items` of a list.
    pub fn items(&self) -> &Vec<Value> {
        self.body["items"].as_array().unwrap_or_else(|| panic!("no items in {}", self.body))
    }
}

impl TestApp {
    /// An app with the default limits.
    pub async fn spawn() -> TestApp {
        TestApp::builder().spawn().await
    }

    /// A builder.
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder::default()
    }

    /// From now on the named `Tx` method of every write transaction fails with a
    /// database error, to test what a failure half way leaves behind (`ping`: the database is down;
    /// `commit`: the commit of every transaction that changed records, not of audited reads).
    pub fn fail_on(&self, method: &'static str) {
        *self.fault.lock().unwrap() = Some(Fault { method, stall: None });
    }

    /// From now on the named `Tx` method waits before it runs, as an overloaded database would.
    pub fn stall_on(&self, method: &'static str, stall: Duration) {
        *self.fault.lock().unwrap() = Some(Fault { method, stall: Some(stall) });
    }

    /// A second app instance on the same PostgreSQL database, as another
    /// server of a deployment: its own router, port and connection pool (the
    /// test sign-in and the key are shared, so the same actors are known).
    /// Finish it before the first.
    pub async fn another_instance(&self) -> TestApp {
        let url = self.pg_url.as_ref().expect("another instance needs PostgreSQL: TestApp::builder().on_postgres()");
        let store: Arc<dyn Store> = Arc::new(samvirke_store_postgres::PgStore::connect(url).await.unwrap());
        let state =
            AppState::with_config(store, self.key.clone(), test_config()).with_authentication(self.auth.clone());
        let (base, stop, server) = serve(samvirke_web::routes::all(), state).await;
        TestApp { base, stop: Some(stop), server: Some(server), ..self.sibling() }
    }

    /// The URL of the app's database, when it is on PostgreSQL.
    pub fn postgres_url(&self) -> Option<&str> {
        self.pg_url.as_deref()
    }

    /// The same app and client, not owning the server (to send from another task).
    pub fn sibling(&self) -> TestApp {
        TestApp {
            base: self.base.clone(),
            client: self.client.clone(),
            lang: self.lang,
            token: self.token.clone(),
            session: self.session.clone(),
            key: self.key.clone(),
            auth: self.auth.clone(),
            db: self.db.clone(),
            pg_url: self.pg_url.clone(),
            fault: self.fault.clone(),
            stop: None,
            server: None,
        }
    }

    /// The same app, asking for English.
    pub fn en(&self) -> TestApp {
        TestApp { lang: Some("en-GB,en;q=0.9"), ..self.sibling() }
    }

    /// The same app, signed in as the actor.
    pub fn as_actor(&self, actor: &Actor) -> TestApp {
        TestApp { token: Some(self.auth.token_for(actor)), ..self.sibling() }
    }

    /// The same app, acting as the world would (no token, no session).
    pub fn anonymous_world(&self) -> TestApp {
        TestApp { token: None, session: None, ..self.sibling() }
    }

    /// The same app, signed in as nobody.
    pub fn anonymous(&self) -> TestApp {
        TestApp { token: Some(ANONYMOUS.to_string()), ..self.sibling() }
    }

    /// The same app, as a browser with this session (cookie and CSRF token).
    pub fn with_session(&self, session: BrowserSession) -> TestApp {
        TestApp { session: Some(session), token: None, ..self.sibling() }
    }

    /// The same app, as a browser with this session but no CSRF token.
    pub fn without_csrf(&self) -> TestApp {
        let session = self.session.clone().map(|s| BrowserSession { csrf: None, ..s });
        TestApp { session, ..self.sibling() }
    }

    /// The browser session of this client, if any.
    pub fn session(&self) -> Option<&BrowserSession> {
        self.session.as_ref()
    }

    /// The test sign-in: tokens and the directory of the world.
    pub fn auth(&self) -> &TestAuth {
        &self.auth
    }

    /// The store, for setting up what no actor may do through the API.
    pub fn store(&self) -> &dyn Store {
        self.db.as_ref().expect("the app's database").store()
    }

    /// A request with the language and the actor's token.
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(lang) = self.lang {
            request = request.header("accept-language", lang);
        }
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(session) = &self.session {
            request = request.header("cookie", format!("{}={}", samvirke_web::auth::SESSION_COOKIE, session.token));
            if let Some(csrf) = &session.csrf {
                request = request.header(samvirke_web::auth::CSRF_HEADER, csrf);
            }
        }
        request
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.unwrap()).await
    }

    /// A `POST` of a JSON body with extra headers.
    pub async fn send_with(&self, path: &str, body: Value, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.request(reqwest::Method::POST, path).json(&body);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        answer(request.send().await.unwrap()).await
    }

    /// Posts a page's form as a browser does: the fields urlencoded, the
    /// session's cookie, and no CSRF header (a form carries its token as the
    /// `csrf_token` field, when `fields` has it).
    pub async fn post_browser_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let mut request = self.client.post(format!("{}{path}", self.base));
        if let Some(session) = &self.session {
            request = request.header("cookie", format!("{}={}", samvirke_web::auth::SESSION_COOKIE, session.token));
        }
        let request = request.header("content-type", "application/x-www-form-urlencoded").body(body);
        answer(request.send().await.unwrap()).await
    }

    /// The session's CSRF token, as a page's form carries it.
    pub fn csrf(&self) -> String {
        self.session.as_ref().and_then(|s| s.csrf.clone()).expect("a signed-in browser has a CSRF token")
    }

    /// Sends raw bytes with a content type.
    pub async fn send_raw(&self, path: &str, content_type: &str, body: &'static str) -> Answer {
        let request = self.request(reqwest::Method::POST, path).header("content-type", content_type);
        answer(request.body(body).send().await.unwrap()).await
    }

    /// A `POST` of a page's form (`application/x-www-form-urlencoded`).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let request = self
            .request(reqwest::Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        answer(request.send().await.unwrap()).await
    }

    /// A `GET` with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.request(reqwest::Method::GET, path);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        answer(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// Creates a record and returns its id, failing the test with the answer if it was refused.
    pub async fn create(&self, path: &str, body: Value) -> String {
        let a = self.post(path, body).await;
        assert_eq!(a.status, 201, "POST {path}: {}", a.body);
        a.id()
    }

    /// Stops the server and removes the database.
    pub async fn finish(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap();
        }
        if let Some(Ok(db)) = self.db.take().map(Arc::try_unwrap) {
            db.finish().await;
        }
    }
}

/// An account made for a test, with its password and second factor.
pub struct TestUser {
    pub id: UserId,
    pub username: String,
    pub password: String,
    pub totp: Option<TotpSecret>,
    last_step: Mutex<Option<u64>>,
}

/// The password of every test account.
pub const PASSWORD: &str = "korrekt hest batteri";

impl TestUser {
    /// A code of the account's authenticator app that has not been used yet
    /// (the next step's when this one's was used: the server accepts one step of skew).
    pub fn code(&self) -> String {
        let secret = self.totp.as_ref().expect("the account has a second factor");
        let now = jiff::Timestamp::now();
        let step = samvirke_auth::totp::step_at(now);
        let mut last = self.last_step.lock().unwrap();
        let (at, used) = match *last {
            Some(l) if l >= step => (now + jiff::SignedDuration::from_secs(30), step + 1),
            _ => (now, step),
        };
        assert!(last.is_none_or(|l| l < used), "more than two sign-ins of one account in 30 seconds");
        *last = Some(used);
        samvirke_auth::totp::code_at(secret, at)
    }
}

impl TestApp {
    /// Adds an account through the store, with [`PASSWORD`] and, when `totp`, a confirmed second factor.
    pub async fn add_user(&self, username: &str, role: Role, subject: Subject, totp: bool) -> TestUser {
        let user = User {
            id: UserId::new(),
            username: Username::parse(username).unwrap(),
            display_name: samvirke_domain::text::PersonName::parse(format!("Bruger {username}")).unwrap(),
            role,
            subject,
            active: true,
            created_at: samvirke_domain::time::now(),
        };
        let hash = samvirke_auth::hash_password(PASSWORD).unwrap();
        let secret = totp.then(TotpSecret::generate);
        let mut tx = self.store().begin().await.unwrap();
        tx.insert_user(&user, &hash).await.unwrap();
        if let Some(secret) = &secret {
            let record = samvirke_store::SignInRecord {
                totp_secret: Some(self.key.seal_totp(user.id, TotpState::Confirmed, secret)),
                ..Default::default()
            };
            tx.set_sign_in_record(user.id, &record).await.unwrap();
        }
        tx.commit().await.unwrap();
        TestUser {
            id: user.id,
            username: username.to_string(),
            password: PASSWORD.to_string(),
            totp: secret,
            last_step: Mutex::new(None),
        }
    }

    /// Signs in with the password (and the second factor, when the account has one) as a browser would;
    /// the client of the new session. Fails the test if the sign-in does not succeed.
    pub async fn sign_in(&self, user: &TestUser) -> TestApp {
        let browser = TestApp { token: None, session: None, ..self.sibling() };
        let a = browser.post("/api/v1/session", json!({"username": user.username, "password": user.password})).await;
        assert_eq!(a.status, 200, "sign-in of {}: {}", user.username, a.body);
        let pending = browser.with_session(session_of(&a));
        if a.body["signed_in"] == json!(true) {
            return pending;
        }
        assert_eq!(a.body["second_factor"], "totp_required", "{}", a.body);
        let b = pending.post("/api/v1/session/totp", json!({"code": user.code()})).await;
        assert_eq!(b.status, 200, "second factor of {}: {}", user.username, b.body);
        browser.with_session(session_of(&b))
    }
}

/// The session an answer set: the cookie's token and the body's CSRF token.
pub fn session_of(a: &Answer) -> BrowserSession {
    let cookie = a
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("samvirke_session="))
        .unwrap_or_else(|| panic!("no session cookie set: {}", a.body));
    let token = cookie["samvirke_session=".len()..].split(';').next().unwrap().to_string();
    BrowserSession { token, csrf: a.body["csrf_token"].as_str().map(str::to_string) }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let content_language = header("content-language");
    let content_encoding = header("content-encoding");
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, body, text, content_language, content_encoding, headers }
}

/// A small world made through the API: a municipality, a provider serving it,
/// a caseworker, a coordinator, two practitioners, a room, a case with a
/// mother (custody holder and visiting parent), and a supported-visitation
/// referral, received.
pub struct World {
    pub municipality: String,
    pub provider: String,
    pub caseworker: String,
    pub coordinator: String,
    pub practitioner: String,
    pub practitioner2: String,
    pub room: String,
    pub case: String,
    pub mother: String,
    pub referral: String,
}

/// The child's CPR number in the world; it must never come back in full.
pub const CPR: &str = "150614-4127";
/// The same number without the hyphen.
pub const CPR_DIGITS: &str = "1506144127";

impl World {
    /// The world; from now on the app's requests without an actor act in it.
    pub async fn create(app: &TestApp) -> World {
        World::create_as(app, 657, "Herning Kommune", CPR).await
    }

    /// A world with its own municipality (by code) and child.
    pub async fn create_as(app: &TestApp, code: u16, municipality_name: &str, cpr: &str) -> World {
        let municipality = app.create("/api/v1/municipalities", json!({"code": code, "name": municipality_name})).await;
        let provider = app
            .create("/api/v1/providers", json!({"name": "Familiehuset Vest", "municipalities": [municipality]}))
            .await;
        app.auth().update(|d| {
            *d = Directory {
                provider: Some(provider.parse().unwrap()),
                municipality: Some(municipality.parse().unwrap()),
                ..Directory::default()
            }
        });
        // No one may add a municipality's staff through the API (see the report on `decide`): the store does.
        let caseworker = add_caseworker(app, &municipality, "Sara Holm").await;
        app.auth().update(|d| d.caseworker = Some(caseworker.parse().unwrap()));
        let coordinator = app
            .create(
                "/api/v1/staff",
                json!({"name": "Karen Lund", "role": "coordinator", "employer": {"kind": "provider", "id": provider}, "employment": "permanent"}),
            )
            .await;
        let practitioner = app.create("/api/v1/staff", practitioner(&provider, "Jonas Berg")).await;
        let practitioner2 = app.create("/api/v1/staff", self::practitioner(&provider, "Maja Friis")).await;
        let room = app
            .create(
                &format!("/api/v1/providers/{provider}/rooms"),
                json!({"name": "Samværsrum 1", "capacity": 6, "suitable_for_visits": true}),
            )
            .await;
        let case = app
            .create(
                "/api/v1/cases",
                json!({
                    "provider_id": provider,
                    "municipality_id": municipality,
                    "child": {"name": "Ida Sørensen", "cpr": cpr},
                    "placement": {"kind": "foster_family", "name": "Familien Dam", "address_secret": true},
                    "opened_on": "2026-01-05",
                    "family_members": [{"name": "Lene Sørensen", "relation": "mother", "roles": ["visiting_parent", "custody_holder"]}],
                }),
            )
            .await;
        let family = app.get(&format!("/api/v1/cases/{case}/family-members")).await;
        let mother = family.items()[0]["id"].as_str().unwrap().to_string();
        app.auth().update(|d| {
            d.coordinator = Some(coordinator.parse().unwrap());
            d.case = Some(case.parse().unwrap());
            d.mother = Some(mother.parse().unwrap());
        });
        let referral = app
            .create(
                "/api/v1/referrals",
                json!({
                    "case_id": case,
                    "intervention": "supported_visitation",
                    "terms": terms(&mother),
                }),
            )
            .await;
        World {
            municipality,
            provider,
            caseworker,
            coordinator,
            practitioner,
            practitioner2,
            room,
            case,
            mother,
            referral,
        }
    }

    /// The app, signed in as the world's first practitioner (assigned once the referral is accepted).
    pub fn as_practitioner(&self, app: &TestApp) -> TestApp {
        let actor = crate::actors::staff(
            samvirke_domain::organisation::StaffRole::Practitioner,
            self.practitioner.parse().unwrap(),
            self.provider.parse().unwrap(),
        );
        app.as_actor(&actor)
    }

    /// The app, signed in as the world's caseworker.
    pub fn as_caseworker(&self, app: &TestApp) -> TestApp {
        app.as_actor(&crate::actors::caseworker(self.caseworker.parse().unwrap(), self.municipality.parse().unwrap()))
    }

    /// Accepts the referral (the coordinator, the first practitioner) and starts it.
    pub async fn activate(&self, app: &TestApp) {
        activate(app, &self.referral, &self.coordinator, &self.practitioner).await;
    }

    /// Records the mother's consent for a purpose, given at an instant.
    pub async fn consent(&self, app: &TestApp, purpose: &str, given_at: &str) -> String {
        app.create(
            &format!("/api/v1/cases/{}/consents", self.case),
            json!({"referral_id": self.referral, "giver": {"kind": "family_member", "family_member_id": self.mother},
                   "purpose": purpose, "given_at": given_at}),
        )
        .await
    }
}

/// Adds a caseworker of a municipality through the store; the id.
pub async fn add_caseworker(app: &TestApp, municipality: &str, name: &str) -> String {
    use samvirke_domain::organisation::{Employer, Employment, Staff, StaffRole};
    let staff = Staff {
        id: StaffId::new(),
        name: samvirke_domain::text::PersonName::parse(name).unwrap(),
        role: StaffRole::Caseworker,
        employer: Employer::Municipality(municipality.parse().unwrap()),
        employment: Employment::Permanent,
        email: None,
        supervision_trained: false,
        working_pattern: Default::default(),
        max_weekly_minutes: None,
        active: true,
    };
    let mut tx = app.store().begin().await.unwrap();
    tx.insert_staff(&staff).await.unwrap();
    tx.commit().await.unwrap();
    staff.id.to_string()
}

/// Adds a member of a provider's staff through the store; the id.
pub async fn add_provider_staff(app: &TestApp, provider: ProviderId, role: StaffRole, name: &str) -> StaffId {
    use samvirke_domain::organisation::{Employer, Employment, Staff};
    let staff = Staff {
        id: StaffId::new(),
        name: samvirke_domain::text::PersonName::parse(name).unwrap(),
        role,
        employer: Employer::Provider(provider),
        employment: Employment::Permanent,
        email: None,
        supervision_trained: false,
        working_pattern: Default::default(),
        max_weekly_minutes: None,
        active: true,
    };
    let mut tx = app.store().begin().await.unwrap();
    tx.insert_staff(&staff).await.unwrap();
    tx.commit().await.unwrap();
    staff.id
}

/// Accepts a referral and starts it.
pub async fn activate(app: &TestApp, referral: &str, coordinator: &str, practitioner: &str) {
    let path = format!("/api/v1/referrals/{referral}");
    let revision = app.get(&path).await.body["revision"].as_u64().unwrap();
    let accepted = app
        .post(
            &format!("{path}/accept"),
            json!({"revision": revision, "coordinator_id": coordinator, "practitioner_ids": [practitioner]}),
        )
        .await;
    assert_eq!(accepted.status, 200, "accept: {}", accepted.body);
    let active = app.post(&format!("{path}/activate"), json!({"revision": revision + 1})).await;
    assert_eq!(active.status, 200, "activate: {}", active.body);
}

/// A practitioner at a provider.
pub fn practitioner(provider: &str, name: &str) -> Value {
    json!({
        "name": name,
        "role": "practitioner",
        "employer": {"kind": "provider", "id": provider},
        "employment": "hourly",
        "supervision_trained": true,
        "working_pattern": [{"day": "saturday", "start": "09:00", "end": "15:00"}],
    })
}

/// Valid terms of a supported-visitation order aimed at the mother.
pub fn terms(mother: &str) -> Value {
    json!({
        "aimed_at": [{"kind": "family_member", "family_member_id": mother}, {"kind": "child"}],
        "work_goals": ["Mor støtter Ida i at holde pauser", "Mor forbereder samværet"],
        "period": {"start": "2026-02-01", "end": "2026-07-31"},
        "ordered_hours": 40,
        "frequency": {"sessions": 1, "weeks": 2},
        "visitation": {
            "place": {"kind": "provider_premises"},
            "duration_minutes": 120,
            "recurrence": {"day": "saturday", "start": "10:00", "end": "12:00", "interval_weeks": 2},
            "may_attend": [mother],
            "topics_to_avoid": ["Anbringelsen"],
            "food": "allowed",
            "stagger": {"parent_arrives_minutes_before": 15, "parent_leaves_minutes_after": 15},
        },
    })
}

/// A store over a test database, which can make one `Tx` method of write transactions go wrong.
struct TestStore {
    db: Arc<Box<dyn TestDatabase>>,
    fault: Arc<Mutex<Option<Fault>>>,
}

#[async_trait]
impl Store for TestStore {
    fn backend(&self) -> Backend {
        self.db.store().backend()
    }
    async fn migrate(&self) -> StoreResult<()> {
        self.db.store().migrate().await
    }
    async fn ping(&self) -> StoreResult<()> {
        if matches!(*self.fault.lock().unwrap(), Some(Fault { method: "ping", .. })) {
            return Err(StoreError::Unavailable("injected outage".into()));
        }
        self.db.store().ping().await
    }
    async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        let inner = self.db.store().begin().await?;
        let fault = *self.fault.lock().unwrap();
        Ok(match fault {
            Some(fault) => Box::new(FailingTx { inner, fault, changed: false }),
            None => inner,
        })
    }
    async fn begin_read(&self) -> StoreResult<Box<dyn Tx>> {
        self.db.store().begin_read().await
    }
}

/// A transaction whose faulty method fails or stalls; everything else is passed on.
/// A faulty `commit` fails only a transaction that changed records: one that
/// only appended to the audit log (an audited read) commits.
struct FailingTx {
    inner: Box<dyn Tx>,
    fault: Fault,
    changed: bool,
}

/// Whether a `Tx` method changes records (the audit log aside).
fn changes(method: &str) -> bool {
    ["insert_", "update_", "delete_", "add_", "withdraw_", "record_", "set_", "mark_", "erase_"]
        .iter()
        .any(|prefix| method.starts_with(prefix))
}

impl Fault {
    async fn check(self, method: &str) -> StoreResult<()> {
        match self {
            Fault { method: m, stall: Some(stall) } if m == method => {
                tokio::time::sleep(stall).await;
                Ok(())
            }
            Fault { method: m, stall: None } if m == method => Err(StoreError::Backend("injected failure".into())),
            _ => Ok(()),
        }
    }
}

macro_rules! pass_on {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        #[async_trait]
        impl Tx for FailingTx {
            async fn commit(self: Box<Self>) -> StoreResult<()> {
                if self.changed || self.fault.method != "commit" {
                    self.fault.check("commit").await?;
                }
                self.inner.commit().await
            }

            $(
                async fn $name(&mut self, $($arg: $ty),*) -> StoreResult<$ret> {
                    self.changed |= changes(stringify!($name));
                    self.fault.check(stringify!($name)).await?;
                    self.inner.$name($($arg),*).await
                }
            )*
        }
    };
}

use samvirke_domain::appointment::Appointment;
use samvirke_domain::audit::{AuditEntry, AuditEvent, ChainHash};
use samvirke_domain::availability::OfferedShift;
use samvirke_domain::case::{Case, FamilyMember};
use samvirke_domain::consent::Consent;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::document::{Document, DocumentVersion, OutboxMessage};
use samvirke_domain::documentation::DocumentationSettings;
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::organisation::{Absence, Municipality, Provider, Room, Staff};
use samvirke_domain::plan::{ActionPlan, FocusArea};
use samvirke_domain::referral::{Referral, ReferralVersion};
use samvirke_domain::text::LongText;
use samvirke_domain::time::TimeRange;
use samvirke_domain::time_entry::TimeEntry;
use samvirke_domain::user::{User, Username};
use samvirke_domain::*;
use samvirke_store::{AppointmentFilter, CaseFilter, DocumentFilter, OutboxFilter, Page, ReferralFilter, StaffFilter};
use samvirke_store::{CaseErasure, ResetRecord, SessionRecord, SignInRecord};

pass_on! {
    insert_municipality(m: &Municipality) -> ();
    municipality(id: MunicipalityId) -> Municipality;
    municipalities() -> Vec<Municipality>;
    insert_provider(p: &Provider) -> ();
    provider(id: ProviderId) -> Provider;
    providers() -> Vec<Provider>;
    insert_staff(s: &Staff) -> ();
    update_staff(s: &Staff) -> ();
    staff(id: StaffId) -> Staff;
    list_staff(filter: &StaffFilter) -> Vec<Staff>;
    insert_absence(a: &Absence) -> ();
    delete_absence(id: AbsenceId) -> ();
    absences(staff: Option<StaffId>, during: TimeRange) -> Vec<Absence>;
    insert_shift(s: &OfferedShift) -> ();
    delete_shift(id: ShiftId) -> ();
    shifts(staff: Option<StaffId>, during: TimeRange) -> Vec<OfferedShift>;
    insert_room(r: &Room) -> ();
    update_room(r: &Room) -> ();
    room(id: RoomId) -> Room;
    rooms(provider: ProviderId) -> Vec<Room>;
    insert_case(c: &Case) -> ();
    update_case(c: &mut Case) -> ();
    case(id: CaseId) -> Case;
    cases(filter: &CaseFilter, page: Page) -> Vec<Case>;
    count_cases(filter: &CaseFilter) -> u64;
    cases_by_cpr(provider: ProviderId, cpr: &Cpr) -> Vec<Case>;
    insert_family_member(m: &FamilyMember) -> ();
    update_family_member(m: &FamilyMember) -> ();
    family_member(id: FamilyMemberId) -> FamilyMember;
    family_members(case: CaseId) -> Vec<FamilyMember>;
    insert_referral(r: &Referral, first: &ReferralVersion) -> ();
    update_referral(r: &mut Referral) -> ();
    add_referral_version(r: &mut Referral, v: &ReferralVersion) -> ();
    referral(id: ReferralId) -> Referral;
    referrals(filter: &ReferralFilter, page: Page) -> Vec<Referral>;
    referral_versions(id: ReferralId) -> Vec<ReferralVersion>;
    insert_decision(d: &CommitteeDecision) -> ();
    decisions(case: CaseId) -> Vec<CommitteeDecision>;
    insert_suspension(s: &VisitationSuspension) -> ();
    suspensions(case: CaseId) -> Vec<VisitationSuspension>;
    insert_consent(c: &Consent) -> ();
    withdraw_consent(id: ConsentId, at: jiff::Timestamp) -> ();
    consent(id: ConsentId) -> Consent;
    consents(case: CaseId) -> Vec<Consent>;
    insert_appointment(a: &Appointment) -> ();
    insert_appointments(a: &[Appointment]) -> ();
    update_appointment(a: &mut Appointment) -> ();
    delete_appointment(id: AppointmentId) -> ();
    appointment(id: AppointmentId) -> Appointment;
    appointments(filter: &AppointmentFilter, limit: u32) -> Vec<Appointment>;
    insert_journal_entry(e: &JournalEntry) -> ();
    journal(case: CaseId, page: Page) -> Vec<JournalEntry>;
    insert_document(d: &Document, first: &DocumentVersion) -> ();
    update_document(d: &mut Document) -> ();
    add_document_version(d: &mut Document, v: &DocumentVersion) -> ();
    record_family_review(id: DocumentId, version: u32, read_at: jiff::Timestamp, comment: Option<&LongText>) -> ();
    document(id: DocumentId) -> Document;
    documents(filter: &DocumentFilter, page: Page) -> Vec<Document>;
    document_versions(id: DocumentId) -> Vec<DocumentVersion>;
    insert_outbox_messages(m: &[OutboxMessage]) -> ();
    outbox(filter: &OutboxFilter, limit: u32) -> Vec<OutboxMessage>;
    documentation_settings(provider: ProviderId) -> DocumentationSettings;
    set_documentation_settings(provider: ProviderId, s: &DocumentationSettings) -> ();
    insert_action_plan(p: &ActionPlan) -> ();
    update_action_plan(p: &mut ActionPlan) -> ();
    action_plan(id: ActionPlanId) -> ActionPlan;
    action_plans(case: CaseId) -> Vec<ActionPlan>;
    insert_focus_area(f: &FocusArea) -> ();
    update_focus_area(f: &FocusArea) -> ();
    focus_area(id: FocusAreaId) -> FocusArea;
    focus_areas(case: CaseId) -> Vec<FocusArea>;
    insert_time_entry(t: &TimeEntry) -> ();
    delete_time_entry(id: TimeEntryId) -> ();
    time_entries(referral: ReferralId) -> Vec<TimeEntry>;
    minutes_registered(referral: ReferralId) -> u64;
    insert_user(u: &User, password_hash: &str) -> ();
    user(id: UserId) -> User;
    user_credentials(username: &Username) -> (User, String);
    users() -> Vec<User>;
    insert_session(s: &SessionRecord) -> ();
    session(token_hash: &[u8; 32]) -> SessionRecord;
    update_session(s: &SessionRecord) -> ();
    delete_session(token_hash: &[u8; 32]) -> ();
    delete_user_sessions(user: UserId) -> u64;
    delete_sessions_before(last_seen_before: jiff::Timestamp, created_before: jiff::Timestamp) -> u64;
    sign_in_record(user: UserId) -> SignInRecord;
    set_sign_in_record(user: UserId, r: &SignInRecord) -> ();
    set_password_hash(user: UserId, password_hash: &str) -> ();
    set_feed_token(user: UserId, token_hash: &[u8; 32], at: jiff::Timestamp) -> ();
    feed_user(token_hash: &[u8; 32]) -> UserId;
    insert_reset(r: &ResetRecord) -> ();
    reset(token_hash: &[u8; 32]) -> ResetRecord;
    mark_reset_used(token_hash: &[u8; 32], at: jiff::Timestamp) -> ();
    delete_user_resets(user: UserId) -> u64;
    append_audit(events: &[AuditEvent]) -> Vec<AuditEntry>;
    audit_entries(after_seq: u64, limit: u32) -> Vec<AuditEntry>;
    audit_head() -> Option<(u64, ChainHash)>;
    audit_for_case(case: CaseId, before_seq: Option<u64>, limit: u32) -> Vec<AuditEntry>;
    audit_for_actor(user: UserId, before_seq: Option<u64>, limit: u32) -> Vec<AuditEntry>;
    closed_cases_before(date: jiff::civil::Date, limit: u32) -> Vec<CaseId>;
    erase_case(case: CaseId, at: jiff::Timestamp, by: Option<UserId>) -> ();
    case_erasure(case: CaseId) -> CaseErasure;
}
