//! Request and response bodies of the business, shipping-zone and payment-method routes
//! (spec 02 §2.1–2.5, §3.1–3.3).
//!
//! Binding rules (request.invalid_body) live here: required fields, lengths in characters,
//! email and absolute-URL shapes, decimal inputs as strings or numbers. The domain's own rules
//! (descriptor, codes, zone names, fees) run in the core afterwards, with their own codes.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use kyora_core::DomainError;
use kyora_core::business::{
    AssetMetadata, AssetReference, Business, BusinessChanges, NewBusiness, NewShippingZone,
    PaymentMethod, PaymentMethodChanges, ShippingZone, ShippingZoneChanges, StorefrontTheme,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidateEmail, ValidateUrl, ValidationError};

use crate::decimal;
use crate::problem::ApiError;

// ---- shared value objects ---------------------------------------------------------------------

/// An uploaded file's reference (spec 02 §2.3); empty optional parts are omitted.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AssetReferenceBody {
    #[validate(length(min = 1, max = 2048))]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[validate(length(max = 2048))]
    pub original_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[validate(length(max = 2048))]
    pub thumbnail_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[validate(length(max = 2048))]
    pub thumbnail_original_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub asset_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<AssetMetadataBody>,
}

/// Descriptive data of an asset reference; empty parts are omitted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AssetMetadataBody {
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

impl From<AssetReferenceBody> for AssetReference {
    fn from(body: AssetReferenceBody) -> Self {
        Self {
            url: body.url,
            original_url: body.original_url,
            thumbnail_url: body.thumbnail_url,
            thumbnail_original_url: body.thumbnail_original_url,
            asset_id: body.asset_id,
            metadata: body.metadata.map(|m| AssetMetadata {
                alt_text: m.alt_text,
                caption: m.caption,
                width: m.width,
                height: m.height,
            }),
        }
    }
}

impl From<AssetReference> for AssetReferenceBody {
    fn from(asset: AssetReference) -> Self {
        Self {
            url: asset.url,
            original_url: asset.original_url,
            thumbnail_url: asset.thumbnail_url,
            thumbnail_original_url: asset.thumbnail_original_url,
            asset_id: asset.asset_id,
            metadata: asset.metadata.map(|m| AssetMetadataBody {
                alt_text: m.alt_text,
                caption: m.caption,
                width: m.width,
                height: m.height,
            }),
        }
    }
}

/// The storefront's look: seven strings, always all present in output (`""` by default);
/// unknown keys are refused.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct StorefrontThemeBody {
    pub primary_color: String,
    pub secondary_color: String,
    pub accent_color: String,
    pub background_color: String,
    pub text_color: String,
    pub font_family: String,
    pub heading_font_family: String,
}

impl From<StorefrontThemeBody> for StorefrontTheme {
    fn from(body: StorefrontThemeBody) -> Self {
        Self {
            primary_color: body.primary_color,
            secondary_color: body.secondary_color,
            accent_color: body.accent_color,
            background_color: body.background_color,
            text_color: body.text_color,
            font_family: body.font_family,
            heading_font_family: body.heading_font_family,
        }
    }
}

impl From<StorefrontTheme> for StorefrontThemeBody {
    fn from(theme: StorefrontTheme) -> Self {
        Self {
            primary_color: theme.primary_color,
            secondary_color: theme.secondary_color,
            accent_color: theme.accent_color,
            background_color: theme.background_color,
            text_color: theme.text_color,
            font_family: theme.font_family,
            heading_font_family: theme.heading_font_family,
        }
    }
}

// ---- businesses -------------------------------------------------------------------------------

