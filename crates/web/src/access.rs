//! Who may call which route: the policy table, and the one middleware that enforces it.
//!
//! Every route (method and path template, as axum's [`MatchedPath`] names it)
//! has one row in [`TABLE`]: the domain [`Action`] it performs and how to find
//! its [`Target`] in the request ([`TargetOf`]). [`enforce`] runs after
//! routing on every route: it establishes the actor ([`crate::auth`]), looks
//! the route up, resolves the target (for a record of a case: one read of the
//! record, then the case's provider, municipality and assigned practitioners),
//! and asks the domain's [`decide`]. The web decides nothing itself.
//!
//! The answers:
//! - nobody signed in: `401` (public routes excepted);
//! - a record of a case the actor has no relation to, or one that does not
//!   exist: `404`, the same answer, so that a refusal does not reveal that
//!   the record exists;
//! - any other refusal: `403`;
//! - a route missing from the table: `403`, and an error in the log (a bug).
//!   Deny by default; `tests/api/access.rs` fails on such a route by name.
//!
//! Lists and searches ([`TargetOf::Scoped`]) are filtered item by item: a
//! handler asks [`Visibility::may`], which asks [`decide`] with the item's case
//! (read once per case and request). The store query is first narrowed to
//! where the actor belongs ([`Belongs`]: their provider, municipality or
//! case), which only makes the query cheaper; it never lets anything through.
//!
//! A target id that a handler requires in its query or body, but that is
//! missing or not an id, cannot be resolved: the request goes on to the
//! handler, which refuses it with `422` and every problem of the input at
//! once (after a check that the actor's role may ever take the action). Such
//! a request that the handler answers with success is a bug: answered `500`
//! and logged.

use crate::AppState;
use crate::audit;
use crate::auth::{Authentication, CSRF_HEADER, ClientAddr, CurrentSession};
use crate::error::{ApiError, ApiResult};
use crate::facts::{all_appointments, all_referrals};
use axum::body::Body;
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::Method;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use samvirke_auth::CsrfToken;
use samvirke_domain::document::DocumentState;
use samvirke_domain::organisation::Employer;
use samvirke_domain::policy::{Action, Actor, ActorKind, CaseFacts, Relation, Target, decide, relation};
use samvirke_domain::user::Subject;
use samvirke_domain::validation::Problem;
use samvirke_domain::*;
use samvirke_store::{AppointmentFilter, ReferralFilter, StoreError, Tx};
use std::collections::HashMap;
use std::str::FromStr;

/// What a route does, and to what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoutePolicy {
    /// The action, as the domain names it.
    pub action: Action,
    /// How the target is found in the request.
    pub target: TargetOf,
}

