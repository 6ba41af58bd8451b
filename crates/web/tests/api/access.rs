//! The access matrix, generated from the router: every route of the app's
//! OpenAPI document (and the routes served outside it), called by every role
//! on a record of their own world and on one of another world, and each
//! answer compared with what the domain's `decide` says.
//!
//! Two worlds, each with its municipality, provider, case and records: `own`
//! (the actors' world) and `foreign`. The actors: a practitioner assigned to
//! the own case and one who is not, the coordinator, team lead and admin of
//! the own provider, the coordinator of the other provider, a caseworker of
//! the ordering municipality and one of the other, the parent and the young
//! person of the own case and of the foreign one, and nobody.
//!
//! An action `decide` allows must not be refused (`401`, `403`, `404`); one it
//! refuses must be refused, never answered: `401` without an actor, `404` for
//! a record of a case the actor has no relation to, `403` otherwise. Lists and
//! searches show exactly the items `decide` allows. Writes are sent with the
//! store failing every commit, so that the matrix changes nothing: an allowed
//! write answers `422` (the matrix sends no valid body) or `500` (the commit).
//!
//! Only the ids are taken from the policy table (where a route finds its
//! target in the query or body); what is expected comes from `decide` and
//! from what the fixtures know about each world.

use crate::actors::{caseworker, parent, staff, young_person};
use crate::support::{TestApp, World};
use samvirke_domain::document::DocumentState;
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::policy::{Action, Actor, ActorKind, CaseFacts, Relation, Target, decide, relation};
use samvirke_domain::*;
use samvirke_web::AppState;
use samvirke_web::access::{Key, Of, TargetOf, policy, report_read};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// One world and the records the matrix calls routes on.
struct Side {
    w: World,
    cpr: &'static str,
    appointment: String,
    draft: String,
    sent: String,
    consent: String,
    action_plan: String,
    focus_area: String,
    time_entry: String,
    absence: String,
    shift: String,
    user: String,
}

/// Referrals, appointments and documents (a draft and a sent one) of each world.
const REFERRALS: usize = 3;
const APPOINTMENTS: usize = 2;

impl Side {
    /// A world through the API: an active supported-visitation referral with the
    /// first practitioner assigned, consents, two visits held, a description
    /// kept as a draft and one sent, a parent programme with an action plan, a
    /// contact person with a focus area, hours and an absence.
    async fn create(app: &TestApp, code: u16, name: &str, cpr: &'static str) -> Side {
        let w = World::create_as(app, code, name, cpr).await;
        w.activate(app).await;
        let consent = w.consent(app, "intervention", "2026-01-20T10:00:00Z").await;
        w.consent(app, "written_descriptions", "2026-01-20T10:00:00Z").await;
        let appointment = held_visit(app, &w, "2026-03-07T09:00:00Z", "2026-03-07T11:00:00Z").await;
        let second = held_visit(app, &w, "2026-03-21T09:00:00Z", "2026-03-21T11:00:00Z").await;
        let draft = app.create("/api/v1/documents", description(&w, &appointment)).await;
        let sent = app.create("/api/v1/documents", description(&w, &second)).await;
        let doc = format!("/api/v1/documents/{sent}");
        for (step, revision) in [("submit", 1), ("approve", 2)] {
            assert_eq!(app.post(&format!("{doc}/{step}"), json!({"revision": revision})).await.status, 200);
        }
        assert_eq!(app.put(&format!("{doc}/family-review"), json!({"version": 1})).await.status, 200);
        let sending = app.post(&format!("{doc}/send"), json!({"revision": 3})).await;
        assert_eq!(sending.status, 200, "{}", sending.body);
        let programme = order(app, &w, "parent_programme").await;
        let action_plan = app
            .create(
                &format!("/api/v1/cases/{}/action-plans", w.case),
                json!({"referral_id": programme, "goals": [{"text": "Komme til tiden"}]}),
            )
            .await;
        let contact = order(app, &w, "contact_person").await;
        let focus_area = app
            .create(
                &format!("/api/v1/cases/{}/focus-areas", w.case),
                json!({"referral_id": contact, "area": "housing", "started_on": "2026-02-10"}),
            )
            .await;
        let time_entry = app
            .create(
                &format!("/api/v1/referrals/{}/time-entries", w.referral),
                json!({"staff_id": w.practitioner, "date": "2026-03-07", "minutes": 120, "kind": "direct"}),
            )
            .await;
        let absence = app
            .create(
                &format!("/api/v1/staff/{}/absences", w.practitioner),
                json!({"start": "2026-04-01T07:00:00Z", "end": "2026-04-02T15:00:00Z", "kind": "holiday"}),
            )
            .await;
        let shift = app
            .create(
                &format!("/api/v1/staff/{}/shifts", w.practitioner),
                json!({"start": "2026-04-04T07:00:00Z", "end": "2026-04-04T13:00:00Z"}),
            )
            .await;
        let mother: FamilyMemberId = w.mother.parse().unwrap();
        let user = app
            .add_user(
                &format!("mor-{code}"),
                samvirke_domain::user::Role::Parent,
                samvirke_domain::user::Subject::FamilyMember(mother),
                false,
            )
            .await
            .id
            .to_string();
        Side { w, cpr, appointment, draft, sent, consent, action_plan, focus_area, time_entry, absence, shift, user }
    }