/// A business as every endpoint returns it (spec 02 §2.1). `logo` and `archivedAt` are omitted
/// when unset; `vatRate` is canonical, `safetyBuffer` has two places; `establishedAt` is the date
/// at midnight UTC.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BusinessResponse {
    pub id: String,
    pub workspace_id: String,
    pub descriptor: String,
    pub name: String,
    pub brand: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<AssetReferenceBody>,
    pub country_code: String,
    pub currency: String,
    pub storefront_public_id: String,
    pub storefront_enabled: bool,
    pub storefront_theme: StorefrontThemeBody,
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
    /// A fraction, canonical (`"0.14"`).
    #[serde(serialize_with = "decimal::canonical")]
    #[schema(value_type = String, example = "0.14")]
    pub vat_rate: Decimal,
    /// Money with two places (`"100.50"`).
    #[serde(serialize_with = "decimal::fixed2")]
    #[schema(value_type = String, example = "100.50")]
    pub safety_buffer: Decimal,
    pub established_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Business> for BusinessResponse {
    fn from(b: Business) -> Self {
        Self {
            id: b.id,
            workspace_id: b.workspace_id,
            descriptor: b.descriptor,
            name: b.name,
            brand: b.brand,
            logo: b.logo.map(AssetReferenceBody::from),
            country_code: b.country_code,
            currency: b.currency,
            storefront_public_id: b.storefront_public_id,
            storefront_enabled: b.storefront_enabled,
            storefront_theme: b.storefront_theme.into(),
            support_email: b.support_email,
            phone_number: b.phone_number,
            whatsapp_number: b.whatsapp_number,
            address: b.address,
            website_url: b.website_url,
            instagram_url: b.instagram_url,
            facebook_url: b.facebook_url,
            tiktok_url: b.tiktok_url,
            x_url: b.x_url,
            snapchat_url: b.snapchat_url,
            vat_rate: b.vat_rate,
            safety_buffer: b.safety_buffer,
            established_at: b.established_at.and_time(NaiveTime::MIN).and_utc(),
            archived_at: b.archived_at,
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

/// `{"business": …}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessEnvelope {
    pub business: BusinessResponse,
}

impl From<Business> for BusinessEnvelope {
    fn from(business: Business) -> Self {
        Self {
            business: business.into(),
        }
    }
}

/// `{"businesses": […]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessList {
    pub businesses: Vec<BusinessResponse>,
}

/// `{"available": …}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AvailabilityResponse {
    pub available: bool,
}

/// `?descriptor=` of the availability check.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AvailabilityQuery {
    pub descriptor: Option<String>,
}

fn optional_email(value: &str) -> Result<(), ValidationError> {
    if value.is_empty() || value.validate_email() {
        Ok(())
    } else {
        Err(ValidationError::new("email"))
    }
}

fn optional_url(value: &str) -> Result<(), ValidationError> {
    if value.is_empty() || value.validate_url() {
        Ok(())
    } else {
        Err(ValidationError::new("url"))
    }
}

/// `establishedAt`: `YYYY-MM-DD` (UTC) or RFC 3339 (its UTC date); `""` means unset.
///
/// # Errors
/// 400 `request.invalid_body` for any other text.
fn established_date(raw: &str) -> Result<Option<NaiveDate>, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Ok(Some(date));
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|at| Some(at.with_timezone(&Utc).date_naive()))
        .map_err(|err| DomainError::invalid_body().with_cause(err).into())
}

/// A new business. `name`, `descriptor`, `countryCode` (2 characters) and `currency`
/// (3 characters) are required; e-mail and URLs are checked when non-empty; decimals are strings
/// or numbers.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateBusinessRequest {
    #[validate(length(min = 1))]
    pub name: String,
    #[validate(length(min = 1))]
    pub descriptor: String,
    #[validate(length(equal = 2))]
    pub country_code: String,
    #[validate(length(equal = 3))]
    pub currency: String,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub logo: Option<AssetReferenceBody>,
    #[serde(default)]
    pub storefront_enabled: Option<bool>,
    #[serde(default)]
    pub storefront_theme: Option<StorefrontThemeBody>,
    #[serde(default)]
    #[validate(custom(function = "optional_email"))]
    pub support_email: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub whatsapp_number: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "optional_url"))]
    pub website_url: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "optional_url"))]
    pub instagram_url: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "optional_url"))]
    pub facebook_url: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "optional_url"))]
    pub tiktok_url: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "optional_url"))]
    pub x_url: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "optional_url"))]
    pub snapchat_url: Option<String>,
    /// A string or a number; default 0.
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>, example = "0.14")]
    pub vat_rate: Option<Decimal>,
    /// A string or a number; default 0.
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>, example = "100.50")]
    pub safety_buffer: Option<Decimal>,
    /// `YYYY-MM-DD` or RFC 3339; empty or absent means today.
    #[serde(default)]
    pub established_at: Option<String>,
}

