//! Businesses and their value objects (spec 02 §2.1–2.3, §4.1–4.4).
//!
//! Constructors validate: a [`Business`] only exists with a normalised descriptor, an upper-case
//! two-character country code and an upper-case three-character currency. Format rules that the
//! contract treats as request binding (required fields, email and URL shapes) are checked by the
//! HTTP layer before these constructors run.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error;
use crate::shared::error::DomainError;
use crate::shared::id::{IdPrefix, new_id};

/// Normalises a business descriptor (rule 4.1): trimmed and lower-cased, then 2–63 characters
/// of `[a-z0-9-]` starting with a letter or digit.
///
/// # Errors
/// 400 `business.descriptor_required` when blank, `business.descriptor_invalid` (with the
/// normalised descriptor and the hint) when it has the wrong shape.
pub fn parse_descriptor(raw: &str) -> Result<String, DomainError> {
    let descriptor = raw.trim().to_lowercase();
    if descriptor.is_empty() {
        return Err(error::descriptor_required());
    }
    if !has_descriptor_shape(&descriptor) {
        return Err(error::descriptor_invalid(&descriptor));
    }
    Ok(descriptor)
}

/// `^[a-z0-9][a-z0-9-]{1,62}$`.
fn has_descriptor_shape(descriptor: &str) -> bool {
    let bytes = descriptor.as_bytes();
    let alphanumeric = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    (2..=63).contains(&bytes.len())
        && bytes.first().is_some_and(alphanumeric)
        && bytes.iter().all(|b| alphanumeric(b) || *b == b'-')
}

/// Trims and upper-cases a country code; only the length (2 characters) is checked (rule 4.2).
///
/// # Errors
/// 400 `business.invalid_country_code`.
pub fn parse_country_code(raw: &str) -> Result<String, DomainError> {
    let code = raw.trim().to_uppercase();
    if code.chars().count() == 2 {
        Ok(code)
    } else {
        Err(error::invalid_country_code())
    }
}

/// Trims and upper-cases a currency code; only the length (3 characters) is checked (rule 4.2).
///
/// # Errors
/// 400 `business.invalid_currency`.
pub fn parse_currency(raw: &str) -> Result<String, DomainError> {
    let code = raw.trim().to_uppercase();
    if code.chars().count() == 3 {
        Ok(code)
    } else {
        Err(error::invalid_currency())
    }
}

/// A reference to an uploaded file (spec 02 §2.3), used for business logos and, later, product
/// and variant photos. Stored as JSON; empty optional parts are omitted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetReference {
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub original_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub thumbnail_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub thumbnail_original_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub asset_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<AssetMetadata>,
}

/// Optional descriptive data of an [`AssetReference`]; empty parts are omitted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetMetadata {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt_text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub width: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub height: i64,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
const fn is_zero(value: &i64) -> bool {
    *value == 0
}

/// The storefront's look (spec 02 §2.2): seven free strings, every one always present (`""` by
/// default). Stored as a JSON object; keys the server does not know are ignored when read back.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StorefrontTheme {
    pub primary_color: String,
    pub secondary_color: String,
    pub accent_color: String,
    pub background_color: String,
    pub text_color: String,
    pub font_family: String,
    pub heading_font_family: String,
}

