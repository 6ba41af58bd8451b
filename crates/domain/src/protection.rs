//! A secret placement address never reaches a parent (BL § 105): not on a
//! screen, not in a letter. Everything a parent can see or receive passes
//! [`check_no_secret_address`] before it leaves the provider (a report is
//! refused while its text names the address), and what is shown to the
//! family goes through [`PlacementSetting::for_family`] and
//! [`redact_secret_address`] as a second line of defence.

use crate::case::PlacementSetting;
use crate::rules::{Rule, RuleViolation};
use crate::text::ShortText;

/// What stands in place of a secret address in anything the family sees.
pub const REDACTED: &str = "[hemmelig adresse]";

fn normalise(s: &str) -> String {
    let spaced: String = s.chars().map(|c| if c == ',' || c == '.' || c.is_whitespace() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The forms of an address that give it away: the whole address, and the
/// street with its number (the part before the first comma).
fn needles(address: &str) -> Vec<String> {
    let mut out = vec![normalise(address)];
    if let Some(street) = address.split(',').next()
        && street.chars().any(|c| c.is_ascii_digit())
    {
        out.push(normalise(street));
    }
    out.retain(|n| n.len() >= 4);
    out.dedup();
    out
}

impl PlacementSetting {
    /// The address, when the committee has decided it is kept secret.
    pub fn secret_address(&self) -> Option<&ShortText> {
        self.address.as_ref().filter(|_| self.address_secret)
    }

    /// The placement setting as the family may see it. When the address is
    /// secret, so is everything that leads to it: the address, the foster
    /// family's or institution's name (shown as its kind) and the caregiver's
    /// name and phone.
    pub fn for_family(&self) -> PlacementSetting {
        let mut p = self.clone();
        if p.address_secret {
            p.address = None;
            p.name = ShortText::parse(p.kind.name().da).expect("kind names are valid short texts");
            p.caregiver_name = None;
            p.caregiver_phone = None;
        }
        p
    }
}

/// True when `text` names the secret address of the placement.
pub fn names_secret_address(placement: Option<&PlacementSetting>, text: &str) -> bool {
    let Some(address) = placement.and_then(PlacementSetting::secret_address) else {
        return false;
    };
    let hay = normalise(text);
    needles(address.as_str()).iter().any(|n| hay.contains(n.as_str()))
}

/// Refuses texts a parent will see or receive when any names the secret address.
pub fn check_no_secret_address(placement: Option<&PlacementSetting>, texts: &[&str]) -> Result<(), RuleViolation> {
    if texts.iter().any(|t| names_secret_address(placement, t)) {
        return Err(RuleViolation::with(
            Rule::SecretAddressNeverToParents,
            "Teksten nævner anbringelsesstedets hemmelige adresse, som forældrene ikke må kende.",
            "The text names the placement's secret address, which the parents must not know.",
        ));
    }
    Ok(())
}

/// The text cut into words, each with the spacing that follows it.
fn words_with_spacing(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut after_space = false;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            after_space = true;
        } else if after_space {
            words.push(&text[start..at]);
            start = at;
            after_space = false;
        }
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    words
}

/// The text with every mention of the secret address replaced by [`REDACTED`].
/// Matching ignores case, commas, full stops and spacing, so the replacement
/// works on the normalised form and keeps the rest of the text's words.
pub fn redact_secret_address(placement: Option<&PlacementSetting>, text: &str) -> String {
    if !names_secret_address(placement, text) {
        return text.to_string();
    }
    // Walk the text word by word; where a run of words normalises to an
    // address form, replace the longest such run.
    let address = placement.and_then(PlacementSetting::secret_address).expect("checked above");
    let forms = needles(address.as_str());
    // A run that normalises to a form holds at most as many normalised words
    // as the longest form; bounding runs by that count keeps a long text
    // linear however the address is spaced or punctuated.
    let longest = forms.iter().map(|f| f.split(' ').count()).max().unwrap_or(1);
    let words = words_with_spacing(text);
    let mut out = String::new();
    let mut i = 0;
    while i < words.len() {
        let mut matched = None;
        let mut count = 0;
        for j in i + 1..=words.len() {
            count += normalise(words[j - 1]).split_whitespace().count();
            if count > longest {
                break;
            }
            if forms.iter().any(|f| normalise(&words[i..j].concat()) == *f) {
                matched = Some(j);
            }
        }
        match matched {
            Some(j) => {
                let run = words[i..j].concat();
                let trailing = &run[run.trim_end().len()..];
                out.push_str(REDACTED);
                out.push_str(trailing);
                i = j;
            }
            None => {
                out.push_str(words[i]);
                i += 1;
            }
        }
    }
    if names_secret_address(placement, &out) {
        // The address was split across words in a way the walk did not
        // catch: withhold the whole text rather than leak it.
        return REDACTED.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::PlacementKind;

    fn placement(secret: bool) -> PlacementSetting {
        PlacementSetting {
            kind: PlacementKind::FosterFamily,
            name: ShortText::parse("Familien Skov").unwrap(),
            address: Some(ShortText::parse("Egevej 12, 4000 Roskilde").unwrap()),
            address_secret: secret,
            caregiver_name: Some(crate::text::PersonName::parse("Lone Skov").unwrap()),
            caregiver_phone: Some(ShortText::parse("+45 20 00 00 00").unwrap()),
        }
    }

    #[test]
    fn a_secret_address_never_reaches_the_family() {
        let p = placement(true);
        let seen = p.for_family();
        assert_eq!((seen.address, seen.name.as_str(), seen.caregiver_phone), (None, "Plejefamilie", None));
        assert_eq!(seen.caregiver_name, None);
        assert!(placement(false).for_family().address.is_some(), "an address that is not secret is shown");
        for leak in ["Barnet bor på Egevej 12, 4000 Roskilde.", "bor nu på EGEVEJ  12", "egevej 12,4000 roskilde"] {
            let err = check_no_secret_address(Some(&p), &["Titel", leak]).unwrap_err();
            assert_eq!(err.rule, Rule::SecretAddressNeverToParents);
            assert!(!redact_secret_address(Some(&p), leak).to_lowercase().contains("egevej 12"), "{leak}");
        }
        assert!(check_no_secret_address(Some(&p), &["Samværet gik godt på Egevej-legepladsen."]).is_ok());
        assert!(check_no_secret_address(Some(&placement(false)), &["Egevej 12, 4000 Roskilde"]).is_ok());
        assert_eq!(
            redact_secret_address(Some(&p), "Barnet bor på Egevej 12, 4000 Roskilde. Alt vel."),
            "Barnet bor på [hemmelig adresse] Alt vel."
        );
        // Loose spacing and a stray comma do not split the address.
        for loose in
            ["Hun bor på Egevej 12 ,  4000  Roskilde. Alt vel.", "Hun bor på egevej\n12,4000 roskilde. Alt vel."]
        {
            assert_eq!(redact_secret_address(Some(&p), loose), "Hun bor på [hemmelig adresse] Alt vel.", "{loose:?}");
        }
        // A long report is redacted word by word, not by every run of words.
        let long = format!("{} Egevej 12 {}", "ord ".repeat(20_000), "ord ".repeat(20_000));
        let redacted = redact_secret_address(Some(&p), &long);
        assert!(!redacted.to_lowercase().contains("egevej 12") && redacted.contains("[hemmelig adresse]"));
    }
}