    fn provider(&self) -> ProviderId {
        self.w.provider.parse().unwrap()
    }

    fn municipality(&self) -> MunicipalityId {
        self.w.municipality.parse().unwrap()
    }

    fn case(&self) -> CaseId {
        self.w.case.parse().unwrap()
    }

    /// The facts of the world's case, as the fixtures made them.
    fn facts(&self) -> CaseFacts {
        CaseFacts {
            case: self.case(),
            provider: self.provider(),
            municipality: self.municipality(),
            practitioners: vec![self.w.practitioner.parse().unwrap()],
        }
    }

    /// The id for a parameter of the given schema.
    fn id_of(&self, schema: &str) -> Option<String> {
        let w = &self.w;
        Some(match schema {
            "CaseId" => w.case.clone(),
            "ReferralId" => w.referral.clone(),
            "AppointmentId" => self.appointment.clone(),
            "DocumentId" => self.draft.clone(),
            "ConsentId" => self.consent.clone(),
            "FamilyMemberId" => w.mother.clone(),
            "ActionPlanId" => self.action_plan.clone(),
            "FocusAreaId" => self.focus_area.clone(),
            "ProviderId" => w.provider.clone(),
            "MunicipalityId" => w.municipality.clone(),
            "StaffId" => w.practitioner.clone(),
            "RoomId" => w.room.clone(),
            "AbsenceId" => self.absence.clone(),
            "ShiftId" => self.shift.clone(),
            "TimeEntryId" => self.time_entry.clone(),
            "UserId" => self.user.clone(),
            "Intervention" => "supported_visitation".to_string(),
            _ => return None,
        })
    }

    /// The id of the world's record of a kind, as a page's path names it.
    fn record_id(&self, of: Of) -> String {
        let schema = match of {
            Of::Case => "CaseId",
            Of::Referral => "ReferralId",
            Of::Appointment => "AppointmentId",
            Of::Document => "DocumentId",
            Of::Consent => "ConsentId",
            Of::FamilyMember => "FamilyMemberId",
            Of::ActionPlan => "ActionPlanId",
            Of::FocusArea => "FocusAreaId",
        };
        self.id_of(schema).expect("every kind of record has a fixture")
    }

    /// The id a body names for a record of the case.
    fn body_id(&self, of: Of) -> String {
        match of {
            Of::Case => self.w.case.clone(),
            Of::Referral => self.w.referral.clone(),
            other => panic!("no body names a {other:?}"),
        }
    }
}

async fn held_visit(app: &TestApp, w: &World, start: &str, end: &str) -> String {
    let id = app
        .create(
            "/api/v1/appointments",
            json!({"referral_id": w.referral, "kind": "visit", "start": start, "end": end,
                   "location": {"kind": "room", "value": w.room}, "practitioner_ids": [w.practitioner]}),
        )
        .await;
    let held = app
        .put(&format!("/api/v1/appointments/{id}/outcome"), json!({"revision": 1, "outcome": {"kind": "held"}}))
        .await;
    assert_eq!(held.status, 200, "{}", held.body);
    id
}

fn description(w: &World, visit: &str) -> Value {
    json!({"referral_id": w.referral, "appointment_id": visit, "kind": "written_description",
           "title": "Samvær", "body": "Samværet forløb roligt."})
}

