//! The audit log: who did what to which record, when and from where.
//!
//! Every read, search, export, change and deletion of personal data is an
//! [`AuditEvent`]. The store appends it as an [`AuditEntry`] in the same
//! transaction as the change (for a read: before the data leaves the
//! server). Entries are numbered without gaps and hash-chained: each entry's
//! hash covers its own content and the previous entry's hash, so an entry
//! that is edited, removed or moved breaks the chain, and
//! [`ChainVerifier`] says where. Removing entries from the end leaves a
//! shorter valid chain; that is caught by comparing the head with one
//! recorded earlier (`samvirke audit verify` prints the head, and takes an
//! expected head to compare against).
//!
//! An entry holds ids, a route template and an address — never names, CPR
//! numbers or text — so erasing a case leaves the log intact and still
//! saying that the case was read, changed and erased.

use crate::ids::*;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use utoipa::ToSchema;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Personal data was read.
    Read,
    /// A search or list over personal data.
    Search,
    /// Personal data left the system as a file.
    Export,
    /// A record was created.
    Create,
    /// A record was changed.
    Change,
    /// A record was deleted.
    Delete,
    /// A case was erased or anonymised.
    Erase,
    /// A user signed in.
    SignIn,
    /// A sign-in failed.
    SignInFailed,
    /// A user signed out.
    SignOut,
    /// An account's password or second factor was reset.
    CredentialReset,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [AuditAction; 11] = [
        AuditAction::Read,
        AuditAction::Search,
        AuditAction::Export,
        AuditAction::Create,
        AuditAction::Change,
        AuditAction::Delete,
        AuditAction::Erase,
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignOut,
        AuditAction::CredentialReset,
    ];

    /// The stable code stored and hashed.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Read => "read",
            AuditAction::Search => "search",
            AuditAction::Export => "export",
            AuditAction::Create => "create",
            AuditAction::Change => "change",
            AuditAction::Delete => "delete",
            AuditAction::Erase => "erase",
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignOut => "sign_out",
            AuditAction::CredentialReset => "credential_reset",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One thing that happened, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditEvent {
    /// When (microsecond precision, as stored).
    pub at: Timestamp,
    /// The account that did it; `None` for the system itself (a command).
    pub actor: Option<UserId>,
    /// What was done.
    pub action: AuditAction,
    /// Kind of record, e.g. `case`, `document` (a code, never content).
    pub record_kind: String,
    /// The record's id.
    pub record_id: Option<uuid::Uuid>,
    /// The case the record belongs to, so a case can show who looked at it.
    pub case_id: Option<CaseId>,
    /// The client's address.
    pub from: Option<String>,
    /// The route template (`/api/v1/cases/{id}`), never the filled-in path.
    pub route: Option<String>,
}

/// A SHA-256 link of the chain.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChainHash(pub [u8; 32]);

impl ChainHash {
    /// The link before the first entry.
    pub const GENESIS: ChainHash = ChainHash([0; 32]);

    /// Lower-case hex.
    pub fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.len() != 64 || !s.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self(out))
    }
}

impl fmt::Debug for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChainHash({})", self.to_hex())
    }
}

impl fmt::Display for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// An entry of the log: an event with its place and link in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position, from 1, without gaps.
    pub seq: u64,
    /// What happened.
    pub event: AuditEvent,
    /// The previous entry's hash.
    pub prev_hash: ChainHash,
    /// This entry's hash.
    pub hash: ChainHash,
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    // Length-prefixed, so that no two different entries hash the same bytes.
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

fn opt(h: &mut Sha256, v: Option<&[u8]>) {
    match v {
        None => h.update([0u8]),
        Some(b) => {
            h.update([1u8]);
            field(h, b);
        }
    }
}

/// The hash of an entry: its position, the previous hash and every field.
pub fn entry_hash(seq: u64, prev: ChainHash, e: &AuditEvent) -> ChainHash {
    let mut h = Sha256::new();
    h.update(b"samvirke-audit-v1");
    h.update(seq.to_be_bytes());
    h.update(prev.0);
    h.update(e.at.as_microsecond().to_be_bytes());
    opt(&mut h, e.actor.map(|a| a.0.into_bytes()).as_ref().map(|b| &b[..]));
    field(&mut h, e.action.code().as_bytes());
    field(&mut h, e.record_kind.as_bytes());
    opt(&mut h, e.record_id.map(|id| id.into_bytes()).as_ref().map(|b| &b[..]));
    opt(&mut h, e.case_id.map(|c| c.0.into_bytes()).as_ref().map(|b| &b[..]));
    opt(&mut h, e.from.as_deref().map(str::as_bytes));
    opt(&mut h, e.route.as_deref().map(str::as_bytes));
    ChainHash(h.finalize().into())
}

impl AuditEntry {
    /// The entry that follows `prev` (or starts the log).
    pub fn next(prev: Option<(u64, ChainHash)>, event: AuditEvent) -> AuditEntry {
        let (seq, prev_hash) = match prev {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, ChainHash::GENESIS),
        };
        let hash = entry_hash(seq, prev_hash, &event);
        AuditEntry { seq, event, prev_hash, hash }
    }
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// The entry's content does not match its hash: it was edited.
    #[error("entry {seq} was changed after it was written")]
    Edited {
        /// The entry.
        seq: u64,
    },
    /// Entries are missing or out of order before this one.
    #[error("entry {expected} is missing or out of order (found {found})")]
    Gap {
        /// The position expected.
        expected: u64,
        /// The position found.
        found: u64,
    },
    /// The entry does not link to the one before it: an entry was removed
    /// and the rest renumbered, or entries were swapped.
    #[error("entry {seq} does not follow the entry before it")]
    Unlinked {
        /// The entry.
        seq: u64,
    },
    /// The log ends before the head recorded earlier: entries were removed from the end.
    #[error("the log ends at entry {last}, before the recorded head {head_seq}")]
    Truncated {
        /// The last entry found.
        last: u64,
        /// The head's position.
        head_seq: u64,
    },
    /// The entry at the recorded head's position is not the recorded one.
    #[error("entry {seq} is not the one recorded as the head")]
    HeadMismatch {
        /// The position.
        seq: u64,
    },
}

