//! Keyset paging of list endpoints: `?limit=50&after=<next_after of the previous page>`.
//!
//! Every list answers `{"items": […], "next_after": "…"}`; `next_after` is
//! present when the page is full, and is passed back as `after` for the next
//! page. Lists the store pages itself follow creation order; short lists that
//! the store returns whole (staff, rooms, a case's family) are paged here in
//! the store's order, so that every list behaves the same for a client.

use samvirke_domain::validation::{Problem, ValidationErrors, Validator};
use samvirke_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Records per page when the client does not say.
pub const DEFAULT_LIMIT: u32 = 100;

/// The paging parameters of a list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Records per page, 1–1000 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// The `next_after` of the previous page.
    pub after: Option<String>,
}

impl PageQuery {
    /// The page size, checked under `limit`.
    pub fn limit(&self, v: &mut Validator) -> Option<u32> {
        match self.limit.as_deref().map(str::trim) {
            None | Some("") => Some(DEFAULT_LIMIT),
            Some(s) => v.check(
                "limit",
                s.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=Page::MAX).contains(n))
                    .ok_or(Problem::OutOfRange { min: 1, max: i64::from(Page::MAX) }),
            ),
        }
    }

    /// The page, for a list with no other parameters.
    pub fn parse(&self) -> Result<Page, ValidationErrors> {
        let mut v = Validator::new();
        let page = self.page(&mut v);
        v.build(|| page.expect("checked"))
    }

    /// The page as the store takes it, with `after` an id; checked under `limit` and `after`.
    pub fn page(&self, v: &mut Validator) -> Option<Page> {
        let limit = self.limit(v);
        let after = v.check("after", crate::parse::opt_id::<Uuid>(&self.after));
        Some(Page { limit: limit?, after: after? })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T> {
    /// The records.
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; absent on a page that is not full.
    pub next_after: Option<String>,
}

impl<T> Paged<T> {
    /// A page the store cut: more may follow when it is full.
    pub fn cut(items: Vec<T>, limit: u32, key: impl Fn(&T) -> String) -> Self {
        let next_after = if items.len() == limit as usize { items.last().map(key) } else { None };
        Self { items, next_after }
    }

    /// A page cut here from a whole list in the store's order, after the record with id `page.after`.
    /// An `after` that is not in the list gives an empty page.
    pub fn from_all(all: Vec<T>, page: Page, id: impl Fn(&T) -> Uuid) -> Self {
        let start = match page.after {
            None => 0,
            Some(after) => all.iter().position(|t| id(t) == after).map_or(all.len(), |i| i + 1),
        };
        let items: Vec<T> = all.into_iter().skip(start).take(page.limit as usize).collect();
        Self::cut(items, page.limit, |t| id(t).to_string())
    }

    /// Everything at once (lists that are short by nature).
    pub fn all(items: Vec<T>) -> Self {
        Self { items, next_after: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_lists_are_paged_after_the_given_id() {
        let ids: Vec<Uuid> = (0..5).map(|_| Uuid::now_v7()).collect();
        let first = Paged::from_all(ids.clone(), Page::first(2), |u| *u);
        assert_eq!(first.items, ids[..2]);
        let after = first.next_after.unwrap().parse().unwrap();
        let second = Paged::from_all(ids.clone(), Page::after(2, after), |u| *u);
        assert_eq!(second.items, ids[2..4]);
        let last = Paged::from_all(ids.clone(), Page::after(2, ids[3]), |u| *u);
        assert_eq!(last.items, ids[4..]);
        assert!(last.next_after.is_none());
    }
}