/// Where in the request an id is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A path parameter.
    Path(&'static str),
    /// A query parameter the handler requires.
    Query(&'static str),
    /// A top-level field of the JSON body the handler requires.
    Body(&'static str),
    /// A field of a page's form (`application/x-www-form-urlencoded`) the
    /// handler requires, given once.
    Form(&'static str),
}

/// A record that belongs to one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    /// The case itself.
    Case,
    /// A referral.
    Referral,
    /// An appointment.
    Appointment,
    /// A document.
    Document,
    /// A consent.
    Consent,
    /// A family member.
    FamilyMember,
    /// An action plan.
    ActionPlan,
    /// A focus area.
    FocusArea,
}

/// How to find the target of a route in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetOf {
    /// Nothing personal: anyone, signed in or not.
    Public,
    /// The whole system ([`Target::System`]): reference data any signed-in
    /// user reads, and the organisations themselves.
    System,
    /// The actor's own account and data.
    OwnData,
    /// The session the request's cookie names, signed in or waiting for its
    /// second factor (the session routes): `401` without one.
    Session,
    /// A record of a case: its case, with provider, municipality and assigned practitioners.
    Case(Of, Key),
    /// A case being opened: the body's `provider_id` and `municipality_id`.
    NewCase,
    /// A provider, by its id.
    Provider(Key),
    /// A municipality, by its id.
    Municipality(Key),
    /// A room: its provider.
    Room(Key),
    /// A member of staff: their employer, a provider or a municipality.
    Staff(Key),
    /// The body's `employer` (`{"kind": "provider"|"municipality", "id"}`) of a new member of staff.
    Employer(Key),
    /// A user account, by its id: the provider it belongs to (a member of
    /// staff's employer, a family's case's provider; none for a caseworker).
    Account(Key),
    /// The query's `provider_id` or `municipality_id` (exactly one): whose staff to list.
    Organisation,
    /// A list or search whose items are each decided on their case ([`Visibility`]).
    Scoped,
    /// The provider of the signed-in member of provider staff (a page of
    /// their own provider's work, whose items are each decided on their case
    /// as [`TargetOf::Scoped`]'s are). Anyone else is refused.
    OwnProvider,
    /// The municipality of the signed-in caseworker (the caseworker's pages,
    /// whose items are each decided on their case). Anyone else is refused.
    OwnMunicipality,
}

use Action::*;
use TargetOf::{
    Case, Employer as EmployerOf, Municipality, NewCase, Organisation, Provider, Public, Room, Scoped, System,
};

/// The path parameter `{id}`.
const ID: Key = Key::Path("id");

const fn row(
    method: &'static str,
    path: &'static str,
    action: Action,
    target: TargetOf,
) -> (&'static str, &'static str, RoutePolicy) {
    (method, path, RoutePolicy { action, target })
}

/// Every route: method, path template, action, target.
///
/// Reading a document ([`ReadSentReports`] below) is [`ReadDrafts`] until it is
/// sent or archived ([`report_read`]): the one place the action depends on the
/// record. A document's versions are its drafts' history: always [`ReadDrafts`].
#[rustfmt::skip]
pub const TABLE: &[(&str, &str, RoutePolicy)] = &[
    // Health, the API document and the catalogue: public.
    row("GET",    "/healthz",                                          ReadPublic,               Public),
    row("GET",    "/readyz",                                           ReadPublic,               Public),
    row("GET",    "/api/openapi.json",                                 ReadPublic,               Public),
    row("GET",    "/api/v1/catalogue",                                 ReadPublic,               Public),
    row("GET",    "/api/v1/catalogue/{code}",                          ReadPublic,               Public),
    // Sign-in and the session: anyone may try to sign in; the rest acts on the cookie's own session.
    row("POST",   "/api/v1/session",                                   ReadPublic,               Public),
    row("GET",    "/api/v1/session",                                   ReadOwnData,              TargetOf::Session),
    row("DELETE", "/api/v1/session",                                   ReadOwnData,              TargetOf::Session),
    row("DELETE", "/api/v1/session/all",                               ReadOwnData,              TargetOf::Session),
    row("POST",   "/api/v1/session/totp",                              ReadOwnData,              TargetOf::Session),
    row("POST",   "/api/v1/session/totp/enrol",                        ReadOwnData,              TargetOf::Session),
    row("POST",   "/api/v1/session/totp/confirm",                      ReadOwnData,              TargetOf::Session),
    // Municipalities and providers: reference data for anyone signed in; added by an admin.
    row("GET",    "/api/v1/municipalities",                            ReadPublic,               System),
    row("POST",   "/api/v1/municipalities",                            ManageUsers,              System),
    row("GET",    "/api/v1/municipalities/{id}",                       ReadPublic,               System),
    row("GET",    "/api/v1/providers",                                 ReadPublic,               System),
    row("POST",   "/api/v1/providers",                                 ManageUsers,              System),
    row("GET",    "/api/v1/providers/{id}",                            ReadPublic,               System),
    row("GET",    "/api/v1/providers/{id}/documentation-settings",     ManageSettings,           Provider(ID)),
    row("PUT",    "/api/v1/providers/{id}/documentation-settings",     ManageSettings,           Provider(ID)),
    row("GET",    "/api/v1/providers/{id}/rooms",                      ReadOrganisation,         Provider(ID)),
    row("POST",   "/api/v1/providers/{id}/rooms",                      ManageOrganisation,       Provider(ID)),
    row("GET",    "/api/v1/rooms/{id}",                                ReadOrganisation,         Room(ID)),
    row("PUT",    "/api/v1/rooms/{id}",                                ManageOrganisation,       Room(ID)),
    // Staff: the employer's; absences and shifts also the person's own.
    row("GET",    "/api/v1/staff",                                     ReadOrganisation,         Organisation),
    row("POST",   "/api/v1/staff",                                     ManageOrganisation,       EmployerOf(Key::Body("employer"))),
    row("GET",    "/api/v1/staff/{id}",                                ReadOrganisation,         TargetOf::Staff(ID)),
    row("PUT",    "/api/v1/staff/{id}",                                ManageOrganisation,       TargetOf::Staff(ID)),
    row("GET",    "/api/v1/staff/{id}/absences",                       ReadOrganisation,         TargetOf::Staff(ID)),
    row("POST",   "/api/v1/staff/{id}/absences",                       ManageAvailability,       TargetOf::Staff(ID)),
    row("DELETE", "/api/v1/staff/{id}/absences/{absence_id}",          ManageAvailability,       TargetOf::Staff(ID)),
    row("GET",    "/api/v1/staff/{id}/shifts",                         ReadOrganisation,         TargetOf::Staff(ID)),
    row("POST",   "/api/v1/staff/{id}/shifts",                         ManageAvailability,       TargetOf::Staff(ID)),
    row("DELETE", "/api/v1/staff/{id}/shifts/{shift_id}",              ManageAvailability,       TargetOf::Staff(ID)),
    // Cases and their family.
    row("GET",    "/api/v1/cases",                                     ListCases,                Scoped),
    row("POST",   "/api/v1/cases",                                     WriteCase,                NewCase),
    row("POST",   "/api/v1/cases/search",                              ListCases,                Scoped),
    row("GET",    "/api/v1/cases/{id}",                                ReadCase,                 Case(Of::Case, ID)),
    row("PUT",    "/api/v1/cases/{id}",                                WriteCase,                Case(Of::Case, ID)),
    row("GET",    "/api/v1/cases/{id}/family-members",                 ReadCase,                 Case(Of::Case, ID)),
    row("POST",   "/api/v1/cases/{id}/family-members",                 WriteCase,                Case(Of::Case, ID)),
    row("GET",    "/api/v1/family-members/{id}",                       ReadCase,                 Case(Of::FamilyMember, ID)),
    row("PUT",    "/api/v1/family-members/{id}",                       WriteCase,                Case(Of::FamilyMember, ID)),
    row("GET",    "/api/v1/cases/{id}/family-view",                    ReadFamilyView,           Case(Of::Case, ID)),
    // Referrals: ordered by the caseworker, handled by the coordinator.
    row("GET",    "/api/v1/referrals",                                 ReadReferral,             Scoped),
    row("POST",   "/api/v1/referrals",                                 OrderIntervention,        Case(Of::Case, Key::Body("case_id"))),
    row("GET",    "/api/v1/referrals/{id}",                            ReadReferral,             Case(Of::Referral, ID)),
    row("GET",    "/api/v1/referrals/{id}/versions",                   ReadReferral,             Case(Of::Referral, ID)),
    row("POST",   "/api/v1/referrals/{id}/versions",                   OrderIntervention,        Case(Of::Referral, ID)),
    row("POST",   "/api/v1/referrals/{id}/accept",                     HandleReferral,           Case(Of::Referral, ID)),
    row("POST",   "/api/v1/referrals/{id}/reject",                     HandleReferral,           Case(Of::Referral, ID)),
    row("POST",   "/api/v1/referrals/{id}/activate",                   HandleReferral,           Case(Of::Referral, ID)),
    row("POST",   "/api/v1/referrals/{id}/begin-ending",               HandleReferral,           Case(Of::Referral, ID)),
    row("POST",   "/api/v1/referrals/{id}/close",                      HandleReferral,           Case(Of::Referral, ID)),
    row("GET",    "/api/v1/referrals/{id}/required-consents",          ReadReferral,             Case(Of::Referral, ID)),
    // Committee decisions, suspensions, consents.
    row("GET",    "/api/v1/cases/{id}/decisions",                      ReadConsentsAndDecisions, Case(Of::Case, ID)),
    row("POST",   "/api/v1/cases/{id}/decisions",                      RecordDecision,           Case(Of::Case, ID)),
    row("GET",    "/api/v1/decisions/expiring",                        ReadDuties,               Provider(Key::Query("provider_id"))),
    row("GET",    "/api/v1/cases/{id}/suspensions",                    ReadConsentsAndDecisions, Case(Of::Case, ID)),
    row("POST",   "/api/v1/cases/{id}/suspensions",                    RecordDecision,           Case(Of::Case, ID)),
    row("GET",    "/api/v1/cases/{id}/consents",                       ReadConsentsAndDecisions, Case(Of::Case, ID)),
    row("POST",   "/api/v1/cases/{id}/consents",                       RecordConsent,            Case(Of::Case, ID)),
    row("GET",    "/api/v1/consents/{id}",                             ReadConsentsAndDecisions, Case(Of::Consent, ID)),
    row("POST",   "/api/v1/consents/{id}/withdraw",                    RecordConsent,            Case(Of::Consent, ID)),
    // Appointments.
    row("GET",    "/api/v1/appointments",                              ReadAppointments,         Scoped),
    row("POST",   "/api/v1/appointments",                              PlanAppointments,         Case(Of::Referral, Key::Body("referral_id"))),
    row("GET",    "/api/v1/appointments/{id}",                         ReadAppointments,         Case(Of::Appointment, ID)),
    row("PUT",    "/api/v1/appointments/{id}",                         PlanAppointments,         Case(Of::Appointment, ID)),
    row("DELETE", "/api/v1/appointments/{id}",                         PlanAppointments,         Case(Of::Appointment, ID)),
    row("PUT",    "/api/v1/appointments/{id}/outcome",                 RecordOutcome,            Case(Of::Appointment, ID)),
    // The journal: the provider's own.
    row("GET",    "/api/v1/cases/{id}/journal-entries",                ReadJournal,              Case(Of::Case, ID)),
    row("POST",   "/api/v1/cases/{id}/journal-entries",                WriteJournal,             Case(Of::Case, ID)),
    // Documents, the report workflow and what was sent.
    row("GET",    "/api/v1/documents",                                 ReadSentReports,          Scoped),
    row("POST",   "/api/v1/documents",                                 WriteReport,              Case(Of::Referral, Key::Body("referral_id"))),
    row("GET",    "/api/v1/documents/{id}",                            ReadSentReports,          Case(Of::Document, ID)),
    row("GET",    "/api/v1/documents/{id}/versions",                   ReadDrafts,               Case(Of::Document, ID)),
    row("POST",   "/api/v1/documents/{id}/versions",                   WriteReport,              Case(Of::Document, ID)),
    row("POST",   "/api/v1/documents/{id}/submit",                     WriteReport,              Case(Of::Document, ID)),
    row("POST",   "/api/v1/documents/{id}/return",                     ReviewReport,             Case(Of::Document, ID)),
    row("POST",   "/api/v1/documents/{id}/approve",                    ReviewReport,             Case(Of::Document, ID)),
    row("PUT",    "/api/v1/documents/{id}/family-review",              RecordFamilyReview,       Case(Of::Document, ID)),
    row("POST",   "/api/v1/documents/{id}/send",                       ReviewReport,             Case(Of::Document, ID)),
    row("POST",   "/api/v1/documents/{id}/archive",                    ReviewReport,             Case(Of::Document, ID)),
    row("POST",   "/api/v1/documents/{id}/corrections",                WriteReport,              Case(Of::Document, ID)),
    row("GET",    "/api/v1/outbox",                                    ReadOutbox,               Scoped),
    row("GET",    "/api/v1/duties",                                    ReadDuties,               Provider(Key::Query("provider_id"))),
    // Plans and focus areas.
    row("GET",    "/api/v1/cases/{id}/action-plans",                   ReadPlans,                Case(Of::Case, ID)),
    row("POST",   "/api/v1/cases/{id}/action-plans",                   WritePlans,               Case(Of::Case, ID)),
    row("GET",    "/api/v1/action-plans/{id}",                         ReadPlans,                Case(Of::ActionPlan, ID)),
    row("PUT",    "/api/v1/action-plans/{id}",                         WritePlans,               Case(Of::ActionPlan, ID)),
    row("POST",   "/api/v1/action-plans/{id}/reviews",                 WritePlans,               Case(Of::ActionPlan, ID)),
    row("GET",    "/api/v1/cases/{id}/focus-areas",                    ReadPlans,                Case(Of::Case, ID)),
    row("POST",   "/api/v1/cases/{id}/focus-areas",                    WritePlans,               Case(Of::Case, ID)),
    row("GET",    "/api/v1/focus-areas/{id}",                          ReadPlans,                Case(Of::FocusArea, ID)),
    row("PUT",    "/api/v1/focus-areas/{id}",                          WritePlans,               Case(Of::FocusArea, ID)),
    // Hours.
    row("GET",    "/api/v1/referrals/{id}/time-entries",               ReadHours,                Case(Of::Referral, ID)),
    row("POST",   "/api/v1/referrals/{id}/time-entries",               RegisterHours,            Case(Of::Referral, ID)),
    row("DELETE", "/api/v1/referrals/{id}/time-entries/{entry_id}",    RegisterHours,            Case(Of::Referral, ID)),
    row("GET",    "/api/v1/referrals/{id}/hours",                      ReadHours,                Case(Of::Referral, ID)),
    // Who looked, the family's own log, the export of a case, password resets.
    row("GET",    "/api/v1/cases/{id}/access-log",                     ReadCaseAccessLog,        Case(Of::Case, ID)),
    row("GET",    "/api/v1/me/access-log",                             ReadOwnData,              TargetOf::OwnData),
    row("GET",    "/api/v1/cases/{id}/export",                         ExportPersonData,         Case(Of::Case, ID)),
    row("POST",   "/api/v1/users/{id}/reset-link",                     ManageUsers,              TargetOf::Account(ID)),
    row("POST",   "/api/v1/password-reset",                            ReadPublic,               Public),
    // The web pages: signing in and the assets for anyone; the start page for anyone signed in.
    row("GET",    "/",                                                 ReadPublic,               System),
    row("GET",    "/sign-in",                                          ReadPublic,               Public),
    row("GET",    "/assets/dkfds/{*path}",                             ReadPublic,               Public),
    row("GET",    "/assets/pages/{file}",                              ReadPublic,               Public),
    row("GET",    "/assets/htmx/{*path}",                              ReadPublic,               Public),
    row("POST",   "/sign-out",                                         ReadOwnData,              TargetOf::Session),
    row("GET",    "/calendar-feed",                                    ReadOwnData,              TargetOf::OwnData),
    row("POST",   "/calendar-feed",                                    ReadOwnData,              TargetOf::OwnData),
    // The feed's secret link is its credential (a calendar app has no session); the handler
    // finds the link's owner, shows only their appointments and logs each case it shows.
    row("GET",    "/calendar-feed/{token}",                            ReadPublic,               Public),
    row("GET",    "/reset-password",                                   ReadPublic,               Public),
    row("POST",   "/reset-password",                                   ReadPublic,               Public),
    row("GET",    "/overview",                                         ReadDuties,               TargetOf::OwnProvider),
    row("GET",    "/my-day",                                           ReadDuties,               TargetOf::OwnProvider),
    row("GET",    "/appointments/{id}",                                ReadAppointments,         Case(Of::Appointment, ID)),
    row("POST",   "/appointments/{id}/outcome",                        RecordOutcome,            Case(Of::Appointment, ID)),
    row("GET",    "/appointments/{id}/description",                    WriteReport,              Case(Of::Appointment, ID)),
    row("POST",   "/appointments/{id}/description",                    WriteReport,              Case(Of::Appointment, ID)),
    row("GET",    "/documents/{id}",                                   ReadSentReports,          Case(Of::Document, ID)),
    row("POST",   "/documents/{id}/versions",                          WriteReport,              Case(Of::Document, ID)),
    row("POST",   "/documents/{id}/submit",                            WriteReport,              Case(Of::Document, ID)),
    row("POST",   "/documents/{id}/review",                            ReviewReport,             Case(Of::Document, ID)),
    row("POST",   "/documents/{id}/family-review",                     RecordFamilyReview,       Case(Of::Document, ID)),
    row("GET",    "/orders",                                           OrderIntervention,        TargetOf::OwnMunicipality),
    row("POST",   "/orders",                                           OrderIntervention,        Case(Of::Case, Key::Form("case_id"))),
    row("GET",    "/orders/new",                                       OrderIntervention,        TargetOf::OwnMunicipality),
    row("GET",    "/courses",                                          ReadDuties,               TargetOf::OwnProvider),
    row("GET",    "/referrals/{id}",                                   ReadReferral,             Case(Of::Referral, ID)),
    row("POST",   "/referrals/{id}/accept",                            HandleReferral,           Case(Of::Referral, ID)),
    row("POST",   "/referrals/{id}/plan",                              PlanAppointments,         Case(Of::Referral, ID)),
    row("POST",   "/referrals/{id}/series",                            PlanAppointments,         Case(Of::Referral, ID)),
    row("POST",   "/referrals/{id}/action-plan",                       WritePlans,               Case(Of::Referral, ID)),
    row("POST",   "/referrals/{id}/focus-areas",                       WritePlans,               Case(Of::Referral, ID)),
    row("POST",   "/action-plans/{id}/goals",                          WritePlans,               Case(Of::ActionPlan, ID)),
    row("POST",   "/action-plans/{id}/phase",                          WritePlans,               Case(Of::ActionPlan, ID)),
    row("POST",   "/action-plans/{id}/reviews",                        WritePlans,               Case(Of::ActionPlan, ID)),
    // The calendar: a room's or a practitioner's week, for the provider's own staff (each appointment decided
    // on its case); a clash is said without personal data. Planning is decided on the case of the referral
    // the form names: the coordinator of the case's provider plans, nobody else (`TargetOf::OwnProvider`
    // would not do: `decide` allows no planning on a provider, only on a case).
    row("GET",    "/calendar",                                         ReadDuties,               TargetOf::OwnProvider),
    row("POST",   "/calendar/check",                                   ReadDuties,               TargetOf::OwnProvider),
    row("GET",    "/planning",                                         PlanSchedule,             TargetOf::OwnProvider),
    row("POST",   "/planning/accept",                                  PlanSchedule,             TargetOf::OwnProvider),
    row("POST",   "/calendar/appointments",                            PlanAppointments,         Case(Of::Referral, Key::Form("referral_id"))),
    row("POST",   "/appointments/{id}/move",                           PlanAppointments,         Case(Of::Appointment, ID)),
];

/// The policy of a route, by method and path template. `HEAD` is `GET`'s.
pub fn policy(method: &Method, path: &str) -> Option<RoutePolicy> {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    TABLE.iter().find(|(m, p, _)| *m == method && *p == path).map(|(_, _, policy)| *policy)
}

/// The action of reading a document in a state: drafts until it is sent.
pub fn report_read(state: DocumentState) -> Action {
    match state {
        DocumentState::Sent | DocumentState::Archived => ReadSentReports,
        DocumentState::Draft | DocumentState::CoordinatorReview | DocumentState::FamilyReview => ReadDrafts,
    }
}

/// The layer: after routing, before every handler.
pub async fn enforce(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let from = ClientAddr::resolve(request.headers(), request.extensions(), state.config.trust_proxy);
    request.extensions_mut().insert(from);
    let method = request.method().clone();
    let headers = request.headers().clone();
    let path = request.uri().path().to_string();
    let Some(route) = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()) else {
        tracing::error!(%method, "a request reached the access check without a matched route: refused");
        return ApiError::Forbidden.into_response();
    };
    let Some(policy) = policy(&method, &route) else {
        if TABLE.iter().any(|(_, path, _)| *path == route) {
            // Another method of a listed path: not served here, or served and missing from the table (a bug).
            tracing::warn!(%method, route, "method not in the access table for this route: refused as not allowed");
            return ApiError::MethodNotAllowed.into_response();
        }
        tracing::error!(%method, route, "route missing from the access table: refused (a bug)");
        return ApiError::Forbidden.into_response();
    };
    match authorize(&state, policy, &route, request).await {
        Ok((request, Resolution::Decided, Some(plan))) => {
            let slot = std::sync::Arc::new(audit::Slot::default());
            let response = audit::scope(slot.clone(), next.run(request)).await;
            audit::finish(&state.store, &plan, &slot, response).await
        }
        Ok((request, Resolution::Decided, None)) => next.run(request).await,
        Ok((request, Resolution::Unresolved, _)) => {
            let response = next.run(request).await;
            if response.status().is_client_error() || response.status().is_server_error() {
                response
            } else {
                tracing::error!(%method, route, status = response.status().as_u16(),
                    "a request whose target could not be resolved was not refused by its handler (a bug)");
                ApiError::Internal.into_response()
            }
        }
        Err(ApiError::Unauthorized) if is_page(&route) && method == Method::GET => {
            axum::response::Redirect::to(crate::routes::pages::SIGN_IN_PAGE).into_response()
        }
        Err(error) => {
            tracing::info!(%method, route, status = error.status().as_u16(), action = ?policy.action, "access refused");
            if is_page(&route) {
                return crate::routes::pages::refused(&headers, &path, error);
            }
            error.into_response()
        }
    }
}

