//! User accounts: staff, and the parents and young people who see their own plans.

use crate::Localized;
use crate::ids::*;
use crate::organisation::StaffRole;
use crate::text::PersonName;
use crate::validation::Problem;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// A sign-in name: 3–64 characters of a–z, 0–9, `.`, `-`, `_` (stored lower case).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// Parses user input.
    pub fn parse(input: &str) -> Result<Self, Problem> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(Problem::Required);
        }
        if s.chars().count() > 64 {
            return Err(Problem::TooLong { max: 64 });
        }
        if s.chars().count() < 3
            || !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        {
            return Err(Problem::Username);
        }
        Ok(Self(s))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).map_err(|p| p.message(crate::Lang::En))
    }
}

impl From<Username> for String {
    fn from(u: Username) -> String {
        u.0
    }
}

impl fmt::Debug for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Username({})", self.0)
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a user account can act as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A member of staff with a staff role.
    Staff(StaffRole),
    /// A parent or network member of a case, seeing their own family only.
    Parent,
    /// A young person, seeing their own plans and agreements.
    YoungPerson,
}

impl Role {
    /// The stable code (`practitioner`, `coordinator`, …, `parent`, `young_person`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Staff(StaffRole::Practitioner) => "practitioner",
            Role::Staff(StaffRole::Coordinator) => "coordinator",
            Role::Staff(StaffRole::TeamLead) => "team_lead",
            Role::Staff(StaffRole::Caseworker) => "caseworker",
            Role::Staff(StaffRole::Admin) => "admin",
            Role::Parent => "parent",
            Role::YoungPerson => "young_person",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Role> {
        [
            Role::Staff(StaffRole::Practitioner),
            Role::Staff(StaffRole::Coordinator),
            Role::Staff(StaffRole::TeamLead),
            Role::Staff(StaffRole::Caseworker),
            Role::Staff(StaffRole::Admin),
            Role::Parent,
            Role::YoungPerson,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// The role's name.
    pub fn name(self) -> Localized {
        match self {
            Role::Staff(r) => r.name(),
            Role::Parent => Localized::new("Forælder", "Parent"),
            Role::YoungPerson => Localized::new("Ung", "Young person"),
        }
    }
}

/// Whom an account belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A member of staff.
    Staff(StaffId),
    /// A family member of a case.
    FamilyMember(FamilyMemberId),
    /// The child of a case (a young person).
    Child(CaseId),
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Sign-in name.
    pub username: Username,
    /// Name shown in the interface.
    pub display_name: PersonName,
    /// Role.
    pub role: Role,
    /// The person behind the account.
    pub subject: Subject,
    /// False when disabled.
    pub active: bool,
    /// When created.
    pub created_at: Timestamp,
}

impl User {
    /// Checks that a role and a subject fit together.
    pub fn check_subject(role: Role, subject: Subject) -> Result<(), Problem> {
        match (role, subject) {
            (Role::Staff(_), Subject::Staff(_))
            | (Role::Parent, Subject::FamilyMember(_))
            | (Role::YoungPerson, Subject::Child(_)) => Ok(()),
            _ => Err(Problem::NotAllowed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_case_and_limited_to_safe_characters() {
        assert_eq!(Username::parse(" Anna.B ").unwrap().as_str(), "anna.b");
        assert_eq!(Username::parse("ab"), Err(Problem::Username));
        assert_eq!(Username::parse("anna b"), Err(Problem::Username));
        assert_eq!(Username::parse("ænne"), Err(Problem::Username));
    }

    #[test]
    fn role_codes_round_trip() {
        for code in ["practitioner", "coordinator", "team_lead", "caseworker", "admin", "parent", "young_person"] {
            assert_eq!(Role::from_code(code).unwrap().code(), code);
        }
    }
}
