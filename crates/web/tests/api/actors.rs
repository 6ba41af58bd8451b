//! Sign-in for tests: a test token names an [`Actor`].
//!
//! This implementation of [`Authenticate`] lives in the tests crate only; the
//! binary has no way to name an actor but the session cookie. A request with
//! a session cookie is passed on to the real [`SessionAuth`], so that the
//! tests of sign-in and sessions run exactly what the binary runs.
//!
//! A request with `Authorization: Bearer <token>` acts as the actor the token
//! was made for ([`TestAuth::token_for`]); `Bearer anonymous` as nobody. A
//! request without the header acts *as the world would*: the tests written
//! before access control call routes without naming an actor, and keep
//! testing what they tested with the member of the current [`Directory`]
//! that the route's action is for — the coordinator of the world's provider
//! for case work, its caseworker for ordering, its team lead for the
//! provider's organisation and settings, an admin for accounts and
//! organisations, the mother for the family view. Every such request is still
//! decided by the domain's policy like any other.

use async_trait::async_trait;
use axum::extract::MatchedPath;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use samvirke_domain::organisation::StaffRole;
use samvirke_domain::policy::{Action, Actor, ActorKind};
use samvirke_domain::user::Role;
use samvirke_domain::*;
use samvirke_web::access::{TargetOf, policy};
use samvirke_web::{ApiError, Authenticate, Authentication, SessionAuth};
use std::collections::HashMap;
use std::sync::Mutex;

/// The token of nobody signed in.
pub const ANONYMOUS: &str = "anonymous";

/// The world the requests without a token act in.
#[derive(Debug, Clone, Copy, Default)]
pub struct Directory {
    pub provider: Option<ProviderId>,
    pub municipality: Option<MunicipalityId>,
    pub coordinator: Option<StaffId>,
    pub caseworker: Option<StaffId>,
    pub case: Option<CaseId>,
    pub mother: Option<FamilyMemberId>,
}

/// Test tokens and the directory; session cookies go to the real sessions.
pub struct TestAuth {
    tokens: Mutex<HashMap<String, Actor>>,
    directory: Mutex<Directory>,
    sessions: SessionAuth,
}

impl TestAuth {
    /// Test tokens, and sessions for requests with a session cookie.
    pub fn new(sessions: SessionAuth) -> Self {
        Self { tokens: Mutex::default(), directory: Mutex::default(), sessions }
    }

    /// A token that signs in as the actor.
    pub fn token_for(&self, actor: &Actor) -> String {
        let token = format!("test-{}", actor.user_id);
        self.tokens.lock().unwrap().insert(token.clone(), actor.clone());
        token
    }

    /// Changes the directory.
    pub fn update(&self, change: impl FnOnce(&mut Directory)) {
        change(&mut self.directory.lock().unwrap());
    }

    /// The directory now.
    pub fn directory(&self) -> Directory {
        *self.directory.lock().unwrap()
    }

    /// The member of the directory whom the route's action is for.
    fn as_the_world_would(&self, parts: &Parts) -> Option<Actor> {
        let route = parts.extensions.get::<MatchedPath>()?;
        let policy = policy(&parts.method, route.as_str())?;
        let d = self.directory();
        let provider = d.provider.unwrap_or_else(ProviderId::new);
        let municipality = d.municipality.unwrap_or_else(MunicipalityId::new);
        let caseworker = || caseworker(d.caseworker.unwrap_or_else(StaffId::new), municipality);
        let asks_for_municipality = parts.uri.query().is_some_and(|q| q.contains("municipality_id="));
        Some(match (policy.action, policy.target) {
            (_, TargetOf::Public) => return None,
            (Action::ManageUsers, _) => staff(StaffRole::Admin, StaffId::new(), provider),
            (Action::OrderIntervention, _) => caseworker(),
            (Action::ReadFamilyView, _) => {
                parent(d.mother.unwrap_or_else(FamilyMemberId::new), d.case.unwrap_or_else(CaseId::new))
            }
            (Action::ManageOrganisation | Action::ManageSettings, _) => {
                staff(StaffRole::TeamLead, StaffId::new(), provider)
            }
            (_, TargetOf::Municipality(_)) => caseworker(),
            (_, TargetOf::Organisation) if asks_for_municipality => caseworker(),
            _ => staff(StaffRole::Coordinator, d.coordinator.unwrap_or_else(StaffId::new), provider),
        })
    }
}

#[async_trait]
impl Authenticate for TestAuth {
    async fn authenticate(&self, parts: &Parts) -> Result<Authentication, ApiError> {
        if parts.headers.contains_key(COOKIE) {
            return self.sessions.authenticate(parts).await;
        }
        let token = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()?.strip_prefix("Bearer "));
        let actor = match token {
            None => self.as_the_world_would(parts),
            Some(ANONYMOUS) => None,
            Some(token) => self.tokens.lock().unwrap().get(token).cloned(),
        };
        Ok(Authentication { actor, session: None })
    }
}

/// Provider staff in a role.
pub fn staff(role: StaffRole, staff: StaffId, provider: ProviderId) -> Actor {
    Actor { user_id: UserId::new(), role: Role::Staff(role), who: ActorKind::ProviderStaff { staff, provider } }
}

/// A caseworker of a municipality.
pub fn caseworker(staff: StaffId, municipality: MunicipalityId) -> Actor {
    Actor {
        user_id: UserId::new(),
        role: Role::Staff(StaffRole::Caseworker),
        who: ActorKind::MunicipalStaff { staff, municipality },
    }
}

/// A parent: a family member of a case.
pub fn parent(member: FamilyMemberId, case: CaseId) -> Actor {
    Actor { user_id: UserId::new(), role: Role::Parent, who: ActorKind::FamilyMember { member, case } }
}

/// The young person of a case.
pub fn young_person(case: CaseId) -> Actor {
    Actor { user_id: UserId::new(), role: Role::YoungPerson, who: ActorKind::Child { case } }
}