async fn order(app: &TestApp, w: &World, intervention: &str) -> String {
    let terms = json!({"aimed_at": [{"kind": "family"}], "work_goals": ["En hverdag, der hænger sammen"],
                       "period": {"start": "2026-02-01", "end": "2026-12-31"}, "ordered_hours": 10,
                       "frequency": {"sessions": 1, "weeks": 1}});
    app.create("/api/v1/referrals", json!({"case_id": w.case, "intervention": intervention, "terms": terms})).await
}

/// The actors, by name; `None` is nobody signed in.
fn actors(own: &Side, foreign: &Side) -> Vec<(&'static str, Option<Actor>)> {
    let p = own.provider();
    let id = |s: &str| -> StaffId { s.parse().unwrap() };
    vec![
        ("the practitioner assigned", Some(staff(StaffRole::Practitioner, id(&own.w.practitioner), p))),
        ("a practitioner not assigned", Some(staff(StaffRole::Practitioner, id(&own.w.practitioner2), p))),
        ("the coordinator", Some(staff(StaffRole::Coordinator, id(&own.w.coordinator), p))),
        ("the team lead", Some(staff(StaffRole::TeamLead, StaffId::new(), p))),
        ("the admin", Some(staff(StaffRole::Admin, StaffId::new(), p))),
        (
            "the coordinator of the other provider",
            Some(staff(StaffRole::Coordinator, id(&foreign.w.coordinator), foreign.provider())),
        ),
        ("the ordering caseworker", Some(caseworker(id(&own.w.caseworker), own.municipality()))),
        ("a caseworker of the other municipality", Some(caseworker(id(&foreign.w.caseworker), foreign.municipality()))),
        ("the parent", Some(parent(own.w.mother.parse().unwrap(), own.case()))),
        ("the young person", Some(young_person(own.case()))),
        ("the parent of the other case", Some(parent(foreign.w.mother.parse().unwrap(), foreign.case()))),
        ("the young person of the other case", Some(young_person(foreign.case()))),
        ("nobody", None),
    ]
}