/// Whether the target was resolved and decided, or left for the handler to refuse.
enum Resolution {
    Decided,
    Unresolved,
}

/// A target as found in the request.
enum Found {
    /// A target to decide on; `hidden`: refusing a case the actor has no relation to is `404`.
    Target { target: OwnedTarget, hidden: bool, action: Action },
    /// The id the handler requires is missing or malformed: the handler refuses.
    Unresolved,
    /// A list: every item is decided by the handler.
    Scoped,
}

enum OwnedTarget {
    Case(CaseFacts),
    Provider(ProviderId),
    StaffMember(ProviderId, StaffId),
    Municipality(MunicipalityId),
    System,
    OwnData(UserId),
    Account(Option<ProviderId>),
}

impl OwnedTarget {
    fn as_target(&self) -> Target<'_> {
        match self {
            OwnedTarget::Case(facts) => Target::Case(facts),
            OwnedTarget::Provider(p) => Target::Provider(*p),
            OwnedTarget::StaffMember(provider, staff) => Target::StaffMember { provider: *provider, staff: *staff },
            OwnedTarget::Municipality(m) => Target::Municipality(*m),
            OwnedTarget::System => Target::System,
            OwnedTarget::OwnData(u) => Target::OwnData(*u),
            OwnedTarget::Account(provider) => Target::Account { provider: *provider },
        }
    }
}

