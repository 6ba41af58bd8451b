//! Invented, deterministic demo data for Samvirke.
//!
//! [`generate`] fills an empty, migrated store with a realistic provider of
//! family support ([`Scale::Provider`], the default: one municipal family house
//! serving three municipalities near Herning), or with a national-size data
//! set ([`Scale::Denmark`]: all 98 municipalities, about 70 providers, 12,000
//! cases and about a million appointments over two years and two months).
//!
//! Everything is invented: names are drawn from lists of common Danish names,
//! phone numbers start with 0 (no Danish number does), e-mail addresses are
//! under the reserved `.example` domain, and texts are written for Samvirke.
//! The same seed and the same `today` give exactly the same data, ids
//! included: every random choice comes from ChaCha8 generators seeded from the
//! seed, and ids are UUIDv7 with the record's own time and random bits from
//! those generators.
//!
//! Data are built in memory one provider at a time and written in
//! transactions of a few thousand records; at the national scale the next
//! provider is generated on a blocking thread while the current one is written.

mod batch;
mod data;
mod national;
mod people;
mod provider;
mod texts;
mod util;
mod world;

use batch::{Batch, Shared, Writer};
use jiff::civil::Date;
use provider::{ProviderBuilder, ProviderKeys, ProviderSpec};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use samvirke_domain::*;
use samvirke_store::{Backend, Store, StoreError};
use world::{Config, World};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seed of every random choice.
    pub seed: u64,
    /// How much.
    pub scale: Scale,
    /// The anchor date: "today" in the data. Appointments run from about three
    /// months before (two years at the national scale) to two months after.
    pub today: Date,
}

/// How much data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// One provider the size of the seed provider: 3 municipalities, 4 permanent
    /// and 15 hourly practitioners, 3 rooms, 60 cases.
    #[default]
    Provider,
    /// All 98 municipalities, about 70 providers, 12,000 cases, about a million appointments.
    Denmark,
    /// A share of the national data set (per mille of its cases, on at least two
    /// providers), generated through the same code path: for tests and trials.
    DenmarkPart {
        /// Cases as a share of the national 12,000, in per mille (1–1000).
        per_mille: u16,
    },
}

/// Progress, reported after every committed transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Records written so far.
    pub done: u64,
    /// Records expected in all; an estimate until the last report, where it equals `done`.
    pub total: u64,
    /// What is being written.
    pub stage: &'static str,
}

/// How many records of each kind were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub municipalities: u64,
    pub providers: u64,
    pub staff: u64,
    pub rooms: u64,
    pub absences: u64,
    pub cases: u64,
    pub family_members: u64,
    pub referrals: u64,
    pub referral_versions: u64,
    pub decisions: u64,
    pub suspensions: u64,
    pub consents: u64,
    pub appointments: u64,
    /// Of the appointments, those with a recorded outcome.
    pub appointments_with_outcome: u64,
    pub journal_entries: u64,
    pub documents: u64,
    pub document_versions: u64,
    pub outbox_messages: u64,
    pub action_plans: u64,
    pub focus_areas: u64,
    pub time_entries: u64,
}

impl Counts {
    /// All records (rows of the main tables; referral and document versions counted once each).
    pub fn total(&self) -> u64 {
        self.municipalities
            + self.providers
            + self.staff
            + self.rooms
            + self.absences
            + self.cases
            + self.family_members
            + self.referral_versions
            + self.decisions
            + self.suspensions
            + self.consents
            + self.appointments
            + self.journal_entries
            + self.document_versions
            + self.outbox_messages
            + self.action_plans
            + self.focus_areas
            + self.time_entries
    }

    fn add(&mut self, o: &Counts) {
        self.municipalities += o.municipalities;
        self.providers += o.providers;
        self.staff += o.staff;
        self.rooms += o.rooms;
        self.absences += o.absences;
        self.cases += o.cases;
        self.family_members += o.family_members;
        self.referrals += o.referrals;
        self.referral_versions += o.referral_versions;
        self.decisions += o.decisions;
        self.suspensions += o.suspensions;
        self.consents += o.consents;
        self.appointments += o.appointments;
        self.appointments_with_outcome += o.appointments_with_outcome;
        self.journal_entries += o.journal_entries;
        self.documents += o.documents;
        self.document_versions += o.document_versions;
        self.outbox_messages += o.outbox_messages;
        self.action_plans += o.action_plans;
        self.focus_areas += o.focus_areas;
        self.time_entries += o.time_entries;
    }
}

