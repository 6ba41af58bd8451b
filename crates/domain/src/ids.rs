//! Typed identifiers. Every record has a UUIDv7 (time-ordered, so indexes stay
//! compact and keyset pagination follows creation order); the types keep a case
//! id from being passed where a staff id is meant.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered identifier.
            #[allow(clippy::new_without_default)]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The underlying UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Uuid,
                    )))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    )*};
}

id_type! {
    /// A provider of interventions.
    ProviderId;
    /// A municipality.
    MunicipalityId;
    /// A member of staff (provider or municipal).
    StaffId;
    /// A staff absence.
    AbsenceId;
    /// A shift offered by an hourly practitioner.
    ShiftId;
    /// A room at a provider.
    RoomId;
    /// A case: one child and their family at one provider.
    CaseId;
    /// A member of the child's family or network.
    FamilyMemberId;
    /// A referral (an order of an intervention).
    ReferralId;
    /// A decision of the Children and Youth Committee.
    DecisionId;
    /// A consent.
    ConsentId;
    /// A suspension of visitation.
    SuspensionId;
    /// An appointment of any kind.
    AppointmentId;
    /// A series of appointments generated from one rule.
    SeriesId;
    /// A journal entry.
    JournalEntryId;
    /// A document (written description, status letter, closing letter).
    DocumentId;
    /// A parent action plan.
    ActionPlanId;
    /// A goal in a parent action plan.
    GoalId;
    /// A contact-person focus area.
    FocusAreaId;
    /// A registration of hours.
    TimeEntryId;
    /// A user account.
    UserId;
    /// A message in the outbox: one sending of one document version.
    OutboxMessageId;
}
