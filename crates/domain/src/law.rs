//! References to the law. Barnets lov (BL) is the act in force for children
//! since 1 January 2024; Serviceloven (SEL) held the same provisions before and
//! is what older documents cite.

use serde::{Serialize, Serializer};
use utoipa::ToSchema;

/// A Danish act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    /// Barnets lov, in force from 1 January 2024.
    BarnetsLov,
    /// Lov om social service, the former basis of the child provisions.
    Serviceloven,
    /// Databeskyttelsesloven.
    Databeskyttelsesloven,
    /// Offentlighedsloven.
    Offentlighedsloven,
}

impl Act {
    /// Short Danish abbreviation used in citations.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Act::BarnetsLov => "BL",
            Act::Serviceloven => "SEL",
            Act::Databeskyttelsesloven => "DBL",
            Act::Offentlighedsloven => "OFL",
        }
    }

    /// The act's Danish name.
    pub fn name_da(self) -> &'static str {
        match self {
            Act::BarnetsLov => "Barnets lov",
            Act::Serviceloven => "Serviceloven",
            Act::Databeskyttelsesloven => "Databeskyttelsesloven",
            Act::Offentlighedsloven => "Offentlighedsloven",
        }
    }

    /// The act's name in English, with the Danish name kept for recognition.
    pub fn name_en(self) -> &'static str {
        match self {
            Act::BarnetsLov => "the Children's Act (Barnets lov)",
            Act::Serviceloven => "the Social Services Act (Serviceloven)",
            Act::Databeskyttelsesloven => "the Data Protection Act (Databeskyttelsesloven)",
            Act::Offentlighedsloven => "the Access to Public Administration Files Act (Offentlighedsloven)",
        }
    }
}

/// A section of an act, optionally narrowed to a subsection (stk.) and a number (nr.).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LegalRef {
    /// The act.
    pub act: Act,
    /// Section, e.g. `104` or `77–78`.
    pub section: &'static str,
    /// Subsection (stk.), e.g. `3` or `1–2`.
    pub subsection: Option<&'static str>,
    /// Number (nr.) within the subsection.
    pub number: Option<&'static str>,
}

impl LegalRef {
    /// A whole section.
    pub const fn section(act: Act, section: &'static str) -> Self {
        Self { act, section, subsection: None, number: None }
    }

    /// A subsection.
    pub const fn stk(act: Act, section: &'static str, subsection: &'static str) -> Self {
        Self { act, section, subsection: Some(subsection), number: None }
    }

    /// A number within a subsection.
    pub const fn nr(act: Act, section: &'static str, subsection: &'static str, number: &'static str) -> Self {
        Self { act, section, subsection: Some(subsection), number: Some(number) }
    }

    fn sign(&self) -> &'static str {
        if self.section.contains('–') { "§§" } else { "§" }
    }

    /// Danish citation, e.g. `Barnets lov § 104, stk. 3`.
    pub fn citation_da(&self) -> String {
        let mut s = format!("{} {} {}", self.act.name_da(), self.sign(), self.section);
        if let Some(stk) = self.subsection {
            s.push_str(&format!(", stk. {stk}"));
        }
        if let Some(nr) = self.number {
            s.push_str(&format!(", nr. {nr}"));
        }
        s
    }

    /// Short Danish citation, e.g. `BL § 104, stk. 3`.
    pub fn short_da(&self) -> String {
        let mut s = format!("{} {} {}", self.act.abbreviation(), self.sign(), self.section);
        if let Some(stk) = self.subsection {
            s.push_str(&format!(", stk. {stk}"));
        }
        if let Some(nr) = self.number {
            s.push_str(&format!(", nr. {nr}"));
        }
        s
    }

    /// English citation, e.g. `the Children's Act (Barnets lov) § 104(3)`.
    pub fn citation_en(&self) -> String {
        let mut s = format!("{} {} {}", self.act.name_en(), self.sign(), self.section);
        if let Some(stk) = self.subsection {
            s.push_str(&format!("({stk})"));
        }
        if let Some(nr) = self.number {
            s.push_str(&format!(", no. {nr}"));
        }
        s
    }

    /// The citation in the given language.
    pub fn citation(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::Da => self.citation_da(),
            crate::Lang::En => self.citation_en(),
        }
    }
}

/// How a legal reference appears in the API.
#[derive(Serialize, ToSchema)]
#[schema(as = LegalRef)]
pub struct LegalRefView {
    /// The act.
    pub act: Act,
    /// Section.
    pub section: &'static str,
    /// Subsection (stk.).
    pub subsection: Option<&'static str>,
    /// Number (nr.).
    pub number: Option<&'static str>,
    /// Short Danish citation, e.g. `BL § 104, stk. 3`.
    pub short: String,
    /// Full Danish citation.
    pub citation_da: String,
    /// English citation.
    pub citation_en: String,
}