impl CreateBusinessRequest {
    /// The domain's input.
    ///
    /// # Errors
    /// 400 `request.invalid_body` for an unreadable `establishedAt`.
    pub fn into_domain(self) -> Result<NewBusiness, ApiError> {
        let established_at = match self.established_at.as_deref() {
            Some(raw) => established_date(raw)?,
            None => None,
        };
        Ok(NewBusiness {
            name: self.name,
            descriptor: self.descriptor,
            country_code: self.country_code,
            currency: self.currency,
            brand: self.brand.unwrap_or_default(),
            logo: self.logo.map(AssetReference::from),
            storefront_enabled: self.storefront_enabled.unwrap_or(false),
            storefront_theme: self
                .storefront_theme
                .map(StorefrontTheme::from)
                .unwrap_or_default(),
            support_email: self.support_email.unwrap_or_default(),
            phone_number: self.phone_number.unwrap_or_default(),
            whatsapp_number: self.whatsapp_number.unwrap_or_default(),
            address: self.address.unwrap_or_default(),
            website_url: self.website_url.unwrap_or_default(),
            instagram_url: self.instagram_url.unwrap_or_default(),
            facebook_url: self.facebook_url.unwrap_or_default(),
            tiktok_url: self.tiktok_url.unwrap_or_default(),
            x_url: self.x_url.unwrap_or_default(),
            snapchat_url: self.snapchat_url.unwrap_or_default(),
            vat_rate: self.vat_rate.unwrap_or_default(),
            safety_buffer: self.safety_buffer.unwrap_or_default(),
            established_at,
        })
    }
}

/// A business PATCH: absent or `null` leaves a field unchanged; a present field is validated
/// even when empty (so e-mail, URLs, country and currency cannot be cleared).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateBusinessRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub descriptor: Option<String>,
    #[serde(default)]
    pub country_code: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub logo: Option<AssetReferenceBody>,
    #[serde(default)]
    pub storefront_enabled: Option<bool>,
    #[serde(default)]
    pub storefront_theme: Option<StorefrontThemeBody>,
    #[serde(default)]
    #[validate(email)]
    pub support_email: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub whatsapp_number: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    #[validate(url)]
    pub website_url: Option<String>,
    #[serde(default)]
    #[validate(url)]
    pub instagram_url: Option<String>,
    #[serde(default)]
    #[validate(url)]
    pub facebook_url: Option<String>,
    #[serde(default)]
    #[validate(url)]
    pub tiktok_url: Option<String>,
    #[serde(default)]
    #[validate(url)]
    pub x_url: Option<String>,
    #[serde(default)]
    #[validate(url)]
    pub snapchat_url: Option<String>,
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>)]
    pub vat_rate: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>)]
    pub safety_buffer: Option<Decimal>,
    /// `YYYY-MM-DD` or RFC 3339; `""` sets today.
    #[serde(default)]
    pub established_at: Option<String>,
}

