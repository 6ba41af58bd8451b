//! Who may do what: the one place access is decided.
//!
//! [`decide`] answers "may this actor do this action on this target?" from
//! the actor's role and their relation to the record — need to know, not
//! rank. The web layer works out the facts (who the actor is, which case a
//! record belongs to, who works on that case) and asks; it never decides.
//!
//! The relations, in short:
//! - a **practitioner** sees and documents only the cases they work on
//!   (assigned to a referral of the case);
//! - a **coordinator** works on every case of their own provider: they accept
//!   new referrals, assign, plan, review and send;
//! - a **team lead** sees their provider's cases, hours and duties, and sets
//!   the provider's rules, but writes no case content;
//! - a **caseworker** sees the cases of their own municipality, and there
//!   only what the municipality ordered and received (never the provider's
//!   internal journal or draft reports); nothing of another municipality;
//! - a **parent** or **young person** sees their own family's view, in which
//!   a secret address and other members' protected data never appear, and
//!   who accessed their data;
//! - an **admin** manages their provider's accounts (its staff's and its
//!   cases' families'; never another provider's nor a caseworker's), staff
//!   and their roles, rooms and settings and answers data-protection
//!   requests, but reads no case content.

use crate::ids::*;
use crate::organisation::StaffRole;
use crate::user::Role;
use serde::Serialize;
use utoipa::ToSchema;

/// Who is asking, as established by their session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account.
    pub user_id: UserId,
    /// The account's role.
    pub role: Role,
    /// Who the account belongs to.
    pub who: ActorKind,
}

/// The person behind an account and where they belong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// Provider staff.
    ProviderStaff {
        /// The member of staff.
        staff: StaffId,
        /// Their provider.
        provider: ProviderId,
    },
    /// A municipal caseworker.
    MunicipalStaff {
        /// The member of staff.
        staff: StaffId,
        /// Their municipality.
        municipality: MunicipalityId,
    },
    /// A family member of a case (parent).
    FamilyMember {
        /// The member.
        member: FamilyMemberId,
        /// Their case.
        case: CaseId,
    },
    /// The child of a case (young person).
    Child {
        /// Their case.
        case: CaseId,
    },
}

/// What the decision needs to know about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    /// The case.
    pub case: CaseId,
    /// The provider delivering.
    pub provider: ProviderId,
    /// The ordering municipality.
    pub municipality: MunicipalityId,
    /// Practitioners assigned to a referral of the case or to one of its appointments.
    pub practitioners: Vec<StaffId>,
}

/// What is acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// Something of one case.
    Case(&'a CaseFacts),
    /// Something of a provider (staff, rooms, settings, duties).
    Provider(ProviderId),
    /// A member of a provider's staff (their record, absences and shifts).
    StaffMember {
        /// Their employer.
        provider: ProviderId,
        /// Who.
        staff: StaffId,
    },
    /// Something of a municipality (its referrals, its caseworkers).
    Municipality(MunicipalityId),
    /// A user's own account and data.
    OwnData(UserId),
    /// Nothing personal (the catalogue, health).
    Public,
    /// A user account, by the organisation it belongs to: a provider-staff
    /// account its provider; a parent's or young person's account the provider
    /// of their case; a municipal caseworker's account `None` (managed by the
    /// operator with the `samvirke user` command, never through the API).
    Account {
        /// The provider the account belongs to.
        provider: Option<ProviderId>,
    },
    /// The whole system (organisations, audit verification).
    System,
}