/// Every route the router serves: the OpenAPI document's, and the ones served outside it.
fn routes_of(doc: &Value) -> Vec<(String, String, Value)> {
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
            if let Some(op) = item.get(method) {
                routes.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    for (method, path) in samvirke_web::undocumented_routes() {
        routes.push((method.to_string(), path.to_string(), Value::Null));
    }
    routes
}

/// The schema name of a parameter (`CaseId`), or its type (`String`).
fn schema_of(param: &Value) -> String {
    match param["schema"]["$ref"].as_str() {
        Some(r) => r.rsplit('/').next().unwrap().to_string(),
        None => "String".to_string(),
    }
}

/// What an answer must be.
#[derive(Debug, PartialEq)]
enum Expect {
    /// Not refused: anything but 401, 403, 404.
    Allowed,
    /// Refused with this status.
    Refused(u16),
}

/// What `decide` says of a route on one world's record.
fn expect(actor: Option<&Actor>, method: &str, path: &str, side: &Side) -> Expect {
    let policy = policy(&method.parse().unwrap(), path).unwrap();
    if policy.target == TargetOf::Session {
        // The session routes act on the session the cookie names; the matrix's
        // actors are named by test tokens and have none (tests/api/sessions.rs
        // signs in for real).
        return Expect::Refused(401);
    }
    // A public route whose path is its own credential (the calendar feed's
    // secret link) answers a made-up one as missing, whoever asks.
    if policy.target == TargetOf::Public && path.contains("{token}") {
        return Expect::Refused(404);
    }
    let Some(actor) = actor else {
        return match policy.target {
            TargetOf::Public => Expect::Allowed,
            // A browser without a session is sent to the sign-in page.
            _ if samvirke_web::access::is_page(path) && method == "GET" => Expect::Refused(303),
            _ => Expect::Refused(401),
        };
    };
    let new_case = CaseFacts { case: CaseId::new(), ..side.facts() };
    let facts = side.facts();
    let (target, hidden) = match policy.target {
        TargetOf::Public => (Target::Public, false),
        TargetOf::Session => unreachable!("answered above"),
        TargetOf::System => (Target::System, false),
        TargetOf::OwnData => (Target::OwnData(actor.user_id), false),
        // The world's account is its case's mother's: it belongs to the world's provider.
        TargetOf::Account(_) => (Target::Account { provider: Some(side.provider()) }, false),
        TargetOf::Case(..) => (Target::Case(&facts), true),
        TargetOf::NewCase => (Target::Case(&new_case), false),
        // The matrix's member of staff is the world's first practitioner.
        TargetOf::Staff(_) => {
            (Target::StaffMember { provider: side.provider(), staff: side.w.practitioner.parse().unwrap() }, false)
        }
        TargetOf::Provider(_) | TargetOf::Room(_) | TargetOf::Employer(_) | TargetOf::Organisation => {
            (Target::Provider(side.provider()), false)
        }
        TargetOf::Municipality(_) => (Target::Municipality(side.municipality()), false),
        // A page of a list: shown to every role that may ever see such items
        // (its items are checked by the page's own tests); refused to the others.
        TargetOf::Scoped => {
            return match decide(actor, policy.action, Target::Case(&facts)) {
                Err(samvirke_domain::policy::Denied::NotForRole) => Expect::Refused(403),
                _ => Expect::Allowed,
            };
        }
        TargetOf::OwnProvider => match actor.who {
            ActorKind::ProviderStaff { provider, .. } => (Target::Provider(provider), false),
            _ => return Expect::Refused(403),
        },
        TargetOf::OwnMunicipality => match actor.who {
            ActorKind::MunicipalStaff { municipality, .. } => (Target::Municipality(municipality), false),
            _ => return Expect::Refused(403),
        },
    };
    // The document of the matrix is a draft.
    let action = match (policy.action, policy.target) {
        (Action::ReadSentReports, TargetOf::Case(Of::Document, _)) => report_read(DocumentState::Draft),
        (action, _) => action,
    };
    match decide(actor, action, target) {
        Ok(()) => Expect::Allowed,
        Err(_) if hidden && relation(actor, &facts) == Relation::None => Expect::Refused(404),
        Err(_) => Expect::Refused(403),
    }
}

/// A request on one world's records: the URL and the body.
fn request(method: &str, path: &str, op: &Value, side: &Side) -> Result<(String, Option<Value>), String> {
    let policy = policy(&method.parse().unwrap(), path).unwrap();
    // The pages' assets: a file that is there.
    let file = if path.starts_with("/assets/htmx/") { "htmx.min.js" } else { "css/dkfds.min.css" };
    let mut url = path.replace("{*path}", file).replace("{file}", "sign-in.js");
    let mut query = Vec::new();
    for param in op["parameters"].as_array().into_iter().flatten() {
        let name = param["name"].as_str().unwrap();
        let schema = schema_of(param);
        match (param["in"].as_str(), param["required"].as_bool()) {
            (Some("path"), _) => {
                let id = side.id_of(&schema).ok_or(format!("no fixture for a path {schema}"))?;
                url = url.replace(&format!("{{{name}}}"), &id);
            }
            (Some("query"), Some(true)) => {
                query.push(format!("{name}={}", side.id_of(&schema).ok_or(format!("no fixture for {schema}"))?))
            }
            _ => {}
        }
    }
    // A page names its record in the path; the document does not describe pages.
    if let TargetOf::Case(of, Key::Path(name)) = policy.target
        && op.is_null()
    {
        url = url.replace(&format!("{{{name}}}"), &side.record_id(of));
    }
    if policy.target == TargetOf::Organisation {
        query.push(format!("provider_id={}", side.w.provider));
    }
    if !query.is_empty() {
        url = format!("{url}?{}", query.join("&"));
    }
    let mut body = json!({});
    match policy.target {
        TargetOf::Case(of, Key::Body(field)) => body[field] = json!(side.body_id(of)),
        TargetOf::NewCase => {
            body["provider_id"] = json!(side.w.provider);
            body["municipality_id"] = json!(side.w.municipality);
        }
        TargetOf::Employer(Key::Body(field)) => body[field] = json!({"kind": "provider", "id": side.w.provider}),
        TargetOf::Scoped if path == "/api/v1/cases/search" => {
            body = json!({"provider_id": side.w.provider, "cpr": side.cpr});
        }
        _ => {}
    }
    Ok((url, matches!(method, "POST" | "PUT").then_some(body)))
}

/// How the items of a list are decided: the action on an item, and its case.
fn item_decision(path: &str, item: &Value) -> (Action, String) {
    let case = |field: &str| item[field].as_str().unwrap().to_string();
    match path {
        "/api/v1/cases" | "/api/v1/cases/search" => (Action::ListCases, case("id")),
        "/api/v1/referrals" => (Action::ReadReferral, case("case_id")),
        "/api/v1/appointments" => (Action::ReadAppointments, case("case_id")),
        "/api/v1/outbox" => (Action::ReadOutbox, case("case_id")),
        "/api/v1/documents" => {
            let state = serde_json::from_value(item["state"].clone()).unwrap();
            (report_read(state), case("case_id"))
        }
        other => panic!("no item rule for {other}"),
    }
}

/// How many of a world's records a list shows the actor.
fn visible_count(actor: &Actor, path: &str, side: &Side, searched: bool) -> usize {
    let facts = side.facts();
    let may = |action| decide(actor, action, Target::Case(&facts)).is_ok() as usize;
    match path {
        "/api/v1/cases" => may(Action::ListCases),
        "/api/v1/cases/search" => may(Action::ListCases) * searched as usize,
        "/api/v1/referrals" => may(Action::ReadReferral) * REFERRALS,
        "/api/v1/appointments" => may(Action::ReadAppointments) * APPOINTMENTS,
        "/api/v1/outbox" => may(Action::ReadOutbox),
        "/api/v1/documents" => may(Action::ReadDrafts) + may(Action::ReadSentReports),
        other => panic!("no count for {other}"),
    }
}

/// Checks a list against `decide`, item by item and in number.
fn check_list(
    actor: Option<&Actor>,
    path: &str,
    status: u16,
    body: &Value,
    sides: [&Side; 2],
    searched: &Side,
) -> Result<(), String> {
    let Some(actor) = actor else {
        return if status == 401 { Ok(()) } else { Err(format!("{status} for nobody")) };
    };
    let expected: usize = sides.iter().map(|s| visible_count(actor, path, s, std::ptr::eq(*s, searched))).sum();
    if status == 403 {
        return if expected == 0 { Ok(()) } else { Err(format!("403, but {expected} items are the actor's")) };
    }
    if status != 200 {
        return Err(format!("{status}: {body}"));
    }
    let items = body["items"].as_array().ok_or("no items")?;
    for item in items {
        let (action, case) = item_decision(path, item);
        let side = sides.iter().find(|s| s.w.case == case).ok_or(format!("an item of an unknown case {case}"))?;
        if decide(actor, action, Target::Case(&side.facts())).is_err() {
            return Err(format!("shows {} of case {case}, which {action:?} refuses", item["id"]));
        }
    }
    if items.len() != expected { Err(format!("{} items, {expected} expected", items.len())) } else { Ok(()) }
}

/// Calls every route of the document (those whose path passes `only`) as every
/// actor on both worlds. The offending routes: those not in the access table,
/// and each answer that disagrees with `decide`, with why.
async fn check(app: &TestApp, doc: &Value, own: &Side, foreign: &Side, only: impl Fn(&str) -> bool) -> Vec<String> {
    let mut offending = Vec::new();
    let actors = actors(own, foreign);
    for (method, path, op) in routes_of(doc) {
        if policy(&method.parse().unwrap(), &path).is_none() {
            offending.push(format!("{method} {path}: not in the access table"));
            continue;
        }
        if !only(&path) {
            continue;
        }
        let scoped = policy(&method.parse().unwrap(), &path).unwrap().target == TargetOf::Scoped
            && !samvirke_web::access::is_page(&path);
        for (which, side) in [("own", own), ("foreign", foreign)] {
            let (url, body) = match request(&method, &path, &op, side) {
                Ok(request) => request,
                Err(why) => {
                    offending.push(format!("{method} {path}: {why}"));
                    continue;
                }
            };
            for (name, actor) in &actors {
                let client = match actor {
                    Some(actor) => app.as_actor(actor),
                    None => app.anonymous(),
                };
                // A page's form names its record in a form field.
                let answer = match policy(&method.parse().unwrap(), &path).unwrap().target {
                    TargetOf::Case(of, Key::Form(field)) => client.post_form(&url, &[(field, &side.body_id(of))]).await,
                    _ => client.send(method.parse().unwrap(), &url, body.clone()).await,
                };
                let verdict = if scoped {
                    check_list(actor.as_ref(), &path, answer.status, &answer.body, [own, foreign], side)
                } else {
                    match expect(actor.as_ref(), &method, &path, side) {
                        Expect::Allowed if [401, 403, 404].contains(&answer.status) => {
                            Err(format!("refused with {}: {}", answer.status, answer.body))
                        }
                        Expect::Allowed if answer.status >= 500 && method == "GET" => {
                            Err(format!("failed with {}", answer.status))
                        }
                        Expect::Allowed => Ok(()),
                        Expect::Refused(status) if answer.status == status => Ok(()),
                        Expect::Refused(status) => Err(format!("{} where {status} was due", answer.status)),
                    }
                };
                if let Err(why) = verdict {
                    offending.push(format!("{method} {path} as {name} on the {which} record: {why}"));
                }
            }
        }
    }
    offending
}

async fn two_worlds(app: &TestApp) -> (Side, Side) {
    let own = Side::create(app, 657, "Herning Kommune", "150614-4127").await;
    let foreign = Side::create(app, 661, "Holstebro Kommune", "010218-4345").await;
    (own, foreign)
}

#[tokio::test]
async fn every_route_answers_every_role_as_decide_says() {
    let app = TestApp::spawn().await;
    let (own, foreign) = two_worlds(&app).await;
    let doc = serde_json::to_value(samvirke_web::openapi()).unwrap();
    let served: Vec<(String, String)> = routes_of(&doc).into_iter().map(|(m, p, _)| (m, p)).collect();
    for (method, path, _) in samvirke_web::access::TABLE {
        assert!(
            served.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is in the table but not served"
        );
    }
    assert_eq!(served.len(), samvirke_web::access::TABLE.len(), "the router and the table name the same routes");
    // Writes are refused at commit: the matrix leaves the worlds as they are.
    app.fail_on("commit");
    let offending = check(&app, &doc, &own, &foreign, |_| true).await;
    assert!(offending.is_empty(), "{} answers disagree with decide:\n{}", offending.len(), offending.join("\n"));
    app.finish().await;
}

#[utoipa::path(get, path = "/api/v1/unguarded", responses((status = 200, body = String)))]
async fn unguarded() -> &'static str {
    "what nobody should see"
}