/// A business of a workspace (spec 02 §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Business {
    pub id: String,
    pub workspace_id: String,
    /// Normalised per rule 4.1; unique among the workspace's live businesses.
    pub descriptor: String,
    pub name: String,
    pub brand: String,
    pub logo: Option<AssetReference>,
    /// Two characters, upper case.
    pub country_code: String,
    /// Three characters, upper case.
    pub currency: String,
    /// `sf…`, set at creation and never changed through the API.
    pub storefront_public_id: String,
    pub storefront_enabled: bool,
    pub storefront_theme: StorefrontTheme,
    pub support_email: String,
    pub phone_number: String,
    pub whatsapp_number: String,
    pub address: String,
    pub website_url: String,
    pub instagram_url: String,
    pub facebook_url: String,
    pub tiktok_url: String,
    pub x_url: String,
    pub snapchat_url: String,
    /// A fraction (0.14 = 14 %); no range check.
    pub vat_rate: Decimal,
    /// Money kept aside by accounting's "safe to draw".
    pub safety_buffer: Decimal,
    pub established_at: NaiveDate,
    /// Set while archived (rule 4.4).
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a client gives to create a business, after the request's binding rules passed.
///
/// `name` is kept exactly; the other texts are trimmed; the codes are normalised and checked by
/// [`Business::new`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewBusiness {
    pub name: String,
    pub descriptor: String,
    pub country_code: String,
    pub currency: String,
    pub brand: String,
    pub logo: Option<AssetReference>,
    pub storefront_enabled: bool,
    pub storefront_theme: StorefrontTheme,
    pub support_email: String,
    pub phone_number: String,
    pub whatsapp_number: String,
    pub address: String,
    pub website_url: String,
    pub instagram_url: String,
    pub facebook_url: String,
    pub tiktok_url: String,
    pub x_url: String,
    pub snapchat_url: String,
    pub vat_rate: Decimal,
    pub safety_buffer: Decimal,
    /// `None` means today (UTC).
    pub established_at: Option<NaiveDate>,
}

/// A PATCH of a business: `None` leaves a field unchanged (pointer semantics, spec 02 §3.0).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BusinessChanges {
    pub name: Option<String>,
    pub descriptor: Option<String>,
    pub country_code: Option<String>,
    pub currency: Option<String>,
    pub brand: Option<String>,
    pub logo: Option<AssetReference>,
    pub storefront_enabled: Option<bool>,
    pub storefront_theme: Option<StorefrontTheme>,
    pub support_email: Option<String>,
    pub phone_number: Option<String>,
    pub whatsapp_number: Option<String>,
    pub address: Option<String>,
    pub website_url: Option<String>,
    pub instagram_url: Option<String>,
    pub facebook_url: Option<String>,
    pub tiktok_url: Option<String>,
    pub x_url: Option<String>,
    pub snapchat_url: Option<String>,
    pub vat_rate: Option<Decimal>,
    pub safety_buffer: Option<Decimal>,
    /// `Some(None)`: the client sent an empty date, which means today (UTC).
    pub established_at: Option<Option<NaiveDate>>,
}

fn trimmed(value: &str) -> String {
    value.trim().to_owned()
}

fn replace_trimmed(field: &mut String, value: Option<String>) {
    if let Some(value) = value {
        *field = trimmed(&value);
    }
}

impl Business {
    /// A new live business of `workspace_id` with fresh ids, created at `now`.
    ///
    /// # Errors
    /// In this order: 400 `business.descriptor_required` / `business.descriptor_invalid`,
    /// `business.invalid_country_code`, `business.invalid_currency`.
    pub fn new(
        workspace_id: &str,
        input: NewBusiness,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let descriptor = parse_descriptor(&input.descriptor)?;
        let country_code = parse_country_code(&input.country_code)?;
        let currency = parse_currency(&input.currency)?;
        Ok(Self {
            id: new_id(IdPrefix::Business),
            workspace_id: workspace_id.to_owned(),
            descriptor,
            name: input.name,
            brand: trimmed(&input.brand),
            logo: input.logo,
            country_code,
            currency,
            storefront_public_id: new_id(IdPrefix::Storefront),
            storefront_enabled: input.storefront_enabled,
            storefront_theme: input.storefront_theme,
            support_email: trimmed(&input.support_email),
            phone_number: trimmed(&input.phone_number),
            whatsapp_number: trimmed(&input.whatsapp_number),
            address: trimmed(&input.address),
            website_url: trimmed(&input.website_url),
            instagram_url: trimmed(&input.instagram_url),
            facebook_url: trimmed(&input.facebook_url),
            tiktok_url: trimmed(&input.tiktok_url),
            x_url: trimmed(&input.x_url),
            snapchat_url: trimmed(&input.snapchat_url),
            vat_rate: input.vat_rate,
            safety_buffer: input.safety_buffer,
            established_at: input.established_at.unwrap_or_else(|| now.date_naive()),
            archived_at: None,
            created_at: now,
            updated_at: now,
        })
    }