/// Everything a user can do, one per route of the API and the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read what is public (the catalogue).
    ReadPublic,
    /// List or find cases (results are filtered per case).
    ListCases,
    /// Read a case, its family and placement.
    ReadCase,
    /// Create or change a case and its family.
    WriteCase,
    /// Read referrals, their versions and required consents.
    ReadReferral,
    /// Order an intervention, or change its terms.
    OrderIntervention,
    /// Accept, reject, activate, end or close a referral.
    HandleReferral,
    /// Read consents, committee decisions and suspensions.
    ReadConsentsAndDecisions,
    /// Record consents and their withdrawal.
    RecordConsent,
    /// Record a committee decision or a suspension.
    RecordDecision,
    /// Read appointments.
    ReadAppointments,
    /// Plan, move or delete appointments.
    PlanAppointments,
    /// Record an appointment's outcome.
    RecordOutcome,
    /// Read the provider's journal of the case.
    ReadJournal,
    /// Write to the journal.
    WriteJournal,
    /// Read reports in any state (drafts included).
    ReadDrafts,
    /// Read reports that were sent.
    ReadSentReports,
    /// Write a report or a version, submit it.
    WriteReport,
    /// Review, approve, return, send, archive a report.
    ReviewReport,
    /// Record the family's review of a report.
    RecordFamilyReview,
    /// Read action plans and focus areas.
    ReadPlans,
    /// Change action plans and focus areas.
    WritePlans,
    /// Read registered hours.
    ReadHours,
    /// Register hours.
    RegisterHours,
    /// The family's own view of their case.
    ReadFamilyView,
    /// See who has looked at a case.
    ReadCaseAccessLog,
    /// Export everything held about a person (data-protection access request).
    ExportPersonData,
    /// Erase or anonymise a closed case.
    EraseCase,
    /// Read the provider's staff and rooms.
    ReadOrganisation,
    /// Manage staff and rooms.
    ManageOrganisation,
    /// Register absences and offer shifts: one's own, or anyone's at the
    /// provider as coordinator, team lead or admin.
    ManageAvailability,
    /// Ask the planner for a plan of the provider's appointments and accept it.
    PlanSchedule,
    /// Read documentation duties and expiring decisions.
    ReadDuties,
    /// Read or change the provider's documentation settings.
    ManageSettings,
    /// Read the outbox (what was sent to caseworkers).
    ReadOutbox,
    /// Manage user accounts, reset passwords.
    ManageUsers,
    /// Read one's own account and who accessed one's data.
    ReadOwnData,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 37] = [
        Action::ReadPublic,
        Action::ListCases,
        Action::ReadCase,
        Action::WriteCase,
        Action::ReadReferral,
        Action::OrderIntervention,
        Action::HandleReferral,
        Action::ReadConsentsAndDecisions,
        Action::RecordConsent,
        Action::RecordDecision,
        Action::ReadAppointments,
        Action::PlanAppointments,
        Action::RecordOutcome,
        Action::ReadJournal,
        Action::WriteJournal,
        Action::ReadDrafts,
        Action::ReadSentReports,
        Action::WriteReport,
        Action::ReviewReport,
        Action::RecordFamilyReview,
        Action::ReadPlans,
        Action::WritePlans,
        Action::ReadHours,
        Action::RegisterHours,
        Action::ReadFamilyView,
        Action::ReadCaseAccessLog,
        Action::ExportPersonData,
        Action::EraseCase,
        Action::ReadOrganisation,
        Action::ManageOrganisation,
        Action::ManageAvailability,
        Action::PlanSchedule,
        Action::ReadDuties,
        Action::ManageSettings,
        Action::ReadOutbox,
        Action::ManageUsers,
        Action::ReadOwnData,
    ];
}

/// How an actor stands to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// A practitioner assigned to the case.
    AssignedPractitioner,
    /// A coordinator of the case's provider.
    Coordinator,
    /// The team lead of the case's provider.
    TeamLead,
    /// An admin of the case's provider.
    Admin,
    /// A caseworker of the ordering municipality.
    Caseworker,
    /// A family member of the case.
    Family,
    /// The child of the case.
    Child,
    /// No relation: sees nothing of the case.
    None,
}

/// How the actor stands to the case.
pub fn relation(actor: &Actor, facts: &CaseFacts) -> Relation {
    match (actor.role, actor.who) {
        (Role::Staff(role), ActorKind::ProviderStaff { staff, provider }) if provider == facts.provider => match role {
            StaffRole::Practitioner if facts.practitioners.contains(&staff) => Relation::AssignedPractitioner,
            StaffRole::Coordinator => Relation::Coordinator,
            StaffRole::TeamLead => Relation::TeamLead,
            StaffRole::Admin => Relation::Admin,
            _ => Relation::None,
        },
        (Role::Staff(StaffRole::Caseworker), ActorKind::MunicipalStaff { municipality, .. })
            if municipality == facts.municipality =>
        {
            Relation::Caseworker
        }
        (Role::Parent, ActorKind::FamilyMember { case, .. }) if case == facts.case => Relation::Family,
        (Role::YoungPerson, ActorKind::Child { case }) if case == facts.case => Relation::Child,
        _ => Relation::None,
    }
}