/// The app's routes and one that was never put in the access table.
fn with_unguarded_route() -> OpenApiRouter<AppState> {
    samvirke_web::routes::all().merge(OpenApiRouter::new().routes(routes!(unguarded)))
}

#[tokio::test]
async fn a_route_missing_from_the_table_fails_the_check_by_name_and_is_refused() {
    let app = TestApp::builder().routes(with_unguarded_route()).spawn().await;
    let (own, foreign) = two_worlds(&app).await;
    let doc = serde_json::to_value(samvirke_web::routes::document(with_unguarded_route().into_openapi())).unwrap();
    let offending = check(&app, &doc, &own, &foreign, |path| path == "/api/v1/unguarded").await;
    assert_eq!(offending, ["GET /api/v1/unguarded: not in the access table"]);
    for client in [app.as_actor(&staff(StaffRole::Admin, StaffId::new(), own.provider())), app.anonymous()] {
        let a = client.get("/api/v1/unguarded").await;
        assert_eq!((a.status, a.code()), (403, "forbidden"), "deny by default");
        assert!(!a.text.contains("nobody should see"));
    }
    assert!(crate::support::captured_logs().contains("route missing from the access table"));
    app.finish().await;
}

#[tokio::test]
async fn a_caseworker_reads_what_was_sent_but_no_draft_and_no_drafts_history() {
    let app = TestApp::spawn().await;
    let (own, _) = two_worlds(&app).await;
    let caseworker = app.as_actor(&caseworker(own.w.caseworker.parse().unwrap(), own.municipality()));
    assert_eq!(caseworker.get(&format!("/api/v1/documents/{}", own.sent)).await.status, 200);
    assert_eq!(caseworker.get(&format!("/api/v1/documents/{}", own.draft)).await.status, 403);
    assert_eq!(caseworker.get(&format!("/api/v1/documents/{}/versions", own.sent)).await.status, 403);
    let listed = caseworker.get("/api/v1/documents").await;
    let ids: Vec<&str> = listed.items().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [own.sent.as_str()]);
    let outbox = caseworker.get("/api/v1/outbox").await;
    assert_eq!(outbox.items().len(), 1, "what was sent to the municipality");
    app.finish().await;
}

