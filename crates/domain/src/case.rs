//! Cases: one child, their family and network, and where the child lives.

use crate::Localized;
use crate::cpr::Cpr;
use crate::ids::*;
use crate::text::{Email, PersonName, ShortText};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use utoipa::ToSchema;

/// A short, non-personal reference for a case, safe to show in calendars and lists (e.g. `S-7K2QF9MD`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct CaseReference(String);

impl CaseReference {
    const ALPHABET: &'static [u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// Derives the reference from the random part of a case id (Crockford base32, 40 bits).
    pub fn from_id(id: CaseId) -> Self {
        let bits = u64::from_be_bytes(id.0.as_bytes()[8..16].try_into().expect("8 bytes")) & ((1 << 40) - 1);
        let s: String = (0..8).rev().map(|i| Self::ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
        Self(format!("S-{s}"))
    }

    /// Wraps a stored reference.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    /// The reference.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Cpr {
    /// Serialises masked: the full number leaves only through [`Cpr::reveal`].
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.masked())
    }
}

impl utoipa::PartialSchema for Cpr {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("CPR number, masked: DDMMYY-xxxx"))
            .examples(["010215-xxxx"])
            .into()
    }
}

impl ToSchema for Cpr {}

/// The child (or young person) the case is about.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Child {
    /// Full name.
    pub name: PersonName,
    /// CPR number (shown masked).
    pub cpr: Cpr,
}

impl Child {
    /// Date of birth, from the CPR number.
    pub fn birth_date(&self) -> Date {
        self.cpr.birth_date()
    }

    /// Age in whole years on a given date.
    pub fn age_on(&self, on: Date) -> u8 {
        age_on(self.birth_date(), on)
    }
}

/// Age in whole years on a date. A person born on 29 February has their
/// birthday on 1 March in years that are not leap years.
pub fn age_on(birth: Date, on: Date) -> u8 {
    if on < birth {
        return 0;
    }
    let mut years = on.year() - birth.year();
    let birthday_this_year =
        Date::new(on.year(), birth.month(), birth.day()).unwrap_or_else(|_| jiff::civil::date(on.year(), 3, 1));
    if on < birthday_this_year {
        years -= 1;
    }
    years.clamp(0, 255) as u8
}

/// Where a child in care lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlacementKind {
    /// Plejefamilie.
    FosterFamily,
    /// Netværksplejefamilie (family or network as foster family).
    NetworkFosterFamily,
    /// Døgninstitution.
    ResidentialInstitution,
    /// Socialpædagogisk opholdssted.
    ResidentialHome,
    /// Eget værelse, kollegium eller lignende.
    OwnRoom,
}

impl PlacementKind {
    /// The kind's name.
    pub fn name(self) -> Localized {
        match self {
            PlacementKind::FosterFamily => Localized::new("Plejefamilie", "Foster family"),
            PlacementKind::NetworkFosterFamily => Localized::new("Netværksplejefamilie", "Kinship foster family"),
            PlacementKind::ResidentialInstitution => Localized::new("Døgninstitution", "Residential institution"),
            PlacementKind::ResidentialHome => Localized::new("Opholdssted", "Residential home"),
            PlacementKind::OwnRoom => Localized::new("Eget værelse", "Own room"),
        }
    }
}

/// The placement setting of a child in care.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlacementSetting {
    /// Kind of placement.
    pub kind: PlacementKind,
    /// Name, e.g. a foster family's surname or an institution's name.
    pub name: ShortText,
    /// Postal address.
    pub address: Option<ShortText>,
    /// The committee has decided the address is kept secret from the parents:
    /// it must never reach them, on a screen or in a letter.
    pub address_secret: bool,
    /// The caregiver (omsorgsperson) the practitioner talks with.
    pub caregiver_name: Option<PersonName>,
    /// The caregiver's phone.
    pub caregiver_phone: Option<ShortText>,
}

/// A case: one child and their family at one provider, ordered by one municipality.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Case {
    /// Identifier.
    pub id: CaseId,
    /// Non-personal reference.
    pub reference: CaseReference,
    /// The provider delivering.
    pub provider_id: ProviderId,
    /// The ordering municipality.
    pub municipality_id: MunicipalityId,
    /// The child.
    pub child: Child,
    /// Where the child lives when placed; absent when the child lives at home.
    pub placement: Option<PlacementSetting>,
    /// The date the case was opened at the provider.
    pub opened_on: Date,
    /// The date it was closed.
    pub closed_on: Option<Date>,
    /// When the record was created.
    pub created_at: Timestamp,
    /// Incremented on every change; a change based on an older revision is refused.
    pub revision: u32,
}