impl UpdateBusinessRequest {
    /// The domain's changes.
    ///
    /// # Errors
    /// 400 `request.invalid_body` for an unreadable `establishedAt`.
    pub fn into_domain(self) -> Result<BusinessChanges, ApiError> {
        let established_at = self
            .established_at
            .as_deref()
            .map(established_date)
            .transpose()?;
        Ok(BusinessChanges {
            name: self.name,
            descriptor: self.descriptor,
            country_code: self.country_code,
            currency: self.currency,
            brand: self.brand,
            logo: self.logo.map(AssetReference::from),
            storefront_enabled: self.storefront_enabled,
            storefront_theme: self.storefront_theme.map(StorefrontTheme::from),
            support_email: self.support_email,
            phone_number: self.phone_number,
            whatsapp_number: self.whatsapp_number,
            address: self.address,
            website_url: self.website_url,
            instagram_url: self.instagram_url,
            facebook_url: self.facebook_url,
            tiktok_url: self.tiktok_url,
            x_url: self.x_url,
            snapchat_url: self.snapchat_url,
            vat_rate: self.vat_rate,
            safety_buffer: self.safety_buffer,
            established_at,
        })
    }
}

// ---- shipping zones ---------------------------------------------------------------------------

/// A shipping zone (spec 02 §2.4); amounts are canonical.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShippingZoneResponse {
    pub id: String,
    pub business_id: String,
    pub name: String,
    pub countries: Vec<String>,
    pub currency: String,
    #[serde(serialize_with = "decimal::canonical")]
    #[schema(value_type = String, example = "10")]
    pub shipping_cost: Decimal,
    #[serde(serialize_with = "decimal::canonical")]
    #[schema(value_type = String, example = "0")]
    pub free_shipping_threshold: Decimal,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ShippingZone> for ShippingZoneResponse {
    fn from(z: ShippingZone) -> Self {
        Self {
            id: z.id,
            business_id: z.business_id,
            name: z.name,
            countries: z.countries,
            currency: z.currency,
            shipping_cost: z.shipping_cost,
            free_shipping_threshold: z.free_shipping_threshold,
            created_at: z.created_at,
            updated_at: z.updated_at,
        }
    }
}

fn two_character_codes(codes: &[String]) -> Result<(), ValidationError> {
    if codes.iter().all(|code| code.chars().count() == 2) {
        Ok(())
    } else {
        Err(ValidationError::new("country_code"))
    }
}

/// A new zone: `name` and `countries` (1–50 codes of 2 characters) required; amounts default
/// to 0.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateShippingZoneRequest {
    #[validate(length(min = 1))]
    pub name: String,
    #[validate(length(min = 1, max = 50), custom(function = "two_character_codes"))]
    pub countries: Vec<String>,
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>, example = "10")]
    pub shipping_cost: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>, example = "100")]
    pub free_shipping_threshold: Option<Decimal>,
}

impl From<CreateShippingZoneRequest> for NewShippingZone {
    fn from(body: CreateShippingZoneRequest) -> Self {
        Self {
            name: body.name,
            countries: body.countries,
            shipping_cost: body.shipping_cost.unwrap_or_default(),
            free_shipping_threshold: body.free_shipping_threshold.unwrap_or_default(),
        }
    }
}

/// A zone PATCH: absent or `null` leaves a field unchanged; `countries`, when present, must hold
/// 1–50 codes of 2 characters.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateShippingZoneRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    #[validate(length(min = 1, max = 50), custom(function = "two_character_codes"))]
    pub countries: Option<Vec<String>>,
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>)]
    pub shipping_cost: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>)]
    pub free_shipping_threshold: Option<Decimal>,
}

impl From<UpdateShippingZoneRequest> for ShippingZoneChanges {
    fn from(body: UpdateShippingZoneRequest) -> Self {
        Self {
            name: body.name,
            countries: body.countries,
            shipping_cost: body.shipping_cost,
            free_shipping_threshold: body.free_shipping_threshold,
        }
    }
}

// ---- payment methods --------------------------------------------------------------------------