#[tokio::test]
async fn a_body_naming_a_case_of_another_world_is_404_like_one_that_does_not_exist() {
    let app = TestApp::spawn().await;
    let (own, foreign) = two_worlds(&app).await;
    let theirs = app.as_actor(&caseworker(own.w.caseworker.parse().unwrap(), own.municipality()));
    for case in [foreign.w.case.as_str(), "0190c2a4-0000-7000-8000-000000000000"] {
        let a = theirs.post("/api/v1/referrals", json!({"case_id": case, "intervention": "home_support"})).await;
        assert_eq!((a.status, a.code()), (404, "not_found"), "{case}");
    }
    // Without a case that can be read, the order is refused with every problem of the input, as before.
    let a = theirs.en().post("/api/v1/referrals", json!({"case_id": "x", "intervention": "castle"})).await;
    assert_eq!(a.status, 422);
    assert_eq!(a.field("case_id"), "Must be a valid id (a UUID).");
    assert_eq!(a.field("intervention"), "This value is not allowed here.");
    // A parent never orders: refused before the input is looked at.
    let parent = app.as_actor(&parent(own.w.mother.parse().unwrap(), own.case()));
    assert_eq!(parent.post("/api/v1/referrals", json!({})).await.status, 403);
    app.finish().await;
}