/// What was generated, and the people of the (first) provider to make demo accounts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Records per kind.
    pub counts: Counts,
    /// The provider.
    pub provider: ProviderId,
    /// The coordinator (faglig koordinator).
    pub coordinator: StaffId,
    /// The team lead.
    pub team_lead: StaffId,
    /// The administrator.
    pub admin: StaffId,
    /// A permanent practitioner with appointments today and the next days.
    pub practitioner: StaffId,
    /// An hourly practitioner with appointments in the next days.
    pub hourly_practitioner: StaffId,
    /// The caseworker of the first municipality, for a single caseworker account.
    pub caseworker: StaffId,
    /// One caseworker per municipality the provider serves, each with referrals at the provider.
    pub caseworkers: Vec<(MunicipalityId, StaffId)>,
    /// A parent in an active supported-visitation case (whose address is not protected).
    pub parent: Option<FamilyMemberId>,
    /// The case of a young person (15 or older) with a contact person, for a young person's account.
    pub young_person: Option<CaseId>,
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.counts;
        let parts = [
            (c.municipalities, "municipality", "municipalities"),
            (c.providers, "provider", "providers"),
            (c.staff, "member of staff", "staff"),
            (c.rooms, "room", "rooms"),
            (c.cases, "case", "cases"),
            (c.family_members, "family member", "family members"),
            (c.referrals, "referral", "referrals"),
            (c.decisions, "committee decision", "committee decisions"),
            (c.consents, "consent", "consents"),
            (c.appointments, "appointment", "appointments"),
            (c.journal_entries, "journal entry", "journal entries"),
            (c.documents, "document", "documents"),
            (c.outbox_messages, "sent message", "sent messages"),
            (c.action_plans, "action plan", "action plans"),
            (c.focus_areas, "focus area", "focus areas"),
            (c.time_entries, "time entry", "time entries"),
        ];
        for (i, (n, one, many)) in parts.into_iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{n} {}", if n == 1 { one } else { many })?;
            if i == 9 {
                write!(f, " ({} with an outcome)", c.appointments_with_outcome)?;
            }
        }
        write!(f, ": {} records", c.total())
    }
}

/// Records per write transaction.
const RECORDS_PER_TRANSACTION: u64 = 4000;

/// Providers written at once on Postgres, each in its own transactions: the
/// server works on several while the next round trip is under way. SQLite
/// has one writer at a time, so there it is one.
const POSTGRES_WRITERS: usize = 4;