/// What a relation may do on a case.
fn case_allows(rel: Relation, action: Action) -> bool {
    use Action::*;
    use Relation as R;
    match rel {
        R::Coordinator => matches!(
            action,
            ListCases
                | ReadCase
                | WriteCase
                | ReadReferral
                | HandleReferral
                | ReadConsentsAndDecisions
                | RecordConsent
                | RecordDecision
                | ReadAppointments
                | PlanAppointments
                | RecordOutcome
                | ReadJournal
                | WriteJournal
                | ReadDrafts
                | ReadSentReports
                | WriteReport
                | ReviewReport
                | RecordFamilyReview
                | ReadPlans
                | WritePlans
                | ReadHours
                | RegisterHours
                | ReadCaseAccessLog
                | ReadOutbox
        ),
        R::AssignedPractitioner => matches!(
            action,
            ListCases
                | ReadCase
                | ReadReferral
                | ReadConsentsAndDecisions
                | RecordConsent
                | ReadAppointments
                | RecordOutcome
                | ReadJournal
                | WriteJournal
                | ReadDrafts
                | ReadSentReports
                | WriteReport
                | RecordFamilyReview
                | ReadPlans
                | WritePlans
                | ReadHours
                | RegisterHours
        ),
        R::TeamLead => matches!(
            action,
            ListCases
                | ReadCase
                | ReadReferral
                | ReadConsentsAndDecisions
                | ReadAppointments
                | ReadSentReports
                | ReadPlans
                | ReadHours
                | ReadCaseAccessLog
                | ReadOutbox
        ),
        R::Admin => matches!(action, ReadCaseAccessLog | ExportPersonData | EraseCase),
        R::Caseworker => matches!(
            action,
            ListCases
                | ReadCase
                | WriteCase
                | ReadReferral
                | OrderIntervention
                | ReadConsentsAndDecisions
                | RecordDecision
                | ReadAppointments
                | ReadSentReports
                | ReadPlans
                | ReadHours
                | ReadOutbox
        ),
        R::Family | R::Child => matches!(action, ReadFamilyView),
        R::None => false,
    }
}

/// Why access was refused; what the user is told is only "no access".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The actor has no relation to the record that allows the action.
    NoRelation,
    /// The action is not one this role ever does.
    NotForRole,
}

/// Decides whether the actor may do the action on the target.
pub fn decide(actor: &Actor, action: Action, target: Target<'_>) -> Result<(), Denied> {
    use Action::*;
    let staff_role = match actor.role {
        Role::Staff(r) => Some(r),
        _ => None,
    };
    let allowed = match target {
        Target::Public => action == ReadPublic,
        Target::Case(facts) => case_allows(relation(actor, facts), action),
        Target::StaffMember { provider: p, staff: member } => {
            let own = matches!(actor.who, ActorKind::ProviderStaff { provider, .. } if provider == p);
            let myself = matches!(actor.who, ActorKind::ProviderStaff { staff, .. } if staff == member);
            match action {
                ManageAvailability => {
                    own && (myself
                        || matches!(staff_role, Some(StaffRole::Coordinator | StaffRole::TeamLead | StaffRole::Admin)))
                }
                _ => return decide(actor, action, Target::Provider(p)),
            }
        }
        Target::Provider(p) => {
            let own = matches!(actor.who, ActorKind::ProviderStaff { provider, .. } if provider == p);
            own && match action {
                PlanSchedule => matches!(staff_role, Some(StaffRole::Coordinator | StaffRole::TeamLead)),
                ReadOrganisation => true,
                ManageOrganisation => matches!(staff_role, Some(StaffRole::Admin | StaffRole::TeamLead)),
                ManageSettings => matches!(staff_role, Some(StaffRole::Admin | StaffRole::TeamLead)),
                ReadDuties | ListCases => {
                    matches!(staff_role, Some(StaffRole::Coordinator | StaffRole::TeamLead | StaffRole::Practitioner))
                }
                ReadOutbox => matches!(staff_role, Some(StaffRole::Coordinator | StaffRole::TeamLead)),
                _ => false,
            }
        }
        Target::Municipality(m) => {
            let own = matches!(actor.who, ActorKind::MunicipalStaff { municipality, .. } if municipality == m);
            own && matches!(action, ListCases | OrderIntervention | ReadOutbox | ReadOrganisation)
        }
        Target::OwnData(user) => user == actor.user_id && action == ReadOwnData,
        Target::Account { provider: Some(p) } => {
            let own = matches!(actor.who, ActorKind::ProviderStaff { provider, .. } if provider == p);
            own && action == ManageUsers && staff_role == Some(StaffRole::Admin)
        }
        Target::Account { provider: None } => false,
        Target::System => match action {
            ManageUsers => staff_role == Some(StaffRole::Admin),
            ReadOwnData => true,
            ReadPublic => true,
            _ => false,
        },
    };
    if allowed {
        return Ok(());
    }
    let ever = match target {
        Target::Case(_) => [
            Relation::AssignedPractitioner,
            Relation::Coordinator,
            Relation::TeamLead,
            Relation::Admin,
            Relation::Caseworker,
            Relation::Family,
            Relation::Child,
        ]
        .into_iter()
        .filter(|r| role_has_relation(actor.role, *r))
        .any(|r| case_allows(r, action)),
        _ => true,
    };
    Err(if ever { Denied::NoRelation } else { Denied::NotForRole })
}