/// Checks a log entry by entry, in order, without holding it in memory.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    last: Option<(u64, ChainHash)>,
    checked: u64,
    head: Option<(u64, ChainHash)>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainVerifier {
    /// A verifier for a log from its start.
    pub fn new() -> Self {
        Self { last: None, checked: 0, head: None }
    }

    /// Also checks that the log still holds a head recorded earlier.
    pub fn expecting_head(mut self, seq: u64, hash: ChainHash) -> Self {
        self.head = Some((seq, hash));
        self
    }

    /// Checks the next entry.
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        let (expected, prev) = match self.last {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, ChainHash::GENESIS),
        };
        if entry_hash(e.seq, e.prev_hash, &e.event) != e.hash {
            return Err(ChainBreak::Edited { seq: e.seq });
        }
        if e.seq != expected {
            return Err(ChainBreak::Gap { expected, found: e.seq });
        }
        if e.prev_hash != prev {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        if let Some((seq, hash)) = self.head
            && seq == e.seq
            && hash != e.hash
        {
            return Err(ChainBreak::HeadMismatch { seq });
        }
        self.last = Some((e.seq, e.hash));
        self.checked += 1;
        Ok(())
    }

    /// Ends the check: the number of entries and the head.
    pub fn finish(self) -> Result<(u64, Option<(u64, ChainHash)>), ChainBreak> {
        if let Some((head_seq, _)) = self.head {
            let last = self.last.map_or(0, |(s, _)| s);
            if last < head_seq {
                return Err(ChainBreak::Truncated { last, head_seq });
            }
        }
        Ok((self.checked, self.last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(i: u64) -> AuditEvent {
        AuditEvent {
            at: Timestamp::from_microsecond(1_780_000_000_000_000 + i as i64).unwrap(),
            actor: Some(UserId::new()),
            action: if i.is_multiple_of(2) { AuditAction::Read } else { AuditAction::Change },
            record_kind: "case".into(),
            record_id: Some(uuid::Uuid::now_v7()),
            case_id: Some(CaseId::new()),
            from: Some("127.0.0.1".into()),
            route: Some("/api/v1/cases/{id}".into()),
        }
    }

    fn log(n: u64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let prev = out.last().map(|e| (e.seq, e.hash));
            out.push(AuditEntry::next(prev, event(i)));
        }
        out
    }

    fn verify(entries: &[AuditEntry]) -> Result<u64, ChainBreak> {
        let mut v = ChainVerifier::new();
        for e in entries {
            v.push(e)?;
        }
        v.finish().map(|(n, _)| n)
    }

    #[test]
    fn an_untouched_log_verifies() {
        assert_eq!(verify(&log(50)), Ok(50));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn an_edited_entry_is_detected() {
        let mut l = log(10);
        l[4].event.action = AuditAction::Read;
        l[4].event.route = Some("/api/v1/cases".into());
        assert_eq!(verify(&l), Err(ChainBreak::Edited { seq: 5 }));
        let mut l = log(10);
        l[6].event.from = None;
        assert_eq!(verify(&l), Err(ChainBreak::Edited { seq: 7 }));
    }

    #[test]
    fn a_removed_entry_is_detected_even_when_the_rest_is_renumbered() {
        let mut l = log(10);
        l.remove(3);
        assert_eq!(verify(&l), Err(ChainBreak::Gap { expected: 4, found: 5 }));
        // Renumbering the rest and rehashing each entry on its own still breaks the links.
        for (i, e) in l.iter_mut().enumerate().skip(3) {
            e.seq = i as u64 + 1;
            e.hash = entry_hash(e.seq, e.prev_hash, &e.event);
        }
        assert_eq!(verify(&l), Err(ChainBreak::Unlinked { seq: 4 }));
    }

    #[test]
    fn reordered_entries_are_detected() {
        let mut l = log(10);
        l.swap(2, 3);
        assert!(matches!(verify(&l), Err(ChainBreak::Gap { expected: 3, found: 4 })));
    }

    #[test]
    fn entries_removed_from_the_end_are_detected_against_a_recorded_head() {
        let l = log(10);
        let head = (l[9].seq, l[9].hash);
        let mut v = ChainVerifier::new().expecting_head(head.0, head.1);
        for e in &l[..8] {
            v.push(e).unwrap();
        }
        assert_eq!(v.finish(), Err(ChainBreak::Truncated { last: 8, head_seq: 10 }));
        // A rewritten log that reaches the head's position with other content is caught too.
        let other = log(10);
        let mut v = ChainVerifier::new().expecting_head(head.0, head.1);
        let err = other.iter().try_for_each(|e| v.push(e)).unwrap_err();
        assert_eq!(err, ChainBreak::HeadMismatch { seq: 10 });
    }

    #[test]
    fn hashes_round_trip_as_hex() {
        let h = log(1)[0].hash;
        assert_eq!(ChainHash::from_hex(&h.to_hex()), Some(h));
        assert_eq!(ChainHash::from_hex("xyz"), None);
    }
}
