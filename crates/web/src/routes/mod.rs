//! The routes, one module per resource. Each module owns its `…Input` types,
//! its handlers and its [`OpenApiRouter`]; paths are written out in full
//! below `/api/v1`, nested (`/cases/{id}/family-members`) where a record lives
//! inside another, flat (`/family-members/{id}`) for a single record.

pub mod access_log;
pub mod accounts;
pub mod action_plans;
pub mod appointments;
pub mod cases;
pub mod catalogue;
pub mod consents;
pub mod decisions;
pub mod documents;
pub mod duties;
pub mod export;
pub mod family_members;
pub mod family_view;
pub mod focus_areas;
pub mod health;
pub mod journal;
pub mod municipalities;
pub mod outbox;
pub mod pages;
pub mod providers;
pub mod referrals;
pub mod rooms;
pub mod session;
pub mod staff;
pub mod suspensions;
pub mod time_entries;

use crate::AppState;
use crate::access::TargetOf;
use crate::error::ErrorBody;
use axum::http::Method;
use samvirke_domain::law::Act;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, LicenseBuilder, OpenApi, Ref, RefOr, ResponseBuilder, tag::TagBuilder,
};
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;

/// What the handler modules share.
mod prelude {
    pub use super::{Created, check_revision, created, no_content};
    pub use crate::AppState;
    pub use crate::access::{Visibility, narrow};
    pub use crate::auth::CurrentActor;
    pub use crate::error::{ApiError, ApiResult, ErrorBody};
    pub use crate::extract::{Json, Path, Query, UserLang};
    pub use crate::facts::CaseFacts;
    pub use crate::paging::{PageQuery, Paged};
    pub use crate::parse::{self, Parse, ValidatorExt};
    pub use crate::refs::{all_known, known, known_ids, known_in_case};
    pub use axum::extract::State;
    pub use axum::http::StatusCode;
    pub use samvirke_domain::policy::Action;
    pub use samvirke_domain::validation::{Problem, ValidationErrors, Validator};
    pub use samvirke_domain::*;
    pub use serde::{Deserialize, Serialize};
    pub use utoipa::{IntoParams, ToSchema};
    pub use utoipa_axum::router::OpenApiRouter;
    pub use utoipa_axum::routes;
}

/// A `201 Created` answer with the new record.
pub type Created<T> = (axum::http::StatusCode, crate::extract::Json<T>);

/// Answers `201 Created` with the record.
pub fn created<T>(record: T) -> Created<T> {
    (axum::http::StatusCode::CREATED, crate::extract::Json(record))
}

/// Answers `204 No Content`.
pub fn no_content() -> axum::http::StatusCode {
    axum::http::StatusCode::NO_CONTENT
}

/// Refuses a change based on another revision than the stored one. The store
/// checks again when it writes; checking here first answers before any write.
pub fn check_revision(stored: u32, given: u32) -> crate::ApiResult<()> {
    if stored == given { Ok(()) } else { Err(crate::ApiError::Conflict(crate::error::ConflictKind::StaleRevision)) }
}

/// Every route, health checks at the root and the API under `/api/v1`.
pub fn all() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(session::routes())
        .merge(catalogue::routes())
        .merge(municipalities::routes())
        .merge(providers::routes())
        .merge(staff::routes())
        .merge(rooms::routes())
        .merge(cases::routes())
        .merge(family_members::routes())
        .merge(referrals::routes())
        .merge(decisions::routes())
        .merge(suspensions::routes())
        .merge(consents::routes())
        .merge(appointments::routes())
        .merge(journal::routes())
        .merge(documents::routes())
        .merge(outbox::routes())
        .merge(duties::routes())
        .merge(family_view::routes())
        .merge(action_plans::routes())
        .merge(focus_areas::routes())
        .merge(time_entries::routes())
        .merge(access_log::routes())
        .merge(export::routes())
        .merge(accounts::routes());
    OpenApiRouter::new().merge(health::routes()).nest("/api/v1", v1)
}