#[tokio::test]
async fn an_admin_issues_reset_links_only_for_the_accounts_of_their_own_provider() {
    use samvirke_domain::user::{Role, Subject};
    let app = TestApp::spawn().await;
    let (own, foreign) = two_worlds(&app).await;
    let staff_of = |s: &str| Subject::Staff(s.parse().unwrap());
    let practitioner = Role::Staff(StaffRole::Practitioner);
    let ours = app.add_user("ours", practitioner, staff_of(&own.w.practitioner), false).await;
    let child = app.add_user("ung", Role::YoungPerson, Subject::Child(own.case()), false).await;
    let theirs = app.add_user("theirs", practitioner, staff_of(&foreign.w.practitioner), false).await;
    let municipal =
        app.add_user("sagsbehandler", Role::Staff(StaffRole::Caseworker), staff_of(&own.w.caseworker), false).await;
    let admin_staff = crate::support::add_provider_staff(&app, own.provider(), StaffRole::Admin, "Ane Admin").await;
    let admin = app.add_user("ane", Role::Staff(StaffRole::Admin), Subject::Staff(admin_staff), true).await;
    let admin = app.sign_in(&admin).await;
    let team_lead = app.as_actor(&staff(StaffRole::TeamLead, StaffId::new(), own.provider()));
    let link = |user: &UserId| format!("/api/v1/users/{user}/reset-link");
    for (user, whose) in
        [(&ours.id.to_string(), "own staff"), (&child.id.to_string(), "own young person"), (&own.user, "own parent")]
    {
        let a = admin.post(&link(&user.parse().unwrap()), json!({})).await;
        assert_eq!(a.status, 200, "{whose}: {}", a.body);
        assert_eq!(team_lead.post(&link(&user.parse().unwrap()), json!({})).await.status, 403, "{whose}");
    }
    for (user, whose) in [
        (theirs.id, "another provider's staff"),
        (municipal.id, "a caseworker"),
        (foreign.user.parse().unwrap(), "another provider's parent"),
    ] {
        let a = admin.post(&link(&user), json!({})).await;
        assert_eq!((a.status, a.code()), (403, "forbidden"), "{whose}");
    }
    app.finish().await;
}

#[tokio::test]
async fn lists_page_through_what_the_actor_may_see_only() {
    let app = TestApp::spawn().await;
    let (own, foreign) = two_worlds(&app).await;
    let assigned = app.as_actor(&staff(StaffRole::Practitioner, own.w.practitioner.parse().unwrap(), own.provider()));
    let mut seen = Vec::new();
    let mut next = Some("".to_string());
    while let Some(after) = next {
        let page = assigned.get(&format!("/api/v1/referrals?limit=1&after={after}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        seen.extend(page.items().iter().map(|r| r["case_id"].as_str().unwrap().to_string()));
        next = page.body["next_after"].as_str().map(str::to_string);
    }
    assert_eq!(seen, vec![own.w.case.clone(); REFERRALS], "one a page, only the own case's");
    let other = foreign.w.provider.clone();
    let asked = assigned.get(&format!("/api/v1/cases?provider_id={other}")).await;
    assert!(asked.items().is_empty(), "asking for another provider's cases shows none");
    app.finish().await;
}