async fn authorize(
    state: &AppState,
    policy: RoutePolicy,
    route: &str,
    request: Request,
) -> ApiResult<(Request, Resolution, Option<audit::Planned>)> {
    let (mut parts, body) = request.into_parts();
    let Authentication { actor, session } = state.auth.authenticate(&parts).await?;
    let body = match session {
        Some(session) => {
            let body = check_csrf(&parts, body, &session, route, state.config.body_limit).await?;
            parts.extensions.insert(session);
            body
        }
        None => body,
    };
    if policy.target == Public {
        if let Some(actor) = actor {
            decide(&actor, policy.action, Target::Public).map_err(|_| ApiError::Forbidden)?;
            parts.extensions.insert(actor);
        }
        return Ok((Request::from_parts(parts, body), Resolution::Decided, None));
    }
    if policy.target == TargetOf::Session {
        if parts.extensions.get::<CurrentSession>().is_none() {
            return Err(ApiError::Unauthorized);
        }
        if let Some(actor) = actor {
            decide(&actor, policy.action, Target::OwnData(actor.user_id)).map_err(|_| ApiError::Forbidden)?;
            parts.extensions.insert(actor);
        }
        return Ok((Request::from_parts(parts, body), Resolution::Decided, None));
    }
    let Some(actor) = actor else { return Err(ApiError::Unauthorized) };
    let mut input = Input::new(&mut parts, body).await;
    let found = find(state, policy, &actor, &mut input).await?;
    let mut case = None;
    let resolution = match found {
        Found::Target { target, hidden, action } => {
            if decide(&actor, action, target.as_target()).is_err() {
                let unrelated =
                    matches!(&target, OwnedTarget::Case(facts) if relation(&actor, facts) == Relation::None);
                return Err(if hidden && unrelated { ApiError::NotFound } else { ApiError::Forbidden });
            }
            if let (OwnedTarget::Case(facts), false) = (&target, policy.target == NewCase) {
                case = Some(facts.case);
            }
            Resolution::Decided
        }
        Found::Unresolved => {
            if matches!(policy.target, Case(..) | NewCase) && !ever_on_a_case(&actor, policy.action) {
                return Err(ApiError::Forbidden);
            }
            Resolution::Unresolved
        }
        Found::Scoped => {
            if !ever_on_a_case(&actor, policy.action) {
                return Err(ApiError::Forbidden);
            }
            Resolution::Decided
        }
    };
    let plan = (audited(&policy) && matches!(resolution, Resolution::Decided)).then(|| {
        let (record_kind, param) = audit::record_of(route);
        audit::Planned {
            actor: actor.user_id,
            route: route.to_string(),
            method: parts.method.clone(),
            record_kind,
            record_id: param.and_then(|p| input.path.get(p)).and_then(|v| v.trim().parse().ok()),
            case_id: case,
            new_case: policy.target == NewCase,
            list: matches!(policy.target, Scoped | Organisation) || policy.action == ReadDuties,
            from: ClientAddr::of(&parts.extensions),
        }
    });
    parts.extensions.insert(actor);
    Ok((Request::from_parts(parts, input.body), resolution, plan))
}

