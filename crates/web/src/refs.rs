//! References from a request to stored records.
//!
//! A reference in a request body that names no record is the request's fault:
//! it is reported as [`Problem::UnknownRecord`] on that field, together with
//! the other problems of the request, and not as a 404 (which is for the
//! record in the URL). A record of another case counts as unknown, so that a
//! request cannot tie records of two families together.

use crate::error::ApiResult;
use samvirke_domain::appointment::Appointment;
use samvirke_domain::case::{Case, FamilyMember};
use samvirke_domain::consent::Consent;
use samvirke_domain::document::Document;
use samvirke_domain::organisation::{Municipality, Provider, Room, Staff};
use samvirke_domain::plan::{ActionPlan, FocusArea};
use samvirke_domain::referral::Referral;
use samvirke_domain::validation::{Problem, Validator};
use samvirke_domain::*;
use samvirke_store::{StoreError, Tx};
use std::future::Future;
use std::pin::Pin;

type Load<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// An id whose record can be loaded in a transaction.
pub trait Lookup: Copy + Send {
    /// The record.
    type Record: Send;
    /// Loads it; [`StoreError::NotFound`] when there is none.
    fn load(self, tx: &mut dyn Tx) -> Load<'_, Self::Record>;
}

macro_rules! lookup {
    ($($id:ty => $record:ty, $method:ident;)*) => {$(
        impl Lookup for $id {
            type Record = $record;
            fn load(self, tx: &mut dyn Tx) -> Load<'_, $record> {
                tx.$method(self)
            }
        }
    )*};
}

lookup! {
    MunicipalityId => Municipality, municipality;
    ProviderId => Provider, provider;
    StaffId => Staff, staff;
    RoomId => Room, room;
    CaseId => Case, case;
    FamilyMemberId => FamilyMember, family_member;
    ReferralId => Referral, referral;
    ConsentId => Consent, consent;
    AppointmentId => Appointment, appointment;
    DocumentId => Document, document;
    ActionPlanId => ActionPlan, action_plan;
    FocusAreaId => FocusArea, focus_area;
}

/// A record that belongs to one case.
pub trait OfCase {
    /// The case.
    fn case_id(&self) -> CaseId;
}

macro_rules! of_case {
    ($($t:ty),*) => {$(
        impl OfCase for $t {
            fn case_id(&self) -> CaseId {
                self.case_id
            }
        }
    )*};
}

of_case!(FamilyMember, Referral, Appointment, Document, ActionPlan, FocusArea, Consent);

/// Loads the record a field refers to. A missing record is recorded as
/// [`Problem::UnknownRecord`] on the field and gives `None`; so does an id that
/// did not parse (its problem is already recorded).
pub async fn known<I: Lookup>(
    v: &mut Validator,
    tx: &mut dyn Tx,
    field: &str,
    id: Option<I>,
) -> ApiResult<Option<I::Record>> {
    let Some(id) = id else { return Ok(None) };
    match id.load(tx).await {
        Ok(record) => Ok(Some(record)),
        Err(StoreError::NotFound) => {
            v.push(field, Problem::UnknownRecord);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Like [`known`], for a record that must belong to `case`.
pub async fn known_in_case<I>(
    v: &mut Validator,
    tx: &mut dyn Tx,
    field: &str,
    id: Option<I>,
    case: CaseId,
) -> ApiResult<Option<I::Record>>
where
    I: Lookup,
    I::Record: OfCase,
{
    let record = known(v, tx, field, id).await?;
    match record {
        Some(r) if r.case_id() != case => {
            v.push(field, Problem::UnknownRecord);
            Ok(None)
        }
        other => Ok(other),
    }
}

/// Parses and checks every id of a list; problems (a malformed id, a missing
/// record) are recorded as `field[i]`. The ids, when all are good.
pub async fn known_ids<I: Lookup + From<uuid::Uuid>>(
    v: &mut Validator,
    tx: &mut dyn Tx,
    field: &str,
    raw: &Option<Vec<String>>,
) -> ApiResult<Option<Vec<I>>> {
    let mut ids = Some(Vec::new());
    for (i, s) in raw.iter().flatten().enumerate() {
        let item = crate::parse::at(field, i);
        let id = v.check(&item, crate::parse::id::<I>(s));
        let found = known(v, tx, &item, id).await?.is_some();
        match (&mut ids, id) {
            (Some(list), Some(id)) if found => list.push(id),
            _ => ids = None,
        }
    }
    Ok(ids)
}

/// Checks every id of a list; problems are recorded as `field[i]`.
pub async fn all_known<I: Lookup>(
    v: &mut Validator,
    tx: &mut dyn Tx,
    field: &str,
    ids: &[I],
) -> ApiResult<Vec<I::Record>> {
    let mut records = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if let Some(r) = known(v, tx, &crate::parse::at(field, i), Some(*id)).await? {
            records.push(r);
        }
    }
    Ok(records)
}