/// A payment method with the business's settings merged in (spec 02 §2.5); decimals canonical.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodResponse {
    pub descriptor: String,
    pub name: String,
    pub logo_url: String,
    pub enabled: bool,
    #[serde(serialize_with = "decimal::canonical")]
    #[schema(value_type = String, example = "0.05")]
    pub fee_percent: Decimal,
    #[serde(serialize_with = "decimal::canonical")]
    #[schema(value_type = String, example = "0")]
    pub fee_fixed: Decimal,
    #[serde(serialize_with = "decimal::canonical")]
    #[schema(value_type = String, example = "0")]
    pub default_fee_percent: Decimal,
    #[serde(serialize_with = "decimal::canonical")]
    #[schema(value_type = String, example = "0")]
    pub default_fee_fixed: Decimal,
}

impl From<PaymentMethod> for PaymentMethodResponse {
    fn from(m: PaymentMethod) -> Self {
        Self {
            descriptor: m.descriptor,
            name: m.name,
            logo_url: m.logo_url,
            enabled: m.enabled,
            fee_percent: m.fee_percent,
            fee_fixed: m.fee_fixed,
            default_fee_percent: m.default_fee_percent,
            default_fee_fixed: m.default_fee_fixed,
        }
    }
}

/// A payment-method PATCH; every field optional (`{}` is valid), decimals as strings or numbers.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdatePaymentMethodRequest {
    #[serde(default)]
    pub enabled: Option<bool>,
    /// 0 ≤ x ≤ 1.
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>, example = "0.05")]
    pub fee_percent: Option<Decimal>,
    /// ≥ 0.
    #[serde(default, deserialize_with = "decimal::optional")]
    #[schema(value_type = Option<String>, example = "0")]
    pub fee_fixed: Option<Decimal>,
}