/// Whether requests of a route touch personal data, and are written to the
/// audit log ([`crate::audit`]): every record of a case, lists and searches of
/// them, duties and expiring decisions, and staff. Not the public routes, the
/// organisations, rooms and settings, nor one's own session (whose sign-in,
/// sign-out and resets their handlers log).
pub fn audited(policy: &RoutePolicy) -> bool {
    matches!(policy.target, Case(..) | NewCase | Scoped | TargetOf::Staff(_) | EmployerOf(_) | Organisation)
        || policy.action == ReadDuties
}

/// The routes that change nothing: every other method must carry the session's CSRF token.
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state-changing request of a browser with a session must carry the
/// session's CSRF token (compared by hash, in constant time): the API's in
/// `X-CSRF-Token`, a page's form in its [`FORM_CSRF_FIELD`] field (the body
/// is read for it and handed on unchanged). Signing in is exempt: it has no
/// token yet, and checks `Origin`.
async fn check_csrf(parts: &Parts, body: Body, session: &CurrentSession, route: &str, limit: usize) -> ApiResult<Body> {
    // Signing in has no token yet; a reset link's form carries its own secret, the link's token.
    if !changes_state(&parts.method) || (parts.method == Method::POST && (route == SIGN_IN || route == RESET_FORM)) {
        return Ok(body);
    }
    let matches = |presented: &str| CsrfToken::matches_hash(&session.record.csrf_hash, presented);
    if let Some(presented) = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if matches(presented) { Ok(body) } else { Err(ApiError::Csrf) };
    }
    let is_form = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(ApiError::Csrf);
    }
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| ApiError::PayloadTooLarge)?;
    let presented = form_urlencoded::parse(&bytes).find(|(k, _)| k == FORM_CSRF_FIELD).map(|(_, v)| v.into_owned());
    match presented {
        Some(p) if matches(&p) => Ok(Body::from(bytes)),
        _ => Err(ApiError::Csrf),
    }
}