fn role_has_relation(role: Role, rel: Relation) -> bool {
    matches!(
        (role, rel),
        (Role::Staff(StaffRole::Practitioner), Relation::AssignedPractitioner)
            | (Role::Staff(StaffRole::Coordinator), Relation::Coordinator)
            | (Role::Staff(StaffRole::TeamLead), Relation::TeamLead)
            | (Role::Staff(StaffRole::Admin), Relation::Admin)
            | (Role::Staff(StaffRole::Caseworker), Relation::Caseworker)
            | (Role::Parent, Relation::Family)
            | (Role::YoungPerson, Relation::Child)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct World {
        provider: ProviderId,
        other_provider: ProviderId,
        municipality: MunicipalityId,
        other_municipality: MunicipalityId,
        case: CaseFacts,
        assigned: StaffId,
        member: FamilyMemberId,
    }

    fn world() -> World {
        let provider = ProviderId::new();
        let municipality = MunicipalityId::new();
        let assigned = StaffId::new();
        let case = CaseFacts { case: CaseId::new(), provider, municipality, practitioners: vec![assigned] };
        World {
            provider,
            other_provider: ProviderId::new(),
            municipality,
            other_municipality: MunicipalityId::new(),
            case,
            assigned,
            member: FamilyMemberId::new(),
        }
    }

    fn staff(role: StaffRole, staff: StaffId, provider: ProviderId) -> Actor {
        Actor { user_id: UserId::new(), role: Role::Staff(role), who: ActorKind::ProviderStaff { staff, provider } }
    }

    fn caseworker(municipality: MunicipalityId) -> Actor {
        Actor {
            user_id: UserId::new(),
            role: Role::Staff(StaffRole::Caseworker),
            who: ActorKind::MunicipalStaff { staff: StaffId::new(), municipality },
        }
    }

    #[test]
    fn a_practitioner_sees_only_the_cases_they_work_on() {
        let w = world();
        let assigned = staff(StaffRole::Practitioner, w.assigned, w.provider);
        let colleague = staff(StaffRole::Practitioner, StaffId::new(), w.provider);
        let t = Target::Case(&w.case);
        assert!(decide(&assigned, Action::ReadJournal, t).is_ok());
        assert!(decide(&assigned, Action::WriteReport, t).is_ok());
        assert_eq!(decide(&assigned, Action::ReviewReport, t), Err(Denied::NotForRole), "review is the coordinator's");
        assert_eq!(decide(&colleague, Action::ReadCase, t), Err(Denied::NoRelation));
    }

    #[test]
    fn a_caseworker_sees_nothing_of_another_municipalitys_cases() {
        let w = world();
        let own = caseworker(w.municipality);
        let other = caseworker(w.other_municipality);
        let t = Target::Case(&w.case);
        assert!(decide(&own, Action::ReadSentReports, t).is_ok());
        assert!(decide(&own, Action::OrderIntervention, t).is_ok());
        for a in Action::ALL {
            assert!(decide(&other, a, t).is_err(), "{a:?}");
        }
        assert!(decide(&own, Action::ReadJournal, t).is_err(), "the provider's journal is internal");
        assert!(decide(&own, Action::ReadDrafts, t).is_err(), "drafts are not the municipality's");
        assert!(decide(&own, Action::ListCases, Target::Municipality(w.municipality)).is_ok());
        assert!(decide(&own, Action::ListCases, Target::Municipality(w.other_municipality)).is_err());
    }

    #[test]
    fn a_parent_sees_only_their_own_familys_view() {
        let w = world();
        let parent = Actor {
            user_id: UserId::new(),
            role: Role::Parent,
            who: ActorKind::FamilyMember { member: w.member, case: w.case.case },
        };
        let t = Target::Case(&w.case);
        let allowed: Vec<Action> = Action::ALL.into_iter().filter(|a| decide(&parent, *a, t).is_ok()).collect();
        assert_eq!(allowed, [Action::ReadFamilyView]);
        let other = CaseFacts { case: CaseId::new(), ..w.case.clone() };
        assert!(decide(&parent, Action::ReadFamilyView, Target::Case(&other)).is_err());
        assert!(decide(&parent, Action::ReadOwnData, Target::OwnData(parent.user_id)).is_ok());
        assert!(decide(&parent, Action::ReadOwnData, Target::OwnData(UserId::new())).is_err());
    }

    #[test]
    fn staff_of_another_provider_see_nothing() {
        let w = world();
        for role in [StaffRole::Practitioner, StaffRole::Coordinator, StaffRole::TeamLead, StaffRole::Admin] {
            let actor = staff(role, w.assigned, w.other_provider);
            for a in Action::ALL {
                assert!(decide(&actor, a, Target::Case(&w.case)).is_err(), "{role:?} {a:?}");
                assert!(decide(&actor, a, Target::Provider(w.provider)).is_err(), "{role:?} {a:?}");
            }
        }
    }

    #[test]
    fn an_admin_manages_accounts_but_reads_no_case_content() {
        let w = world();
        let admin = staff(StaffRole::Admin, StaffId::new(), w.provider);
        let t = Target::Case(&w.case);
        for a in [Action::ReadCase, Action::ReadJournal, Action::ReadDrafts, Action::ReadSentReports] {
            assert!(decide(&admin, a, t).is_err(), "{a:?}");
        }
        assert!(decide(&admin, Action::ExportPersonData, t).is_ok());
        assert!(decide(&admin, Action::ManageUsers, Target::System).is_ok());
        let coordinator = staff(StaffRole::Coordinator, StaffId::new(), w.provider);
        assert!(decide(&coordinator, Action::ManageUsers, Target::System).is_err());
        assert!(decide(&coordinator, Action::ReviewReport, t).is_ok());
    }

    #[test]
    fn an_admin_manages_only_the_accounts_of_their_own_provider() {
        let w = world();
        let admin = staff(StaffRole::Admin, StaffId::new(), w.provider);
        let own = Target::Account { provider: Some(w.provider) };
        assert!(decide(&admin, Action::ManageUsers, own).is_ok(), "own staff and own families' accounts");
        let foreign = Target::Account { provider: Some(w.other_provider) };
        assert!(decide(&admin, Action::ManageUsers, foreign).is_err(), "another provider's accounts");
        let municipal = Target::Account { provider: None };
        assert!(decide(&admin, Action::ManageUsers, municipal).is_err(), "a caseworker's account: the operator's");
        for role in [StaffRole::Practitioner, StaffRole::Coordinator, StaffRole::TeamLead] {
            let actor = staff(role, StaffId::new(), w.provider);
            assert!(decide(&actor, Action::ManageUsers, own).is_err(), "{role:?}");
        }
        let other_admin = staff(StaffRole::Admin, StaffId::new(), w.other_provider);
        assert!(decide(&other_admin, Action::ManageUsers, own).is_err());
        assert!(decide(&caseworker(w.municipality), Action::ManageUsers, municipal).is_err());
        let parent = Actor {
            user_id: UserId::new(),
            role: Role::Parent,
            who: ActorKind::FamilyMember { member: w.member, case: w.case.case },
        };
        for a in Action::ALL {
            assert!(decide(&parent, a, own).is_err(), "{a:?}");
            assert!(decide(&admin, a, own).is_ok() == (a == Action::ManageUsers), "{a:?}");
        }
    }

    #[test]
    fn everyone_may_read_the_catalogue_and_nothing_else_is_public() {
        let w = world();
        let parent = Actor {
            user_id: UserId::new(),
            role: Role::Parent,
            who: ActorKind::FamilyMember { member: w.member, case: w.case.case },
        };
        assert!(decide(&parent, Action::ReadPublic, Target::Public).is_ok());
        for a in Action::ALL.into_iter().filter(|a| *a != Action::ReadPublic) {
            assert!(decide(&parent, a, Target::Public).is_err(), "{a:?}");
        }
    }
}