/// Fills an empty, migrated store with demo data.
///
/// Providers are generated one at a time on a blocking thread while earlier
/// ones are written; every record and id is fixed by the seed before it is
/// written, so the order of writing does not change the data.
pub async fn generate(
    store: &dyn Store,
    opts: &DemoOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<DemoSummary, StoreError> {
    let (mut generator, first) = Generator::new(opts);
    let shared = Shared::new(generator.cases_total, progress);
    shared.generated(first.counts().total(), 0);
    let mut writer = Writer::new(store, RECORDS_PER_TRANSACTION, &shared);
    writer.write(&first, "municipalities and caseworkers").await?;
    writer.commit().await?;
    let mut counts = first.counts();
    drop(first);

    let lanes = if store.backend() == Backend::Postgres { POSTGRES_WRITERS } else { 1 };
    let (sender, receiver) = tokio::sync::mpsc::channel::<(usize, Batch, ProviderKeys)>(lanes);
    let producer = tokio::task::spawn_blocking(move || {
        let mut index = 0;
        while let Some((batch, keys)) = generator.next_provider() {
            if sender.blocking_send((index, batch, keys)).is_err() {
                break;
            }
            index += 1;
        }
    });
    let receiver = tokio::sync::Mutex::new(receiver);
    let written = std::sync::Mutex::new((Counts::default(), Vec::<(usize, ProviderKeys)>::new()));
    let lane = || async {
        let mut writer = Writer::new(store, RECORDS_PER_TRANSACTION, &shared);
        loop {
            let next = receiver.lock().await.recv().await;
            let Some((index, batch, keys)) = next else { break };
            let c = batch.counts();
            shared.generated(c.total(), c.cases);
            writer.write(&batch, "providers, cases and appointments").await?;
            writer.commit().await?;
            let mut w = written.lock().expect("not poisoned");
            w.0.add(&c);
            w.1.push((index, keys));
        }
        Ok::<(), StoreError>(())
    };
    let result = futures::future::try_join_all((0..lanes).map(|_| lane())).await;
    // On failure the channel closes and the producer stops at its next provider.
    drop(receiver);
    producer.await.map_err(|e| StoreError::Backend(Box::new(e)))?;
    result?;

    let (provider_counts, mut keys) = written.into_inner().expect("not poisoned");
    counts.add(&provider_counts);
    keys.sort_by_key(|(i, _)| *i);
    let keys = keys.into_iter().next().expect("every scale has a provider").1;
    Ok(DemoSummary {
        counts,
        provider: keys.provider,
        coordinator: keys.coordinator,
        team_lead: keys.team_lead,
        admin: keys.admin,
        practitioner: keys.practitioner,
        hourly_practitioner: keys.hourly_practitioner,
        caseworker: keys.caseworkers[0].1,
        caseworkers: keys.caseworkers,
        parent: keys.parent,
        young_person: keys.young_person,
    })
}

/// Produces the data set one batch at a time: first the municipalities with their
/// caseworkers, then one provider at a time.
pub(crate) struct Generator {
    seed: u64,
    world: World,
    specs: std::vec::IntoIter<ProviderSpec>,
    /// Cases in the whole data set.
    cases_total: u64,
}

impl Generator {
    /// The generator and its first batch (municipalities and caseworkers).
    pub(crate) fn new(opts: &DemoOptions) -> (Self, Batch) {
        let mut rng = ChaCha8Rng::seed_from_u64(util::mix(opts.seed, 0));
        let (cfg, rows, caseworkers, specs) = match opts.scale {
            Scale::Provider => {
                let rows: Vec<_> =
                    data::PROVIDER_SCALE_MUNICIPALITIES.iter().map(|&c| data::municipality_row(c)).collect();
                let caseworkers: Vec<usize> = rows.iter().map(|_| rng.random_range(2..=4)).collect();
                let spec = ProviderSpec {
                    stream: 1,
                    name: "Familiehuset Birkely".to_string(),
                    cases: vec![(0, 30), (1, 16), (2, 14)],
                    permanent: 4,
                    hourly: 15,
                    coordinators: 1,
                    rooms: 3,
                };
                let cfg = Config { today: opts.today, back_days: 91, ahead_days: 61, exact: true };
                (cfg, rows, caseworkers, vec![spec])
            }
            Scale::Denmark | Scale::DenmarkPart { .. } => {
                let per_mille = match opts.scale {
                    Scale::DenmarkPart { per_mille } => per_mille.clamp(1, 1000),
                    _ => 1000,
                };
                let plan = national::plan(&mut rng, per_mille);
                let cfg = Config { today: opts.today, back_days: NATIONAL_BACK_DAYS, ahead_days: 61, exact: false };
                (cfg, plan.rows, plan.caseworkers, plan.providers)
            }
        };
        let (world, first) = World::new(&mut rng, cfg, &rows, &caseworkers);
        let cases_total = specs.iter().map(|s| s.cases.iter().map(|c| c.1 as u64).sum::<u64>()).sum();
        (Self { seed: opts.seed, world, specs: specs.into_iter(), cases_total }, first)
    }

    /// The next provider with everything it holds.
    pub(crate) fn next_provider(&mut self) -> Option<(Batch, ProviderKeys)> {
        let spec = self.specs.next()?;
        Some(ProviderBuilder::build(&mut self.world, self.seed, spec))
    }
}

/// Days of history at the national scale: about two years. Courses have
/// visits and sessions about once a week or every other week (as at the
/// provider scale), so 12,000 cases need about two years to reach a million
/// appointments.
const NATIONAL_BACK_DAYS: i32 = 760;

#[cfg(test)]
mod tests;