/// The page a password-reset link opens, whose form posts back to it.
const RESET_FORM: &str = crate::routes::accounts::RESET_PATH;

/// The field of a page's form that carries the session's CSRF token.
pub const FORM_CSRF_FIELD: &str = "csrf_token";

/// The sign-in route, exempt from the CSRF token.
pub const SIGN_IN: &str = "/api/v1/session";

/// Whether a route is a web page (a person in a browser: without a session
/// they are sent to the sign-in page rather than answered `401`).
pub fn is_page(route: &str) -> bool {
    !route.starts_with("/api/") && !route.starts_with("/assets/") && !matches!(route, "/healthz" | "/readyz")
}

/// Whether the actor's role may take the action on some case (the domain's
/// [`Denied::NotForRole`](samvirke_domain::policy::Denied) says it never may).
/// Reading a document counts drafts and sent reports alike.
fn ever_on_a_case(actor: &Actor, action: Action) -> bool {
    let nowhere = CaseFacts {
        case: CaseId::new(),
        provider: ProviderId::new(),
        municipality: MunicipalityId::new(),
        practitioners: vec![],
    };
    let actions: &[Action] = if action == ReadSentReports { &[ReadSentReports, ReadDrafts] } else { &[action] };
    actions
        .iter()
        .any(|a| decide(actor, *a, Target::Case(&nowhere)) != Err(samvirke_domain::policy::Denied::NotForRole))
}

/// The parts of a request a target is read from: path, query, and the JSON
/// body or the form when a route needs it.
struct Input {
    path: HashMap<String, String>,
    query: Option<Vec<(String, String)>>,
    body: Body,
    json: Option<serde_json::Value>,
    form: Option<Vec<(String, String)>>,
}

impl Input {
    async fn new(parts: &mut Parts, body: Body) -> Self {
        use axum::extract::FromRequestParts;
        let path = match RawPathParams::from_request_parts(parts, &()).await {
            Ok(params) => params.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
            Err(_) => HashMap::new(),
        };
        let query = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).ok().map(|q| q.0);
        Self { path, query, body, json: None, form: None }
    }
}

/// An id looked for in the request.
enum Lookup<T> {
    Found(T),
    /// Missing or not an id where the handler requires it.
    Unresolved,
}

impl Input {
    /// The id at `key`. A path id that is not an id names no record (`404`, as the handler would answer).
    async fn id<T: FromStr>(&mut self, key: Key, limit: usize) -> ApiResult<Lookup<T>> {
        let raw = match key {
            Key::Path(name) => {
                let value = self.path.get(name).ok_or_else(|| {
                    tracing::error!(param = name, "the access table names a path parameter the route lacks");
                    ApiError::Internal
                })?;
                return value.trim().parse().map(Lookup::Found).map_err(|_| ApiError::NotFound);
            }
            Key::Query(name) => self.query_value(name)?,
            Key::Body(name) => self.body_field(name, limit).await?.and_then(|v| v.as_str().map(str::to_owned)),
            Key::Form(name) => self.form_field(name, limit).await?,
        };
        Ok(match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(T::from_str) {
            Some(Ok(id)) => Lookup::Found(id),
            _ => Lookup::Unresolved,
        })
    }

    /// A query parameter given once; a repeated one is refused, as the handlers' query parsing refuses it.
    fn query_value(&self, name: &str) -> ApiResult<Option<String>> {
        let Some(query) = &self.query else {
            return Err(ApiError::Validation(samvirke_domain::validation::ValidationErrors::one(
                "query",
                Problem::NotAllowed,
            )));
        };
        let mut values = query.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone());
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::Validation(samvirke_domain::validation::ValidationErrors::one(
                "query",
                Problem::NotAllowed,
            )));
        }
        Ok(first)
    }

    /// A field of a form body, read once and put back for the handler. A field
    /// given twice names no one record: unresolved, for the handler to refuse.
    async fn form_field(&mut self, name: &str, limit: usize) -> ApiResult<Option<String>> {
        if self.form.is_none() {
            let body = std::mem::take(&mut self.body);
            let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| ApiError::PayloadTooLarge)?;
            self.form = Some(form_urlencoded::parse(&bytes).into_owned().collect());
            self.body = Body::from(bytes);
        }
        let mut values = self.form.iter().flatten().filter(|(k, _)| k == name).map(|(_, v)| v.clone());
        let first = values.next();
        Ok(if values.next().is_some() { None } else { first })
    }

    /// A top-level field of a JSON object body, read once and put back for the handler. A body that
    /// is not a JSON object has no such field (the handler says what is wrong with it).
    async fn body_field(&mut self, name: &str, limit: usize) -> ApiResult<Option<serde_json::Value>> {
        if self.json.is_none() {
            let body = std::mem::take(&mut self.body);
            let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| ApiError::PayloadTooLarge)?;
            self.json = Some(serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null));
            self.body = Body::from(bytes);
        }
        Ok(self.json.as_ref().and_then(|v| v.get(name)).cloned())
    }
}