/// How a family member is related to the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Mor.
    Mother,
    /// Far.
    Father,
    /// Medmor or other legal parent.
    Parent,
    /// Stedforælder.
    StepParent,
    /// Bedsteforælder.
    Grandparent,
    /// Søskende.
    Sibling,
    /// Other relative (aunt, uncle, cousin).
    OtherRelative,
    /// Plejeforælder.
    FosterParent,
    /// Ven, other network.
    Friend,
}

impl Relation {
    /// The relation's name.
    pub fn name(self) -> Localized {
        match self {
            Relation::Mother => Localized::new("Mor", "Mother"),
            Relation::Father => Localized::new("Far", "Father"),
            Relation::Parent => Localized::new("Forælder", "Parent"),
            Relation::StepParent => Localized::new("Stedforælder", "Step-parent"),
            Relation::Grandparent => Localized::new("Bedsteforælder", "Grandparent"),
            Relation::Sibling => Localized::new("Søskende", "Sibling"),
            Relation::OtherRelative => Localized::new("Anden slægtning", "Other relative"),
            Relation::FosterParent => Localized::new("Plejeforælder", "Foster parent"),
            Relation::Friend => Localized::new("Ven/netværk", "Friend/network"),
        }
    }
}

/// The part a person plays in the case. One person can have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FamilyRole {
    /// Forældremyndighedsindehaver: consents to supported visitation and § 32 measures.
    CustodyHolder,
    /// Samværsforælder: the parent who has visits with the child.
    VisitingParent,
    /// Network member with a right to visits (grandparents, siblings, friends).
    NetworkMember,
    /// Omsorgsperson at the placement setting.
    Caregiver,
}

impl FamilyRole {
    /// The role's name.
    pub fn name(self) -> Localized {
        match self {
            FamilyRole::CustodyHolder => Localized::new("Forældremyndighedsindehaver", "Custody holder"),
            FamilyRole::VisitingParent => Localized::new("Samværsforælder", "Visiting parent"),
            FamilyRole::NetworkMember => Localized::new("Netværk", "Network member"),
            FamilyRole::Caregiver => Localized::new("Omsorgsperson", "Caregiver"),
        }
    }
}

/// A member of the child's family or network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FamilyMember {
    /// Identifier.
    pub id: FamilyMemberId,
    /// The case.
    pub case_id: CaseId,
    /// Full name.
    pub name: PersonName,
    /// Relation to the child.
    pub relation: Relation,
    /// Roles in the case (sorted, no duplicates).
    pub roles: Vec<FamilyRole>,
    /// Phone.
    pub phone: Option<ShortText>,
    /// E-mail (notifications carry a link, never case content).
    pub email: Option<Email>,
    /// Postal address.
    pub address: Option<ShortText>,
    /// This person's address is protected and must not be shown to other family members.
    pub address_protected: bool,
}

impl FamilyMember {
    /// True when the member has the role.
    pub fn has_role(&self, role: FamilyRole) -> bool {
        self.roles.contains(&role)
    }

    /// Sorts and de-duplicates a list of roles.
    pub fn normalise_roles(mut roles: Vec<FamilyRole>) -> Vec<FamilyRole> {
        roles.sort();
        roles.dedup();
        roles
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn age_counts_whole_years_and_turns_on_the_birthday() {
        let birth = date(2011, 6, 15);
        assert_eq!(age_on(birth, date(2026, 6, 14)), 14);
        assert_eq!(age_on(birth, date(2026, 6, 15)), 15);
        assert_eq!(age_on(birth, date(2010, 1, 1)), 0);
    }

    #[test]
    fn leap_day_children_have_their_birthday_on_first_of_march_in_other_years() {
        let birth = date(2012, 2, 29);
        assert_eq!(age_on(birth, date(2027, 2, 28)), 14);
        assert_eq!(age_on(birth, date(2027, 3, 1)), 15);
        assert_eq!(age_on(birth, date(2028, 2, 29)), 16);
    }

    #[test]
    fn case_reference_is_derived_from_the_id_and_carries_no_personal_data() {
        let id = CaseId::new();
        let r = CaseReference::from_id(id);
        assert_eq!(r, CaseReference::from_id(id));
        assert!(r.as_str().starts_with("S-") && r.as_str().len() == 10);
    }

    #[test]
    fn a_child_serialises_with_a_masked_cpr_number() {
        let child = Child { name: PersonName::parse("Ida").unwrap(), cpr: Cpr::parse("010215-4123").unwrap() };
        let json = serde_json::to_string(&child).unwrap();
        assert!(json.contains("010215-xxxx"));
        assert!(!json.contains("4123"));
    }
}
