//! Records a page reads once however often it shows them: referrals, cases
//! with their facts, rooms, staff, municipality and provider names.

use crate::error::ApiResult;
use crate::facts::{CaseFacts, CaseFactsCache};
use samvirke_domain::referral::Referral;
use samvirke_domain::{CaseId, MunicipalityId, ProviderId, ReferralId, RoomId, StaffId};
use samvirke_store::Tx;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// What a page has read so far.
#[derive(Default)]
pub struct Lookups {
    facts: CaseFactsCache,
    rooms: HashMap<RoomId, String>,
    staff: HashMap<StaffId, String>,
    municipalities: HashMap<MunicipalityId, String>,
    providers: HashMap<ProviderId, String>,
}

impl Lookups {
    /// A referral.
    pub async fn referral(&mut self, tx: &mut dyn Tx, id: ReferralId) -> ApiResult<&Referral> {
        self.facts.referral(tx, id).await
    }

    /// A case with what the rules ask about it.
    pub async fn case(&mut self, tx: &mut dyn Tx, id: CaseId) -> ApiResult<&CaseFacts> {
        self.facts.case(tx, id).await
    }

    /// The name of a case's child.
    pub async fn child(&mut self, tx: &mut dyn Tx, id: CaseId) -> ApiResult<String> {
        Ok(self.case(tx, id).await?.case.child.name.to_string())
    }

    /// A room's name.
    pub async fn room(&mut self, tx: &mut dyn Tx, id: RoomId) -> ApiResult<String> {
        if let Entry::Vacant(slot) = self.rooms.entry(id) {
            slot.insert(tx.room(id).await?.name.to_string());
        }
        Ok(self.rooms[&id].clone())
    }

    /// A member of staff's name.
    pub async fn staff_name(&mut self, tx: &mut dyn Tx, id: StaffId) -> ApiResult<String> {
        if let Entry::Vacant(slot) = self.staff.entry(id) {
            slot.insert(tx.staff(id).await?.name.to_string());
        }
        Ok(self.staff[&id].clone())
    }

    /// A municipality's name.
    pub async fn municipality(&mut self, tx: &mut dyn Tx, id: MunicipalityId) -> ApiResult<String> {
        if let Entry::Vacant(slot) = self.municipalities.entry(id) {
            slot.insert(tx.municipality(id).await?.name.to_string());
        }
        Ok(self.municipalities[&id].clone())
    }

    /// A provider's name.
    pub async fn provider(&mut self, tx: &mut dyn Tx, id: ProviderId) -> ApiResult<String> {
        if let Entry::Vacant(slot) = self.providers.entry(id) {
            slot.insert(tx.provider(id).await?.name.to_string());
        }
        Ok(self.providers[&id].clone())
    }
}