/// Finds the target of a route in the request, reading the store where a record leads to it.
async fn find(state: &AppState, policy: RoutePolicy, actor: &Actor, input: &mut Input) -> ApiResult<Found> {
    let limit = state.config.body_limit;
    let decided = |target: OwnedTarget| Found::Target { target, hidden: false, action: policy.action };
    Ok(match policy.target {
        Public | System => decided(OwnedTarget::System),
        TargetOf::OwnData | TargetOf::Session => decided(OwnedTarget::OwnData(actor.user_id)),
        Scoped => Found::Scoped,
        TargetOf::OwnProvider => match actor.who {
            ActorKind::ProviderStaff { provider, .. } => decided(OwnedTarget::Provider(provider)),
            _ => return Err(ApiError::Forbidden),
        },
        TargetOf::OwnMunicipality => match actor.who {
            ActorKind::MunicipalStaff { municipality, .. } => decided(OwnedTarget::Municipality(municipality)),
            _ => return Err(ApiError::Forbidden),
        },
        Provider(key) => match input.id::<ProviderId>(key, limit).await? {
            Lookup::Found(p) => match exists(state.read().await?.provider(p).await, key)? {
                true => decided(OwnedTarget::Provider(p)),
                false => Found::Unresolved,
            },
            Lookup::Unresolved => Found::Unresolved,
        },
        Municipality(key) => match input.id::<MunicipalityId>(key, limit).await? {
            Lookup::Found(m) => match exists(state.read().await?.municipality(m).await, key)? {
                true => decided(OwnedTarget::Municipality(m)),
                false => Found::Unresolved,
            },
            Lookup::Unresolved => Found::Unresolved,
        },
        Room(key) => match input.id::<RoomId>(key, limit).await? {
            Lookup::Found(room) => decided(OwnedTarget::Provider(state.read().await?.room(room).await?.provider_id)),
            Lookup::Unresolved => Found::Unresolved,
        },
        TargetOf::Staff(key) => match input.id::<StaffId>(key, limit).await? {
            Lookup::Found(staff) => decided(match state.read().await?.staff(staff).await?.employer {
                Employer::Provider(p) => OwnedTarget::StaffMember(p, staff),
                other => employer(other),
            }),
            Lookup::Unresolved => Found::Unresolved,
        },
        TargetOf::Account(key) => match input.id::<UserId>(key, limit).await? {
            Lookup::Found(user) => {
                let mut tx = state.read().await?;
                decided(OwnedTarget::Account(account_provider(&mut *tx, user).await?))
            }
            Lookup::Unresolved => Found::Unresolved,
        },
        EmployerOf(key) => {
            let Key::Body(name) = key else { unreachable!("an employer is only given in a body") };
            let given = input.body_field(name, limit).await?.unwrap_or_default();
            let id = given.get("id").and_then(|v| v.as_str()).and_then(|s| crate::parse::id::<uuid::Uuid>(s).ok());
            match (given.get("kind").and_then(|v| v.as_str()).map(str::trim), id) {
                (Some("provider"), Some(id)) => decided(OwnedTarget::Provider(id.into())),
                (Some("municipality"), Some(id)) => decided(OwnedTarget::Municipality(id.into())),
                _ => Found::Unresolved,
            }
        }
        Organisation => {
            let provider = input.query_value("provider_id")?;
            let municipality = input.query_value("municipality_id")?;
            let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
            let id = |field: &str, v: Option<String>| {
                crate::parse::id::<uuid::Uuid>(v.as_deref().unwrap_or(""))
                    .map_err(|p| ApiError::Validation(samvirke_domain::validation::ValidationErrors::one(field, p)))
            };
            match (blank(&provider), blank(&municipality)) {
                (false, true) => decided(OwnedTarget::Provider(id("provider_id", provider)?.into())),
                (true, false) => decided(OwnedTarget::Municipality(id("municipality_id", municipality)?.into())),
                _ => {
                    return Err(ApiError::Validation(samvirke_domain::validation::ValidationErrors::one(
                        "provider_id",
                        Problem::Other {
                            da: "Angiv enten provider_id eller municipality_id.".into(),
                            en: "Give either provider_id or municipality_id.".into(),
                        },
                    )));
                }
            }
        }
        NewCase => {
            let provider = input.id::<ProviderId>(Key::Body("provider_id"), limit).await?;
            let municipality = input.id::<MunicipalityId>(Key::Body("municipality_id"), limit).await?;
            match (provider, municipality) {
                (Lookup::Found(provider), Lookup::Found(municipality)) => decided(OwnedTarget::Case(CaseFacts {
                    case: CaseId::new(),
                    provider,
                    municipality,
                    practitioners: vec![],
                })),
                _ => Found::Unresolved,
            }
        }
        Case(of, key) => {
            let mut tx = state.read().await?;
            let (case, state_of_document) = match record_case(&mut *tx, of, key, input, limit).await? {
                Lookup::Found(found) => found,
                Lookup::Unresolved => return Ok(Found::Unresolved),
            };
            let facts = case_facts(&mut *tx, case).await?;
            let action = match (policy.action, state_of_document) {
                (ReadSentReports, Some(state)) => report_read(state),
                (action, _) => action,
            };
            Found::Target { target: OwnedTarget::Case(facts), hidden: true, action }
        }
    })
}