impl From<UpdatePaymentMethodRequest> for PaymentMethodChanges {
    fn from(body: UpdatePaymentMethodRequest) -> Self {
        Self {
            enabled: body.enabled,
            fee_percent: body.fee_percent,
            fee_fixed: body.fee_fixed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::parse_json;
    use rust_decimal_macros::dec;

    fn create(body: serde_json::Value) -> Result<CreateBusinessRequest, ApiError> {
        parse_json(body.to_string().as_bytes())
    }

    fn valid() -> serde_json::Value {
        serde_json::json!({
            "name": "Shop", "descriptor": "shop", "countryCode": "eg", "currency": "usd"
        })
    }

    fn with(key: &str, value: serde_json::Value) -> serde_json::Value {
        let mut body = valid();
        body[key] = value;
        body
    }

    #[test]
    fn a_minimal_create_body_defaults_everything_else() {
        let input = create(valid()).unwrap().into_domain().unwrap();
        assert_eq!(input.vat_rate, dec!(0));
        assert_eq!(input.established_at, None);
        assert!(!input.storefront_enabled);
        assert_eq!(input.logo, None);
    }

    #[test]
    fn create_binding_rules_refuse_missing_short_and_malformed_fields() {
        let mut missing_name = valid();
        missing_name.as_object_mut().unwrap().remove("name");
        for body in [
            missing_name,
            with("name", "".into()),
            with("countryCode", "e".into()),
            with("countryCode", "egy".into()),
            with("currency", "us".into()),
            with("supportEmail", "not-an-email".into()),
            with("websiteUrl", "shop.example".into()),
            with("vatRate", "abc".into()),
            with(
                "storefrontTheme",
                serde_json::json!({"primaryColor": "#fff", "x": 1}),
            ),
            with("logo", serde_json::json!({"url": ""})),
            with("logo", serde_json::json!({"url": "x".repeat(2049)})),
            with("unknown", 1.into()),
        ] {
            let err = create(body.clone()).unwrap_err();
            assert_eq!(err.0.code, "request.invalid_body", "{body}");
        }
        for body in [
            with("supportEmail", "".into()),
            with("websiteUrl", "".into()),
            with("countryCode", " e".into()),
            with("logo", serde_json::json!({"url": "x".repeat(2048)})),
        ] {
            assert!(create(body.clone()).is_ok(), "{body}");
        }
    }

    #[test]
    fn established_dates_accept_plain_dates_and_rfc3339_in_utc() {
        let date = |raw: &str| {
            create(with("establishedAt", raw.into()))
                .unwrap()
                .into_domain()
                .map(|i| i.established_at)
        };
        assert_eq!(
            date("2020-01-01").unwrap(),
            NaiveDate::from_ymd_opt(2020, 1, 1)
        );
        assert_eq!(
            date("2020-01-01T23:30:00-02:00").unwrap(),
            NaiveDate::from_ymd_opt(2020, 1, 2)
        );
        assert_eq!(date("").unwrap(), None);
        assert_eq!(
            date("01/02/2020").unwrap_err().0.code,
            "request.invalid_body"
        );
    }

    #[test]
    fn a_patch_validates_present_fields_even_when_empty() {
        let patch = |body: serde_json::Value| {
            parse_json::<UpdateBusinessRequest>(body.to_string().as_bytes())
        };
        for body in [
            serde_json::json!({"supportEmail": ""}),
            serde_json::json!({"websiteUrl": ""}),
            serde_json::json!({"xUrl": "nope"}),
        ] {
            assert_eq!(
                patch(body.clone()).unwrap_err().0.code,
                "request.invalid_body",
                "{body}"
            );
        }
        let changes = patch(serde_json::json!({"name": "", "vatRate": null, "establishedAt": ""}))
            .unwrap()
            .into_domain()
            .unwrap();
        assert_eq!(changes.name.as_deref(), Some(""));
        assert_eq!(changes.vat_rate, None);
        assert_eq!(changes.established_at, Some(None));
        assert!(
            patch(serde_json::json!({})).unwrap().into_domain().unwrap()
                == BusinessChanges::default()
        );
    }

    #[test]
    fn zone_bodies_need_one_to_fifty_two_character_codes() {
        let zone = |body: serde_json::Value| {
            parse_json::<CreateShippingZoneRequest>(body.to_string().as_bytes())
        };
        let fifty: Vec<String> = (0..50).map(|_| "EG".to_owned()).collect();
        let fifty_one: Vec<String> = (0..51).map(|_| "EG".to_owned()).collect();
        assert!(zone(serde_json::json!({"name": "Z", "countries": fifty})).is_ok());
        for body in [
            serde_json::json!({"name": "Z", "countries": fifty_one}),
            serde_json::json!({"name": "Z", "countries": []}),
            serde_json::json!({"name": "Z", "countries": ["EGY"]}),
            serde_json::json!({"name": "Z"}),
            serde_json::json!({"name": "", "countries": ["EG"]}),
        ] {
            assert!(zone(body.clone()).is_err(), "{body}");
        }
        let update = |body: serde_json::Value| {
            parse_json::<UpdateShippingZoneRequest>(body.to_string().as_bytes())
        };
        assert!(update(serde_json::json!({"countries": []})).is_err());
        assert!(update(serde_json::json!({"countries": null, "name": " "})).is_ok());
    }

    #[test]
    fn responses_follow_the_per_field_decimal_formats_and_omit_unset_fields() {
        let business = Business::new(
            "wrk1",
            NewBusiness {
                name: "Shop".into(),
                descriptor: "shop".into(),
                country_code: "eg".into(),
                currency: "usd".into(),
                vat_rate: dec!(0.140),
                safety_buffer: dec!(100.5),
                established_at: NaiveDate::from_ymd_opt(2020, 1, 1),
                ..NewBusiness::default()
            },
            Utc::now(),
        )
        .unwrap();
        let json = serde_json::to_value(BusinessEnvelope::from(business)).unwrap();
        let b = &json["business"];
        assert_eq!(b["vatRate"], "0.14");
        assert_eq!(b["safetyBuffer"], "100.50");
        assert_eq!(b["establishedAt"], "2020-01-01T00:00:00Z");
        assert!(b.get("logo").is_none() && b.get("archivedAt").is_none());
        assert!(b.get("workspace").is_none());
        assert_eq!(b["storefrontTheme"].as_object().unwrap().len(), 7);
        assert_eq!(b.as_object().unwrap().len(), 25);
    }
}