    /// Applies a PATCH at `now`; nothing changes when a rule fails. Returns whether the
    /// descriptor changed (the caller then checks that the new one is free).
    ///
    /// # Errors
    /// 400 `business.descriptor_required` / `business.descriptor_invalid`,
    /// `business.invalid_country_code`, `business.invalid_currency`.
    pub fn apply(
        &mut self,
        changes: BusinessChanges,
        now: DateTime<Utc>,
    ) -> Result<bool, DomainError> {
        let descriptor = changes
            .descriptor
            .as_deref()
            .map(parse_descriptor)
            .transpose()?;
        let country_code = changes
            .country_code
            .as_deref()
            .map(parse_country_code)
            .transpose()?;
        let currency = changes
            .currency
            .as_deref()
            .map(parse_currency)
            .transpose()?;
        let descriptor_changed = descriptor
            .as_ref()
            .is_some_and(|new| *new != self.descriptor);
        if let Some(descriptor) = descriptor {
            self.descriptor = descriptor;
        }
        if let Some(code) = country_code {
            self.country_code = code;
        }
        if let Some(code) = currency {
            self.currency = code;
        }
        replace_trimmed(&mut self.name, changes.name);
        replace_trimmed(&mut self.brand, changes.brand);
        replace_trimmed(&mut self.support_email, changes.support_email);
        replace_trimmed(&mut self.phone_number, changes.phone_number);
        replace_trimmed(&mut self.whatsapp_number, changes.whatsapp_number);
        replace_trimmed(&mut self.address, changes.address);
        replace_trimmed(&mut self.website_url, changes.website_url);
        replace_trimmed(&mut self.instagram_url, changes.instagram_url);
        replace_trimmed(&mut self.facebook_url, changes.facebook_url);
        replace_trimmed(&mut self.tiktok_url, changes.tiktok_url);
        replace_trimmed(&mut self.x_url, changes.x_url);
        replace_trimmed(&mut self.snapchat_url, changes.snapchat_url);
        if let Some(logo) = changes.logo {
            self.logo = Some(logo);
        }
        if let Some(theme) = changes.storefront_theme {
            self.storefront_theme = theme;
        }
        if let Some(enabled) = changes.storefront_enabled {
            self.storefront_enabled = enabled;
        }
        if let Some(rate) = changes.vat_rate {
            self.vat_rate = rate;
        }
        if let Some(buffer) = changes.safety_buffer {
            self.safety_buffer = buffer;
        }
        if let Some(date) = changes.established_at {
            self.established_at = date.unwrap_or_else(|| now.date_naive());
        }
        self.updated_at = now;
        Ok(descriptor_changed)
    }

    /// Whether the business is archived.
    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }

    /// Applies `action` at `now` (rule 4.4); returns whether anything changed.
    pub fn transition(&mut self, action: ArchiveAction, now: DateTime<Utc>) -> bool {
        let next = archive_transition(self.archived_at, action, now);
        if next == self.archived_at {
            return false;
        }
        self.archived_at = next;
        self.updated_at = now;
        true
    }
}

/// What can be done to a business's archive state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveAction {
    Archive,
    Unarchive,
}

