//! The two languages of Samvirke and text that exists in both.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A language the user interface and API messages speak. Danish is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish (default).
    #[default]
    Da,
    /// English.
    En,
}

impl Lang {
    /// Picks the first supported language of an HTTP `Accept-Language` header value;
    /// Danish when none is supported or the header is absent.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::Da;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            let lang = match tag.split('-').next().unwrap_or("") {
                "da" | "nb" | "no" | "nn" => Some(Lang::Da),
                "en" => Some(Lang::En),
                _ => None,
            };
            if let Some(lang) = lang
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::Da)
    }

    /// The BCP 47 tag (`da`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }
}

/// A text written in Danish and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Localized {
    /// Danish.
    pub da: &'static str,
    /// English.
    pub en: &'static str,
}

impl Localized {
    /// Both languages at once.
    pub const fn new(da: &'static str, en: &'static str) -> Self {
        Self { da, en }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Da => self.da,
            Lang::En => self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality_supported_language() {
        assert_eq!(Lang::from_accept_language(None), Lang::Da);
        assert_eq!(Lang::from_accept_language(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("de, en;q=0.5, da;q=0.8")), Lang::Da);
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::Da);
        assert_eq!(Lang::from_accept_language(Some("da-DK")), Lang::Da);
    }
}
