//! Providers, municipalities, staff and rooms.

use crate::Localized;
use crate::ids::*;
use crate::text::{Email, PersonName, ShortText};
use crate::time::{TimeRange, WeeklyPattern};
use crate::validation::Problem;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The unit that delivers interventions (a family house, a visitation centre, a private provider).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Provider {
    /// Identifier.
    pub id: ProviderId,
    /// Name.
    pub name: ShortText,
    /// The municipalities it serves.
    pub municipalities: Vec<MunicipalityId>,
}

/// The official three-digit code of a Danish municipality (101 København … 860 Hjørring).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "u16", into = "u16")]
pub struct MunicipalityCode(u16);

impl MunicipalityCode {
    /// Parses a code in the Danish range.
    pub fn new(code: u16) -> Result<Self, Problem> {
        if (101..=860).contains(&code) { Ok(Self(code)) } else { Err(Problem::MunicipalityCode) }
    }

    /// The code.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for MunicipalityCode {
    type Error = String;
    fn try_from(c: u16) -> Result<Self, Self::Error> {
        Self::new(c).map_err(|p| p.message(crate::Lang::En))
    }
}

impl From<MunicipalityCode> for u16 {
    fn from(c: MunicipalityCode) -> u16 {
        c.0
    }
}

/// A municipality: the ordering authority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Municipality {
    /// Identifier.
    pub id: MunicipalityId,
    /// Official code.
    pub code: MunicipalityCode,
    /// Name, e.g. `Herning Kommune`.
    pub name: ShortText,
}

/// What a person does in Samvirke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Delivers sessions (samværskonsulent, familiebehandler, kontaktperson).
    Practitioner,
    /// Accepts referrals, assigns practitioners, approves reports (faglig koordinator).
    Coordinator,
    /// Management, statistics, hours (teamleder).
    TeamLead,
    /// Municipal caseworker (socialrådgiver) who orders interventions.
    Caseworker,
    /// Administers accounts and settings.
    Admin,
}

impl StaffRole {
    /// All roles.
    pub const ALL: [StaffRole; 5] =
        [StaffRole::Practitioner, StaffRole::Coordinator, StaffRole::TeamLead, StaffRole::Caseworker, StaffRole::Admin];

    /// The role's name.
    pub fn name(self) -> Localized {
        match self {
            StaffRole::Practitioner => Localized::new("Medarbejder", "Practitioner"),
            StaffRole::Coordinator => Localized::new("Faglig koordinator", "Coordinator"),
            StaffRole::TeamLead => Localized::new("Teamleder", "Team lead"),
            StaffRole::Caseworker => Localized::new("Sagsbehandler", "Caseworker"),
            StaffRole::Admin => Localized::new("Administrator", "Administrator"),
        }
    }

    /// Caseworkers work for a municipality; everyone else for a provider.
    pub fn is_municipal(self) -> bool {
        self == StaffRole::Caseworker
    }
}

/// How a person is employed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Employment {
    /// Fastansat.
    Permanent,
    /// Timelønnet.
    Hourly,
}

/// Whom a member of staff works for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Employer {
    /// A provider.
    Provider(ProviderId),
    /// A municipality (caseworkers).
    Municipality(MunicipalityId),
}

/// A member of staff: provider staff or a municipal caseworker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Staff {
    /// Identifier.
    pub id: StaffId,
    /// Full name.
    pub name: PersonName,
    /// Role.
    pub role: StaffRole,
    /// Employer; a caseworker's is a municipality, everyone else's a provider.
    pub employer: Employer,
    /// Permanent or hourly (provider staff).
    pub employment: Employment,
    /// Work e-mail, for notifications that carry a link and never case content.
    pub email: Option<Email>,
    /// Trained to supervise visits (required for supervised visitation).
    pub supervision_trained: bool,
    /// Weekly working pattern (permanent staff), in local time.
    pub working_pattern: WeeklyPattern,
    /// Most minutes a week this person may be planned for.
    pub max_weekly_minutes: Option<u32>,
    /// False once the person has left; kept for history.
    pub active: bool,
}

impl Staff {
    /// Checks that role and employer fit together.
    pub fn check_employer(role: StaffRole, employer: Employer) -> Result<(), Problem> {
        match (role.is_municipal(), employer) {
            (true, Employer::Municipality(_)) | (false, Employer::Provider(_)) => Ok(()),
            _ => Err(Problem::NotAllowed),
        }
    }

    /// The provider this person works for, if any.
    pub fn provider(&self) -> Option<ProviderId> {
        match self.employer {
            Employer::Provider(p) => Some(p),
            Employer::Municipality(_) => None,
        }
    }

    /// The municipality this person works for, if a caseworker.
    pub fn municipality(&self) -> Option<MunicipalityId> {
        match self.employer {
            Employer::Municipality(m) => Some(m),
            Employer::Provider(_) => None,
        }
    }
}

/// Why someone is away. Only the kind is kept: no health details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceKind {
    /// Sick.
    Sick,
    /// Holiday.
    Holiday,
    /// Course or training.
    Course,
    /// Anything else.
    Other,
}

/// A period in which a member of staff cannot be planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Absence {
    /// Identifier.
    pub id: AbsenceId,
    /// Who is away.
    pub staff_id: StaffId,
    /// When.
    pub during: TimeRange,
    /// Why.
    pub kind: AbsenceKind,
}

/// A room at a provider where visits and meetings take place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Room {
    /// Identifier.
    pub id: RoomId,
    /// The provider the room belongs to.
    pub provider_id: ProviderId,
    /// Name, e.g. `Samværsrum 1`.
    pub name: ShortText,
    /// How many people fit.
    pub capacity: u16,
    /// Suitable for visitation (toys, dining table).
    pub suitable_for_visits: bool,
    /// Opening hours, in local time; empty means always open.
    pub opening_hours: WeeklyPattern,
    /// False when no longer in use.
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_codes_are_in_the_danish_range() {
        assert!(MunicipalityCode::new(101).is_ok());
        assert!(MunicipalityCode::new(860).is_ok());
        assert_eq!(MunicipalityCode::new(100), Err(Problem::MunicipalityCode));
        assert_eq!(MunicipalityCode::new(861), Err(Problem::MunicipalityCode));
    }

    #[test]
    fn caseworkers_work_for_municipalities_and_others_for_providers() {
        let p = Employer::Provider(ProviderId::new());
        let m = Employer::Municipality(MunicipalityId::new());
        assert!(Staff::check_employer(StaffRole::Caseworker, m).is_ok());
        assert!(Staff::check_employer(StaffRole::Caseworker, p).is_err());
        assert!(Staff::check_employer(StaffRole::Practitioner, p).is_ok());
        assert!(Staff::check_employer(StaffRole::Coordinator, m).is_err());
    }
}