/// The archive state machine of rule 4.4 on `archived_at`: archiving an active business stamps
/// `now`; archiving an archived one keeps its original time; unarchiving clears it; unarchiving
/// an active one changes nothing.
pub fn archive_transition(
    archived_at: Option<DateTime<Utc>>,
    action: ArchiveAction,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match (archived_at, action) {
        (None, ArchiveAction::Archive) => Some(now),
        (Some(at), ArchiveAction::Archive) => Some(at),
        (Some(_) | None, ArchiveAction::Unarchive) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn input(descriptor: &str, country: &str, currency: &str) -> NewBusiness {
        NewBusiness {
            name: " Test Business ".into(),
            descriptor: descriptor.into(),
            country_code: country.into(),
            currency: currency.into(),
            brand: "  Brand ".into(),
            support_email: " help@shop.example ".into(),
            website_url: " https://shop.example ".into(),
            vat_rate: dec!(0.14),
            safety_buffer: dec!(100.50),
            ..NewBusiness::default()
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-04T10:11:12Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn descriptors_are_trimmed_lower_cased_and_shape_checked() {
        assert_eq!(parse_descriptor("TEST-Business").unwrap(), "test-business");
        assert_eq!(parse_descriptor("  test-BIZ  ").unwrap(), "test-biz");
        assert_eq!(parse_descriptor("a1").unwrap(), "a1");
        assert_eq!(parse_descriptor("0-").unwrap(), "0-");
        let longest = format!("a{}", "b".repeat(62));
        assert_eq!(parse_descriptor(&longest).unwrap(), longest);
        for blank in ["", "   ", "\t"] {
            assert_eq!(
                parse_descriptor(blank).unwrap_err().code,
                "business.descriptor_required"
            );
        }
        let too_long = format!("a{}", "b".repeat(63));
        for bad in [
            "test_business",
            "a",
            "-abc",
            "with space",
            "émile",
            too_long.as_str(),
        ] {
            let err = parse_descriptor(bad).unwrap_err();
            assert_eq!(err.code, "business.descriptor_invalid", "{bad}");
            assert_eq!(err.extensions["hint"], error::DESCRIPTOR_HINT);
        }
        assert_eq!(
            parse_descriptor(" Bad_One ").unwrap_err().extensions["descriptor"],
            "bad_one"
        );
    }

    #[test]
    fn country_and_currency_codes_are_normalised_and_only_their_length_is_checked() {
        assert_eq!(parse_country_code(" eg ").unwrap(), "EG");
        assert_eq!(parse_country_code("zz").unwrap(), "ZZ");
        assert_eq!(parse_currency("usd").unwrap(), "USD");
        assert_eq!(parse_currency(" eur").unwrap(), "EUR");
        for bad in ["", "e", "egy", " e "] {
            assert_eq!(
                parse_country_code(bad).unwrap_err().code,
                "business.invalid_country_code"
            );
        }
        for bad in ["us", "usdx", ""] {
            assert_eq!(
                parse_currency(bad).unwrap_err().code,
                "business.invalid_currency"
            );
        }
    }

    #[test]
    fn a_new_business_normalises_its_codes_and_trims_all_texts_but_the_name() {
        let business = Business::new("wrk1", input(" TEST-business", "eg", "usd"), now()).unwrap();
        assert!(business.id.starts_with("bus"));
        assert!(business.storefront_public_id.starts_with("sf"));
        assert_eq!(business.descriptor, "test-business");
        assert_eq!(business.country_code, "EG");
        assert_eq!(business.currency, "USD");
        assert_eq!(business.name, " Test Business ");
        assert_eq!(business.brand, "Brand");
        assert_eq!(business.support_email, "help@shop.example");
        assert_eq!(business.website_url, "https://shop.example");
        assert_eq!(business.established_at, now().date_naive());
        assert_eq!(business.archived_at, None);
        assert!(!business.storefront_enabled);
        assert_eq!(business.created_at, now());
    }

    #[test]
    fn creation_rules_fail_in_the_contract_order() {
        let code = |i: NewBusiness| Business::new("w", i, now()).unwrap_err().code;
        assert_eq!(code(input(" ", "e", "us")), "business.descriptor_required");
        assert_eq!(code(input("a_b", "e", "us")), "business.descriptor_invalid");
        assert_eq!(
            code(input("ab", "e", "us")),
            "business.invalid_country_code"
        );
        assert_eq!(code(input("ab", "eg", "us")), "business.invalid_currency");
    }

    #[test]
    fn a_patch_changes_only_what_it_names_and_reports_a_descriptor_change() {
        let mut business = Business::new("w", input("shop", "eg", "usd"), now()).unwrap();
        let before = business.clone();
        let later = now() + chrono::Duration::hours(1);
        let changed = business
            .apply(
                BusinessChanges {
                    name: Some("  Updated Name ".into()),
                    descriptor: Some(" SHOP ".into()),
                    currency: Some("eur".into()),
                    vat_rate: Some(dec!(0.05)),
                    established_at: Some(None),
                    ..BusinessChanges::default()
                },
                later,
            )
            .unwrap();
        assert!(!changed, "the same descriptor in another case is no change");
        assert_eq!(business.name, "Updated Name");
        assert_eq!(business.currency, "EUR");
        assert_eq!(business.vat_rate, dec!(0.05));
        assert_eq!(business.established_at, later.date_naive());
        assert_eq!(business.country_code, before.country_code);
        assert_eq!(business.brand, before.brand);
        assert_eq!(business.updated_at, later);
        let changed = business
            .apply(
                BusinessChanges {
                    descriptor: Some("NEW-Descriptor".into()),
                    ..BusinessChanges::default()
                },
                later,
            )
            .unwrap();
        assert!(changed);
        assert_eq!(business.descriptor, "new-descriptor");
    }

    #[test]
    fn a_failing_patch_changes_nothing() {
        let mut business = Business::new("w", input("shop", "eg", "usd"), now()).unwrap();
        let before = business.clone();
        for changes in [
            BusinessChanges {
                name: Some("x".into()),
                descriptor: Some(String::new()),
                ..BusinessChanges::default()
            },
            BusinessChanges {
                name: Some("x".into()),
                country_code: Some(String::new()),
                ..BusinessChanges::default()
            },
            BusinessChanges {
                name: Some("x".into()),
                currency: Some("us".into()),
                ..BusinessChanges::default()
            },
        ] {
            assert!(business.apply(changes, now()).is_err());
            assert_eq!(business, before);
        }
    }

    #[test]
    fn the_archive_state_machine_covers_every_state_and_action() {
        let t0 = now();
        let t1 = t0 + chrono::Duration::minutes(5);
        let cases = [
            (None, ArchiveAction::Archive, Some(t1)),
            (Some(t0), ArchiveAction::Archive, Some(t0)),
            (Some(t0), ArchiveAction::Unarchive, None),
            (None, ArchiveAction::Unarchive, None),
        ];
        for (from, action, to) in cases {
            assert_eq!(
                archive_transition(from, action, t1),
                to,
                "{from:?} {action:?}"
            );
        }
    }

    #[test]
    fn transitions_touch_the_business_only_when_the_state_changes() {
        let mut business = Business::new("w", input("shop", "eg", "usd"), now()).unwrap();
        let t1 = now() + chrono::Duration::minutes(1);
        assert!(business.transition(ArchiveAction::Archive, t1));
        assert_eq!(business.archived_at, Some(t1));
        assert!(business.is_archived());
        let t2 = t1 + chrono::Duration::minutes(1);
        assert!(!business.transition(ArchiveAction::Archive, t2));
        assert_eq!(business.archived_at, Some(t1));
        assert_eq!(business.updated_at, t1);
        assert!(business.transition(ArchiveAction::Unarchive, t2));
        assert_eq!(business.archived_at, None);
        assert!(!business.transition(ArchiveAction::Unarchive, t2));
    }

    #[test]
    fn asset_references_and_themes_serialise_with_the_contract_keys() {
        let logo = AssetReference {
            url: "https://cdn.example/logo.png".into(),
            asset_id: "ast1".into(),
            metadata: Some(AssetMetadata {
                alt_text: "Logo".into(),
                width: 64,
                ..AssetMetadata::default()
            }),
            ..AssetReference::default()
        };
        assert_eq!(
            serde_json::to_value(&logo).unwrap(),
            serde_json::json!({
                "url": "https://cdn.example/logo.png",
                "assetId": "ast1",
                "metadata": {"altText": "Logo", "width": 64}
            })
        );
        let theme: StorefrontTheme =
            serde_json::from_value(serde_json::json!({"primaryColor": "#fff", "legacy": 1}))
                .unwrap();
        assert_eq!(theme.primary_color, "#fff");
        let json = serde_json::to_value(&theme).unwrap();
        assert_eq!(json.as_object().unwrap().len(), 7);
        assert_eq!(json["headingFontFamily"], "");
    }
}
