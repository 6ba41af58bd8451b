//! `TestApp`: the whole router served on 127.0.0.1 port 0 over a fresh SQLite
//! database, and a `reqwest` client that talks to it like any other client.

use async_trait::async_trait;
use samvirke_store::conformance::TestDatabase;
use samvirke_store::{Backend, Result as StoreResult, Store, StoreError, Tx};
use samvirke_web::{AppState, Config};
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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

    /// Serves the router.
    pub async fn spawn(self) -> TestApp {
        init_logging();
        let db: Arc<Box<dyn TestDatabase>> = Arc::new(samvirke_store_sqlite::fresh_test_database().await);
        let fault = Arc::new(Mutex::new(None));
        let store: Arc<dyn Store> = Arc::new(TestStore { db: db.clone(), fault: fault.clone() });
        let state = AppState { store, config: self.config.unwrap_or_default() };
        let router = samvirke_web::router(state);
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
        TestApp {
            base,
            client: reqwest::Client::new(),
            lang: None,
            db: Some(db),
            fault,
            stop: Some(stop),
            server: Some(server),
        }
    }
}

/// A running app and a client for it.
pub struct TestApp {
    base: String,
    client: reqwest::Client,
    lang: Option<&'static str>,
    db: Option<Arc<Box<dyn TestDatabase>>>,
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
    /// database error, to test what a failure half way leaves behind (`ping`: the database is down).
    pub fn fail_on(&self, method: &'static str) {
        *self.fault.lock().unwrap() = Some(Fault { method, stall: None });
    }

    /// From now on the named `Tx` method waits before it runs, as an overloaded database would.
    pub fn stall_on(&self, method: &'static str, stall: Duration) {
        *self.fault.lock().unwrap() = Some(Fault { method, stall: Some(stall) });
    }

    /// The same app, asking for English.
    pub fn en(&self) -> TestApp {
        TestApp {
            base: self.base.clone(),
            client: self.client.clone(),
            lang: Some("en-GB,en;q=0.9"),
            db: self.db.clone(),
            fault: self.fault.clone(),
            stop: None,
            server: None,
        }
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(lang) = self.lang {
            request = request.header("accept-language", lang);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.unwrap()).await
    }

    /// Sends raw bytes with a content type.
    pub async fn send_raw(&self, path: &str, content_type: &str, body: &'static str) -> Answer {
        let mut request = self.client.post(format!("{}{path}", self.base)).header("content-type", content_type);
        if let Some(lang) = self.lang {
            request = request.header("accept-language", lang);
        }
        answer(request.body(body).send().await.unwrap()).await
    }

    /// A `GET` with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.client.get(format!("{}{path}", self.base));
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

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let content_language = header("content-language");
    let content_encoding = header("content-encoding");
    let bytes = response.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, body, text, content_language, content_encoding }
}

/// A small world made through the API: a municipality, a provider serving it,
/// a caseworker, two practitioners, a room, a case with a mother, and a
/// supported-visitation referral.
pub struct World {
    pub municipality: String,
    pub provider: String,
    pub caseworker: String,
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
    pub async fn create(app: &TestApp) -> World {
        let municipality = app.create("/api/v1/municipalities", json!({"code": 657, "name": "Herning Kommune"})).await;
        let provider = app
            .create("/api/v1/providers", json!({"name": "Familiehuset Vest", "municipalities": [municipality]}))
            .await;
        let caseworker = app
            .create(
                "/api/v1/staff",
                json!({"name": "Sara Holm", "role": "caseworker", "employer": {"kind": "municipality", "id": municipality}, "employment": "permanent"}),
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
                    "child": {"name": "Ida Sørensen", "cpr": CPR},
                    "placement": {"kind": "foster_family", "name": "Familien Dam", "address_secret": true},
                    "opened_on": "2026-01-05",
                    "family_members": [{"name": "Lene Sørensen", "relation": "mother", "roles": ["visiting_parent", "custody_holder"]}],
                }),
            )
            .await;
        let family = app.get(&format!("/api/v1/cases/{case}/family-members")).await;
        let mother = family.items()[0]["id"].as_str().unwrap().to_string();
        let referral = app
            .create(
                "/api/v1/referrals",
                json!({
                    "case_id": case,
                    "intervention": "supported_visitation",
                    "caseworker_id": caseworker,
                    "terms": terms(&mother),
                }),
            )
            .await;
        World { municipality, provider, caseworker, practitioner, practitioner2, room, case, mother, referral }
    }
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
            Some(fault) => Box::new(FailingTx { inner, fault }),
            None => inner,
        })
    }
    async fn begin_read(&self) -> StoreResult<Box<dyn Tx>> {
        self.db.store().begin_read().await
    }
}

/// A transaction whose faulty method fails or stalls; everything else is passed on.
struct FailingTx {
    inner: Box<dyn Tx>,
    fault: Fault,
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
                self.fault.check("commit").await?;
                self.inner.commit().await
            }

            $(
                async fn $name(&mut self, $($arg: $ty),*) -> StoreResult<$ret> {
                    self.fault.check(stringify!($name)).await?;
                    self.inner.$name($($arg),*).await
                }
            )*
        }
    };
}

use samvirke_domain::appointment::Appointment;
use samvirke_domain::case::{Case, FamilyMember};
use samvirke_domain::consent::Consent;
use samvirke_domain::cpr::Cpr;
use samvirke_domain::decision::{CommitteeDecision, VisitationSuspension};
use samvirke_domain::document::{Document, DocumentVersion};
use samvirke_domain::journal::JournalEntry;
use samvirke_domain::organisation::{Absence, Municipality, Provider, Room, Staff};
use samvirke_domain::plan::{ActionPlan, FocusArea};
use samvirke_domain::referral::{Referral, ReferralVersion};
use samvirke_domain::text::LongText;
use samvirke_domain::time::TimeRange;
use samvirke_domain::time_entry::TimeEntry;
use samvirke_domain::user::{User, Username};
use samvirke_domain::*;
use samvirke_store::{AppointmentFilter, CaseFilter, DocumentFilter, Page, ReferralFilter, StaffFilter};

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
    set_family_comment(id: DocumentId, version: u32, comment: Option<&LongText>) -> ();
    document(id: DocumentId) -> Document;
    documents(filter: &DocumentFilter, page: Page) -> Vec<Document>;
    document_versions(id: DocumentId) -> Vec<DocumentVersion>;
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
}