/// The resources, in the order the document lists them.
pub const TAGS: &[(&str, &str)] = &[
    (health::TAG, "Whether the process is alive and the database reachable."),
    (
        session::TAG,
        "Sign-in with password and second factor (TOTP), enrolment of the second factor, the session and its CSRF token, sign-out.",
    ),
    (catalogue::TAG, "The five interventions, with their basis in Barnets lov and former basis in Serviceloven."),
    (municipalities::TAG, "The ordering authorities."),
    (providers::TAG, "The units that deliver interventions."),
    (staff::TAG, "Provider staff and municipal caseworkers, and their absences."),
    (rooms::TAG, "Rooms at a provider where visits and meetings take place."),
    (
        cases::TAG,
        "One child and their family at one provider. The CPR number is sent in bodies only, and shown masked.",
    ),
    (family_members::TAG, "The child's family and network, and their roles in the case."),
    (
        referrals::TAG,
        "A municipality's order of an intervention: its lifecycle (accept, reject, activate, begin ending, close) and its versioned terms.",
    ),
    (
        decisions::TAG,
        "Decisions of the Children and Youth Committee on supervised visitation or cut-off contact (BL § 105).",
    ),
    (
        suspensions::TAG,
        "The municipality's suspensions of visitation (BL § 104, stk. 5; at the child's request, § 103, stk. 2).",
    ),
    (consents::TAG, "Consents given and withdrawn over time, by a named person, for a named purpose."),
    (appointments::TAG, "Visits, meetings and sessions: planned, moved, and how they went."),
    (journal::TAG, "The running record of a case. Entries are never edited."),
    (
        documents::TAG,
        "Written descriptions, status letters and closing letters: versions, the report workflow (draft, coordinator review, family review, sent, archived) and corrections.",
    ),
    (outbox::TAG, "What was sent to the caseworker, when and by whom, exactly as sent. Never changed."),
    (duties::TAG, "What is to be written by when: descriptions after visits, status letters, closing letters."),
    (family_view::TAG, "What a parent may see of a case: never a secret placement address, never a CPR number."),
    (action_plans::TAG, "The parent action plan (forældrehandleplan, BL §§ 77–78)."),
    (focus_areas::TAG, "The contact person's focus areas."),
    (time_entries::TAG, "Hours registered against a referral's ordered scope."),
    (
        access_log::TAG,
        "Who accessed a case, from the audit log; and a person's own entries (the right of access to the log, CJEU C-579/21).",
    ),
    (export::TAG, "Everything held about a case's child and family, as one file (GDPR art. 15 and 20)."),
    (accounts::TAG, "Password resets: a one-time link from an admin, used once."),
];