/// Whether an organisation named at `key` exists. Organisations are not secret:
/// one in the path that does not exist is `404`; one in the query or body is
/// left to the handler, which names the field that refers to nothing.
fn exists<T>(read: Result<T, StoreError>, key: Key) -> ApiResult<bool> {
    match read {
        Ok(_) => Ok(true),
        Err(StoreError::NotFound) if matches!(key, Key::Path(_)) => Err(ApiError::NotFound),
        Err(StoreError::NotFound) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn employer(employer: Employer) -> OwnedTarget {
    match employer {
        Employer::Provider(p) => OwnedTarget::Provider(p),
        Employer::Municipality(m) => OwnedTarget::Municipality(m),
    }
}

/// The provider a user account belongs to: a member of staff's employer (none
/// for a municipality's), a parent's or young person's case's provider.
async fn account_provider(tx: &mut dyn Tx, user: UserId) -> ApiResult<Option<ProviderId>> {
    Ok(match tx.user(user).await?.subject {
        Subject::Staff(staff) => match tx.staff(staff).await?.employer {
            Employer::Provider(p) => Some(p),
            Employer::Municipality(_) => None,
        },
        Subject::FamilyMember(member) => {
            let case = tx.family_member(member).await?.case_id;
            Some(tx.case(case).await?.provider_id)
        }
        Subject::Child(case) => Some(tx.case(case).await?.provider_id),
    })
}

/// The case of the record at `key` (one read), and a document's state.
async fn record_case(
    tx: &mut dyn Tx,
    of: Of,
    key: Key,
    input: &mut Input,
    limit: usize,
) -> ApiResult<Lookup<(CaseId, Option<DocumentState>)>> {
    macro_rules! case_of {
        ($id:ty, $read:ident) => {
            match input.id::<$id>(key, limit).await? {
                Lookup::Found(id) => Lookup::Found((tx.$read(id).await?.case_id, None)),
                Lookup::Unresolved => Lookup::Unresolved,
            }
        };
    }
    Ok(match of {
        Of::Case => match input.id::<CaseId>(key, limit).await? {
            Lookup::Found(id) => Lookup::Found((id, None)),
            Lookup::Unresolved => Lookup::Unresolved,
        },
        Of::Referral => case_of!(ReferralId, referral),
        Of::Appointment => case_of!(AppointmentId, appointment),
        Of::Consent => case_of!(ConsentId, consent),
        Of::FamilyMember => case_of!(FamilyMemberId, family_member),
        Of::ActionPlan => case_of!(ActionPlanId, action_plan),
        Of::FocusArea => case_of!(FocusAreaId, focus_area),
        Of::Document => match input.id::<DocumentId>(key, limit).await? {
            Lookup::Found(id) => {
                let document = tx.document(id).await?;
                Lookup::Found((document.case_id, Some(document.state)))
            }
            Lookup::Unresolved => Lookup::Unresolved,
        },
    })
}

/// What [`decide`] needs to know about a case: its provider and municipality,
/// and the practitioners assigned to its referrals or appointments.
pub async fn case_facts(tx: &mut dyn Tx, case: CaseId) -> ApiResult<CaseFacts> {
    let stored = tx.case(case).await?;
    let referrals = all_referrals(tx, &ReferralFilter { case: Some(case), ..ReferralFilter::default() }).await?;
    let appointments =
        all_appointments(tx, &AppointmentFilter { case: Some(case), ..AppointmentFilter::default() }).await?;
    let mut practitioners: Vec<StaffId> = referrals
        .iter()
        .flat_map(|r| r.practitioner_ids.iter().copied())
        .chain(appointments.iter().flat_map(|a| a.practitioners.ids().iter().copied()))
        .collect();
    practitioners.sort();
    practitioners.dedup();
    Ok(CaseFacts { case, provider: stored.provider_id, municipality: stored.municipality_id, practitioners })
}

/// Where an actor belongs, to narrow a list's store query before every item is
/// decided. Narrowing never lets an item through; [`Visibility::may`] does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Belongs {
    /// Provider staff: their provider.
    pub provider: Option<ProviderId>,
    /// A caseworker: their municipality.
    pub municipality: Option<MunicipalityId>,
    /// A parent or young person: their case.
    pub case: Option<CaseId>,
}

impl Belongs {
    /// Where the actor belongs.
    pub fn of(actor: &Actor) -> Self {
        match actor.who {
            ActorKind::ProviderStaff { provider, .. } => Belongs { provider: Some(provider), ..Belongs::default() },
            ActorKind::MunicipalStaff { municipality, .. } => {
                Belongs { municipality: Some(municipality), ..Belongs::default() }
            }
            ActorKind::FamilyMember { case, .. } | ActorKind::Child { case } => {
                Belongs { case: Some(case), ..Belongs::default() }
            }
        }
    }
}

/// Narrows a filter field: the asked value and where the actor belongs. `None`
/// when they differ: nothing there is the actor's, so nothing is read.
pub fn narrow<T: PartialEq + Copy>(asked: Option<T>, belongs: Option<T>) -> Option<Option<T>> {
    match (asked, belongs) {
        (Some(a), Some(b)) if a != b => None,
        (a, b) => Some(a.or(b)),
    }
}

/// What the actor may see of the items of a list, decided per item on its case
/// (each case read once per request).
pub struct Visibility {
    actor: Actor,
    cases: HashMap<CaseId, Option<CaseFacts>>,
}

impl Visibility {
    /// For the actor of the request.
    pub fn new(actor: Actor) -> Self {
        Self { actor, cases: HashMap::new() }
    }

    /// The actor.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Where the actor belongs.
    pub fn belongs(&self) -> Belongs {
        Belongs::of(&self.actor)
    }

    /// Whether the actor may take the action on the case's records.
    pub async fn may(&mut self, tx: &mut dyn Tx, action: Action, case: CaseId) -> ApiResult<bool> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.cases.entry(case) {
            slot.insert(match case_facts(tx, case).await {
                Ok(facts) => Some(facts),
                Err(ApiError::NotFound) => None,
                Err(e) => return Err(e),
            });
        }
        let may =
            self.cases[&case].as_ref().is_some_and(|facts| decide(&self.actor, action, Target::Case(facts)).is_ok());
        if may {
            audit::note_case(case);
        }
        Ok(may)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_each_route_once() {
        let mut seen = std::collections::BTreeSet::new();
        for (method, path, _) in TABLE {
            assert!(seen.insert((method, path)), "{method} {path} twice");
        }
    }

    #[test]
    fn head_is_decided_as_get_and_an_unknown_route_has_no_policy() {
        assert_eq!(policy(&Method::HEAD, "/api/v1/cases/{id}"), policy(&Method::GET, "/api/v1/cases/{id}"));
        assert_eq!(policy(&Method::GET, "/api/v1/nowhere"), None);
    }

    #[test]
    fn a_sent_document_is_read_as_a_sent_report() {
        assert_eq!(report_read(DocumentState::Draft), ReadDrafts);
        assert_eq!(report_read(DocumentState::FamilyReview), ReadDrafts);
        assert_eq!(report_read(DocumentState::Sent), ReadSentReports);
        assert_eq!(report_read(DocumentState::Archived), ReadSentReports);
    }

    #[test]
    fn narrowing_a_filter_never_widens_it() {
        let (a, b) = (ProviderId::new(), ProviderId::new());
        assert_eq!(narrow(Some(a), Some(a)), Some(Some(a)));
        assert_eq!(narrow(Some(a), Some(b)), None);
        assert_eq!(narrow(None, Some(b)), Some(Some(b)));
        assert_eq!(narrow(Some(a), None), Some(Some(a)));
    }
}