impl Serialize for LegalRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        LegalRefView {
            act: self.act,
            section: self.section,
            subsection: self.subsection,
            number: self.number,
            short: self.short_da(),
            citation_da: self.citation_da(),
            citation_en: self.citation_en(),
        }
        .serialize(s)
    }
}

impl utoipa::PartialSchema for LegalRef {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <LegalRefView as utoipa::PartialSchema>::schema()
    }
}

impl ToSchema for LegalRef {
    fn name() -> std::borrow::Cow<'static, str> {
        "LegalRef".into()
    }
}

/// Sections the rules and catalogue cite.
pub mod sections {
    use super::{Act::*, LegalRef};

    /// The child is a party from age 10.
    pub const BL_3: LegalRef = LegalRef::section(BarnetsLov, "3");
    /// The child must be heard before a decision.
    pub const BL_5: LegalRef = LegalRef::section(BarnetsLov, "5");
    /// The child-welfare investigation.
    pub const BL_20: LegalRef = LegalRef::section(BarnetsLov, "20");
    /// Practical-pedagogical support in the home.
    pub const BL_32_1_2: LegalRef = LegalRef::nr(BarnetsLov, "32", "1", "2");
    /// A fixed contact person.
    pub const BL_32_1_3: LegalRef = LegalRef::nr(BarnetsLov, "32", "1", "3");
    /// Consent of the custody holder to § 32 measures.
    pub const BL_32_2: LegalRef = LegalRef::stk(BarnetsLov, "32", "2");
    /// A § 32 decision states purpose and expected duration.
    pub const BL_32_3: LegalRef = LegalRef::stk(BarnetsLov, "32", "3");
    /// Support to parents of a child in care.
    pub const BL_76: LegalRef = LegalRef::section(BarnetsLov, "76");
    /// The parent action plan (forældrehandleplan).
    pub const BL_77_78: LegalRef = LegalRef::section(BarnetsLov, "77–78");
    /// The child may ask for a support person and for suspension of visitation.
    pub const BL_103_2: LegalRef = LegalRef::stk(BarnetsLov, "103", "2");
    /// The municipality decides scope and conditions of visitation.
    pub const BL_104_2: LegalRef = LegalRef::stk(BarnetsLov, "104", "2");
    /// Supported visitation, with consent of custody holder and young person from 15.
    pub const BL_104_3: LegalRef = LegalRef::stk(BarnetsLov, "104", "3");
    /// Suspension of visitation for up to 8 weeks.
    pub const BL_104_5: LegalRef = LegalRef::stk(BarnetsLov, "104", "5");
    /// The committee's decisions on visitation: supervision, cut-off, a secret address.
    pub const BL_105: LegalRef = LegalRef::section(BarnetsLov, "105");
    /// Supervised visitation decided by the committee.
    pub const BL_105_1_2: LegalRef = LegalRef::stk(BarnetsLov, "105", "1–2");
    /// Former basis of supported visitation.
    pub const SEL_71_2: LegalRef = LegalRef::stk(Serviceloven, "71", "2");
    /// Former basis of supervised visitation.
    pub const SEL_71_3_4: LegalRef = LegalRef::stk(Serviceloven, "71", "3–4");
    /// Former basis of home support, as the source pages cite it.
    pub const SEL_52_3_3: LegalRef = LegalRef::nr(Serviceloven, "52", "3", "3");
    /// Former basis of a fixed contact person.
    pub const SEL_52_3_7: LegalRef = LegalRef::nr(Serviceloven, "52", "3", "7");
    /// Former basis of support for parents of children in care.
    pub const SEL_54: LegalRef = LegalRef::section(Serviceloven, "54");
    /// CPR numbers only for unique identification.
    pub const DBL_11: LegalRef = LegalRef::section(Databeskyttelsesloven, "11");
    /// Oral information of significance is noted.
    pub const OFL_13: LegalRef = LegalRef::section(Offentlighedsloven, "13");
}

#[cfg(test)]
mod tests {
    use super::sections::*;

    #[test]
    fn citations_read_as_in_danish_practice() {
        assert_eq!(BL_104_3.citation_da(), "Barnets lov § 104, stk. 3");
        assert_eq!(BL_104_3.short_da(), "BL § 104, stk. 3");
        assert_eq!(BL_32_1_2.short_da(), "BL § 32, stk. 1, nr. 2");
        assert_eq!(BL_77_78.short_da(), "BL §§ 77–78");
        assert_eq!(SEL_71_3_4.short_da(), "SEL § 71, stk. 3–4");
        assert_eq!(BL_104_3.citation_en(), "the Children's Act (Barnets lov) § 104(3)");
    }
}