/// Adds what the handlers do not say themselves: title, version, tags, and
/// the error answers every operation can give.
pub fn document(mut doc: OpenApi) -> OpenApi {
    doc.info = InfoBuilder::new()
        .title("Samvirke API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Case and delivery system for providers of family support in Danish child welfare.\n\n\
             Errors share one shape: `{\"error\": {\"code\", \"message\", \"fields\": [{\"field\", \"message\"}]}}`. \
             When a rule of the law or the provider's procedure blocks an action, the answer is `409` with code `rule`: \
             its message names the rule's section, and `rule` carries the rule's code, sections, statement and way forward \
             (the rules are listed in docs/RULES.md). \
             Messages are in Danish, or in English when `Accept-Language` prefers it. \
             Lists answer `{\"items\", \"next_after\"}` and take `limit` and `after`.\n\n\
             Every route but the health checks, the catalogue and this document needs a signed-in user whose \
             relation to the record allows the action: `401` without one, `403` when the access policy refuses, \
             and `404` for a record of a case the user has no relation to, as for one that does not exist. \
             Lists and searches show only what the user may see.",
        ))
        .license(Some(LicenseBuilder::new().name("EUPL-1.2").identifier(Some("EUPL-1.2")).build()))
        .build();
    doc.tags = Some(
        TAGS.iter()
            .map(|(name, description)| TagBuilder::new().name(*name).description(Some(*description)).build())
            .collect(),
    );

    let components = doc.components.get_or_insert_with(Default::default);
    let mut schemas = vec![(ErrorBody::name().into_owned(), ErrorBody::schema())];
    ErrorBody::schemas(&mut schemas);
    // The domain's `LegalRef` schema refers to `Act` without registering it.
    schemas.push((Act::name().into_owned(), Act::schema()));
    components.schemas.extend(schemas);
    // The three kinds of checked text share one generic type, so utoipa gives them one schema
    // (with the first one's length): describe all three honestly instead.
    components.schemas.insert(
        "BoundedText".into(),
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .description(Some(
                "Checked text: trimmed, not empty, without control characters. At most 120 characters \
                 for a person's name, 200 for a single line, 100,000 for multi-line text.",
            ))
            .into(),
    );
    for (name, description) in ERROR_RESPONSES {
        let response = ResponseBuilder::new()
            .description(*description)
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build();
        components.responses.insert(name.to_string(), RefOr::T(response));
    }

    for (path, item) in doc.paths.paths.iter_mut() {
        let methods = [
            (Method::GET, &mut item.get),
            (Method::PUT, &mut item.put),
            (Method::POST, &mut item.post),
            (Method::DELETE, &mut item.delete),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            name_operation(op);
            describe_responses(op);
            document_errors(op);
            let public = crate::access::policy(&method, path).is_some_and(|p| p.target == TargetOf::Public);
            if !public {
                document_access(op);
            }
        }
    }
    doc
}

/// A route that needs someone signed in answers `401` without a session and
/// `403` when the domain's policy refuses the action.
fn document_access(op: &mut Operation) {
    for (status, name) in [("401", "Unauthorized"), ("403", "Forbidden")] {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
    }
}

/// Operation ids are the handlers' names, which repeat across resources
/// (`create`, `get_one`): prefix the resource to make them unique.
fn name_operation(op: &mut Operation) {
    let tag = op.tags.iter().flatten().next().map(|t| t.replace('-', "_"));
    if let (Some(tag), Some(id)) = (tag, &op.operation_id) {
        op.operation_id = Some(format!("{tag}_{id}"));
    }
}

/// OpenAPI requires a description on every response; handlers that only give a body get the status's name.
fn describe_responses(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.is_empty()
        {
            let reason = status.parse::<u16>().ok().and_then(|s| axum::http::StatusCode::from_u16(s).ok());
            response.description = reason.and_then(|s| s.canonical_reason()).unwrap_or("Success").to_string();
        }
    }
}

const ERROR_RESPONSES: &[(&str, &str)] = &[
    ("ValidationFailed", "The request has problems, listed per field in `fields` (also a body that is not JSON)."),
    ("Unauthorized", "Nobody is signed in (`unauthorized`)."),
    (
        "Forbidden",
        "The signed-in user may not do this here (`forbidden`). A record of a case the user has no relation to is `404`, as if it did not exist.",
    ),
    ("NotFound", "No record with that id, or none the signed-in user may see."),
    ("Internal", "Something went wrong on the server; the detail is logged, never sent."),
    ("Unavailable", "The database cannot be reached, or the request took too long."),
];

fn document_errors(op: &mut Operation) {
    let params = op.parameters.iter().flatten().filter_map(|p| match p {
        RefOr::T(p) => Some(p.parameter_in.clone()),
        RefOr::Ref(_) => None,
    });
    let (mut in_path, mut in_query) = (false, false);
    for location in params {
        in_path |= matches!(location, ParameterIn::Path);
        in_query |= matches!(location, ParameterIn::Query);
    }
    let mut add = |status: &str, name: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
    };
    if in_path {
        add("404", "NotFound");
    }
    if in_query || op.request_body.is_some() {
        add("422", "ValidationFailed");
    }
    add("500", "Internal");
    add("503", "Unavailable");
}
