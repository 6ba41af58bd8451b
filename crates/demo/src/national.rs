//! The national data set: all 98 municipalities, providers serving
//! neighbouring municipalities of their region, and cases in proportion to
//! population.

use crate::data::{MUNICIPALITIES, MunicipalityRow, PRIVATE_PROVIDER_NAMES, Region};
use crate::provider::{ProviderSpec, provider_name};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// Children in care with a case at a provider, nationally (about 11,500 children aged 0–17 were placed at the end of 2023).
pub const NATIONAL_CASES: usize = 12_000;

/// The national plan: case counts per municipality and the providers.
pub struct NationalPlan {
    pub rows: Vec<&'static MunicipalityRow>,
    pub caseworkers: Vec<usize>,
    pub providers: Vec<ProviderSpec>,
}

/// Plans the national data set, or a part of it (`per_mille` of the cases, on a
/// matching share of the providers, through the same code path).
pub fn plan(rng: &mut ChaCha8Rng, per_mille: u16) -> NationalPlan {
    let rows: Vec<&'static MunicipalityRow> = MUNICIPALITIES.iter().collect();
    // Cases per municipality: in proportion to population, give or take a fifth.
    let weights: Vec<f64> = rows.iter().map(|r| f64::from(r.population_k) * rng.random_range(0.8..1.2)).collect();
    let wsum: f64 = weights.iter().sum();
    let mut cases: Vec<usize> =
        weights.iter().map(|w| (w / wsum * NATIONAL_CASES as f64).round().max(1.0) as usize).collect();

    // Providers: several municipal family houses in the big cities, one per
    // cluster of neighbouring municipalities elsewhere, and private providers
    // that each serve several municipalities of a region.
    struct Draft {
        name: String,
        municipal: bool,
        serves: Vec<usize>,
    }
    let mut drafts: Vec<Draft> = Vec::new();
    let mut private_names: Vec<&str> = PRIVATE_PROVIDER_NAMES.to_vec();
    private_names.shuffle(rng);
    for region in [Region::Hovedstaden, Region::Sjaelland, Region::Syddanmark, Region::Midtjylland, Region::Nordjylland]
    {
        let members: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].region == region).collect();
        let mut cluster: Vec<usize> = Vec::new();
        let mut cluster_pop = 0;
        let flush = |cluster: &mut Vec<usize>, drafts: &mut Vec<Draft>, rng: &mut ChaCha8Rng| {
            if cluster.is_empty() {
                return;
            }
            let main = *cluster.iter().max_by_key(|&&i| rows[i].population_k).expect("non-empty");
            drafts.push(Draft {
                name: provider_name(rng, rows[main].town, None),
                municipal: true,
                serves: std::mem::take(cluster),
            });
        };
        for &i in &members {
            let pop = rows[i].population_k;
            if pop >= 150 {
                let own = (f64::from(pop) / 110.0).round() as usize;
                for k in 0..own {
                    drafts.push(Draft {
                        name: provider_name(rng, rows[i].town, Some(k)),
                        municipal: true,
                        serves: vec![i],
                    });
                }
                continue;
            }
            cluster.push(i);
            cluster_pop += pop;
            if cluster_pop >= 80 || cluster.len() == 3 {
                flush(&mut cluster, &mut drafts, rng);
                cluster_pop = 0;
            }
        }
        flush(&mut cluster, &mut drafts, rng);
        let n_private = (members.len() / 5).max(2);
        for _ in 0..n_private {
            let mut serves = members.clone();
            serves.shuffle(rng);
            serves.truncate(rng.random_range(4..=7).min(members.len()));
            serves.sort();
            let name = private_names.pop().map_or_else(|| format!("Familiestøtten {}", drafts.len()), str::to_string);
            drafts.push(Draft { name, municipal: false, serves });
        }
    }

    // Each municipality's cases: three quarters to its municipal providers, a
    // quarter to private ones (all to municipal providers where none serves it).
    let mut per_provider: Vec<Vec<(usize, usize)>> = vec![Vec::new(); drafts.len()];
    for (m, &n) in cases.iter().enumerate() {
        let municipal: Vec<usize> =
            (0..drafts.len()).filter(|&p| drafts[p].municipal && drafts[p].serves.contains(&m)).collect();
        let private: Vec<usize> =
            (0..drafts.len()).filter(|&p| !drafts[p].municipal && drafts[p].serves.contains(&m)).collect();
        let to_private = if private.is_empty() { 0 } else { n / 4 };
        split(n - to_private, &municipal, m, &mut per_provider);
        split(to_private, &private, m, &mut per_provider);
    }

    let mut providers: Vec<ProviderSpec> = drafts
        .into_iter()
        .zip(per_provider)
        .enumerate()
        .filter(|(_, (_, c))| c.iter().map(|x| x.1).sum::<usize>() > 0)
        .map(|(i, (d, c))| ProviderSpec::sized(i as u64 + 1, d.name, c))
        .collect();

    if per_mille < 1000 {
        // A part of the country: a few providers, with their cases scaled to the share.
        let target = (NATIONAL_CASES * usize::from(per_mille)).div_ceil(1000).max(10);
        let k = (providers.len() * usize::from(per_mille)).div_ceil(1000).max(2).min(providers.len());
        providers.shuffle(rng);
        providers.truncate(k);
        providers.sort_by_key(|p| p.stream);
        let have: usize = providers.iter().map(|p| p.cases.iter().map(|c| c.1).sum::<usize>()).sum();
        for p in &mut providers {
            let mut kept = Vec::new();
            for &(m, n) in &p.cases {
                let scaled = (n * target).div_ceil(have);
                if scaled > 0 {
                    kept.push((m, scaled));
                }
            }
            *p = ProviderSpec::sized(p.stream, p.name.clone(), kept);
        }
        cases = vec![0; rows.len()];
        for p in &providers {
            for &(m, n) in &p.cases {
                cases[m] += n;
            }
        }
    }
    let caseworkers = cases.iter().map(|&n| (n / 12).max(2)).collect();
    NationalPlan { rows, caseworkers, providers }
}

/// Splits `n` cases of municipality `m` as evenly as possible over `over`.
fn split(n: usize, over: &[usize], m: usize, out: &mut [Vec<(usize, usize)>]) {
    if over.is_empty() || n == 0 {
        return;
    }
    for (k, &p) in over.iter().enumerate() {
        let share = n / over.len() + usize::from(k < n % over.len());
        if share > 0 {
            out[p].push((m, share));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn the_national_plan_serves_every_municipality_with_a_realistic_number_of_providers() {
        let p = plan(&mut ChaCha8Rng::seed_from_u64(1), 1000);
        assert!((60..=120).contains(&p.providers.len()), "{} providers", p.providers.len());
        let total: usize = p.providers.iter().flat_map(|s| s.cases.iter().map(|c| c.1)).sum();
        assert!((11_500..=12_500).contains(&total), "{total} cases");
        for m in 0..98 {
            assert!(p.providers.iter().any(|s| s.cases.iter().any(|c| c.0 == m)), "municipality {m} is served");
        }
        assert!(p.providers.iter().all(|s| !s.cases.is_empty() && s.permanent >= 2));
    }

    #[test]
    fn a_part_of_the_country_has_a_matching_share_of_cases() {
        let p = plan(&mut ChaCha8Rng::seed_from_u64(1), 10);
        assert_eq!(p.providers.len(), 2);
        let total: usize = p.providers.iter().flat_map(|s| s.cases.iter().map(|c| c.1)).sum();
        assert!((120..=140).contains(&total), "{total} cases");
    }
}
