use std::error::Error as StdError;

/// Why a write was refused because of the state of the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// The record was changed by someone else since it was read (also: a
    /// reset token was used since it was read).
    StaleRevision,
    /// A record with the same unique key exists.
    Duplicate,
    /// A referenced record does not exist.
    MissingReference,
    /// The record is still in use and cannot be removed: other records refer
    /// to it, or (erasure) the case is not closed yet.
    InUse,
    /// The consent was already withdrawn.
    AlreadyWithdrawn,
    /// A room or practitioner is already booked for an overlapping time.
    DoubleBooking,
    /// The record is final and is never changed or removed: a sent document
    /// (its sending time and its versions), an outbox message, an entry of
    /// the audit log or the record of an erasure.
    Immutable,
}

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No record with that id.
    #[error("record not found")]
    NotFound,
    /// The write conflicts with what is stored.
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// The database cannot be reached or is overloaded.
    #[error("database unavailable")]
    Unavailable(#[source] Box<dyn StdError + Send + Sync>),
    /// A stored value could not be read back into a domain type.
    #[error("stored data in {column} is not valid: {reason}")]
    Corrupt {
        /// Table and column.
        column: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// Any other database error.
    #[error("database error")]
    Backend(#[source] Box<dyn StdError + Send + Sync>),
}

impl StoreError {
    /// A corrupt-data error.
    pub fn corrupt(column: &'static str, reason: impl ToString) -> Self {
        StoreError::Corrupt { column, reason: reason.to_string() }
    }

    /// True for a conflict of the given kind.
    pub fn is_conflict(&self, kind: Conflict) -> bool {
        matches!(self, StoreError::Conflict(k) if *k == kind)
    }
}
