//! Shipping zones (spec 02 §2.4, §3.2, §4.3, §4.5).
//!
//! A zone's currency is always its business's currency at the time it was created or last
//! edited; changing the business's currency leaves existing zones alone (open point 11).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::error;
use super::model::{Business, parse_country_code};
use crate::shared::error::DomainError;
use crate::shared::id::{IdPrefix, new_id};

/// The longest zone name, in bytes.
pub const MAX_ZONE_NAME_BYTES: usize = 80;

/// A shipping zone of a business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingZone {
    pub id: String,
    pub business_id: String,
    /// Trimmed, 1–80 bytes, unique among the business's live zones.
    pub name: String,
    /// Upper-case two-character codes, de-duplicated, in the order given.
    pub countries: Vec<String>,
    pub currency: String,
    /// ≥ 0.
    pub shipping_cost: Decimal,
    /// ≥ 0; 0 means no free shipping.
    pub free_shipping_threshold: Decimal,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a client gives to create a zone, after the request's binding rules passed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewShippingZone {
    pub name: String,
    pub countries: Vec<String>,
    pub shipping_cost: Decimal,
    pub free_shipping_threshold: Decimal,
}

/// A PATCH of a zone; `None` leaves a field unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShippingZoneChanges {
    pub name: Option<String>,
    pub countries: Option<Vec<String>>,
    pub shipping_cost: Option<Decimal>,
    pub free_shipping_threshold: Option<Decimal>,
}

fn zone_name(raw: &str, blank: fn() -> DomainError) -> Result<String, DomainError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(blank());
    }
    if name.len() > MAX_ZONE_NAME_BYTES {
        return Err(error::shipping_zone_name_too_long());
    }
    Ok(name.to_owned())
}

fn non_negative(value: Decimal, negative: fn() -> DomainError) -> Result<Decimal, DomainError> {
    if value < Decimal::ZERO {
        Err(negative())
    } else {
        Ok(value)
    }
}

/// Trims and upper-cases every code, drops repeats (keeping the first), keeps the order.
///
/// # Errors
/// 400 `business.invalid_country_code` for a code that is not two characters once trimmed,
/// `business.countries_required` when none is left.
pub fn normalize_countries(raw: &[String]) -> Result<Vec<String>, DomainError> {
    let mut countries: Vec<String> = Vec::with_capacity(raw.len());
    for code in raw {
        let code = parse_country_code(code)?;
        if !countries.contains(&code) {
            countries.push(code);
        }
    }
    if countries.is_empty() {
        return Err(error::countries_required());
    }
    Ok(countries)
}

impl ShippingZone {
    /// A new zone of `business`, in the business's currency.
    ///
    /// # Errors
    /// In the contract's order: 400 `business.shipping_zone_name_required`,
    /// `business.shipping_zone_name_too_long`, `business.shipping_cost_negative`,
    /// `business.free_shipping_threshold_negative`, `business.invalid_country_code`,
    /// `business.countries_required`.
    pub fn new(
        business: &Business,
        input: NewShippingZone,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let name = zone_name(&input.name, error::shipping_zone_name_required)?;
        let shipping_cost = non_negative(input.shipping_cost, error::shipping_cost_negative)?;
        let free_shipping_threshold = non_negative(
            input.free_shipping_threshold,
            error::free_shipping_threshold_negative,
        )?;
        let countries = normalize_countries(&input.countries)?;
        Ok(Self {
            id: new_id(IdPrefix::ShippingZone),
            business_id: business.id.clone(),
            name,
            countries,
            currency: business.currency.clone(),
            shipping_cost,
            free_shipping_threshold,
            created_at: now,
            updated_at: now,
        })
    }

    /// The zone every new business gets (rule 4.3): named after the business's country, serving
    /// it alone, free of charge.
    pub fn default_for(business: &Business, now: DateTime<Utc>) -> Self {
        Self {
            id: new_id(IdPrefix::ShippingZone),
            business_id: business.id.clone(),
            name: business.country_code.clone(),
            countries: vec![business.country_code.clone()],
            currency: business.currency.clone(),
            shipping_cost: Decimal::ZERO,
            free_shipping_threshold: Decimal::ZERO,
            created_at: now,
            updated_at: now,
        }
    }

    /// Applies a PATCH at `now`; the currency is always reset to `business_currency`. Nothing
    /// changes when a rule fails.
    ///
    /// # Errors
    /// 400 `business.shipping_zone_name_empty`, `business.shipping_zone_name_too_long`,
    /// `business.invalid_country_code`, `business.countries_required`,
    /// `business.shipping_cost_negative`, `business.free_shipping_threshold_negative`.
    pub fn apply(
        &mut self,
        changes: ShippingZoneChanges,
        business_currency: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let name = changes
            .name
            .as_deref()
            .map(|raw| zone_name(raw, error::shipping_zone_name_empty))
            .transpose()?;
        let countries = changes
            .countries
            .as_deref()
            .map(normalize_countries)
            .transpose()?;
        let shipping_cost = changes
            .shipping_cost
            .map(|v| non_negative(v, error::shipping_cost_negative))
            .transpose()?;
        let threshold = changes
            .free_shipping_threshold
            .map(|v| non_negative(v, error::free_shipping_threshold_negative))
            .transpose()?;
        if let Some(name) = name {
            self.name = name;
        }
        if let Some(countries) = countries {
            self.countries = countries;
        }
        if let Some(cost) = shipping_cost {
            self.shipping_cost = cost;
        }
        if let Some(threshold) = threshold {
            self.free_shipping_threshold = threshold;
        }
        business_currency.clone_into(&mut self.currency);
        self.updated_at = now;
        Ok(())
    }

    /// The shipping fee of an order through this zone (rule 4.5): free when a threshold is set
    /// and the discounted subtotal (never below zero) reaches it, else the zone's cost.
    pub fn fee(&self, subtotal: Decimal, discount: Decimal) -> Decimal {
        let base = (subtotal - discount).max(Decimal::ZERO);
        if self.free_shipping_threshold > Decimal::ZERO && base >= self.free_shipping_threshold {
            Decimal::ZERO
        } else {
            self.shipping_cost
        }
    }

    /// Whether an order in `currency` to `country` may use this zone (rule 4.5): the zone must be
    /// in that currency and serve that country (compared upper-cased).
    pub fn serves(&self, country: &str, currency: &str) -> bool {
        self.currency == currency
            && self
                .countries
                .iter()
                .any(|code| code.eq_ignore_ascii_case(country.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::business::model::NewBusiness;
    use rust_decimal_macros::dec;

    fn business() -> Business {
        Business::new(
            "wrk1",
            NewBusiness {
                name: "Shop".into(),
                descriptor: "shop".into(),
                country_code: "EG".into(),
                currency: "USD".into(),
                ..NewBusiness::default()
            },
            Utc::now(),
        )
        .unwrap()
    }

    fn countries(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| (*c).to_owned()).collect()
    }

    fn zone_input(
        name: &str,
        codes: &[&str],
        cost: Decimal,
        threshold: Decimal,
    ) -> NewShippingZone {
        NewShippingZone {
            name: name.into(),
            countries: countries(codes),
            shipping_cost: cost,
            free_shipping_threshold: threshold,
        }
    }

    #[test]
    fn the_default_zone_serves_the_business_country_for_free() {
        let business = business();
        let zone = ShippingZone::default_for(&business, business.created_at);
        assert!(zone.id.starts_with("sz"));
        assert_eq!(zone.name, "EG");
        assert_eq!(zone.countries, ["EG"]);
        assert_eq!(zone.currency, "USD");
        assert_eq!(zone.shipping_cost, Decimal::ZERO);
        assert_eq!(zone.free_shipping_threshold, Decimal::ZERO);
        assert_eq!(zone.business_id, business.id);
    }

    #[test]
    fn a_new_zone_takes_the_business_currency_and_normalises_its_countries() {
        let zone = ShippingZone::new(
            &business(),
            zone_input(" GCC ", &["sa", " AE", "SA", "ae"], dec!(10), dec!(100)),
            Utc::now(),
        )
        .unwrap();
        assert_eq!(zone.name, "GCC");
        assert_eq!(zone.countries, ["SA", "AE"]);
        assert_eq!(zone.currency, "USD");
        assert_eq!(zone.shipping_cost, dec!(10));
    }

    #[test]
    fn zone_rules_fail_in_the_contract_order() {
        let code = |input| {
            ShippingZone::new(&business(), input, Utc::now())
                .unwrap_err()
                .code
        };
        let long = "n".repeat(81);
        assert_eq!(
            code(zone_input("  ", &["e"], dec!(-1), dec!(-1))),
            "business.shipping_zone_name_required"
        );
        assert_eq!(
            code(zone_input(&long, &["e"], dec!(-1), dec!(-1))),
            "business.shipping_zone_name_too_long"
        );
        assert_eq!(
            code(zone_input("Z", &["e"], dec!(-1), dec!(-1))),
            "business.shipping_cost_negative"
        );
        assert_eq!(
            code(zone_input("Z", &["e"], dec!(0), dec!(-0.01))),
            "business.free_shipping_threshold_negative"
        );
        assert_eq!(
            code(zone_input("Z", &[" e"], dec!(0), dec!(0))),
            "business.invalid_country_code"
        );
        assert_eq!(
            code(zone_input("Z", &[], dec!(0), dec!(0))),
            "business.countries_required"
        );
        let eighty_bytes = "é".repeat(40);
        assert!(
            ShippingZone::new(
                &business(),
                zone_input(&eighty_bytes, &["EG"], dec!(0), dec!(0)),
                Utc::now()
            )
            .is_ok(),
            "the limit counts bytes"
        );
        assert!(
            ShippingZone::new(
                &business(),
                zone_input(&format!("{eighty_bytes}x"), &["EG"], dec!(0), dec!(0)),
                Utc::now()
            )
            .is_err()
        );
    }

    #[test]
    fn a_zone_patch_resets_the_currency_and_uses_its_own_blank_name_code() {
        let mut zone = ShippingZone::new(
            &business(),
            zone_input("GCC", &["SA"], dec!(10), dec!(0)),
            Utc::now(),
        )
        .unwrap();
        let before = zone.clone();
        let err = zone
            .apply(
                ShippingZoneChanges {
                    name: Some(" ".into()),
                    shipping_cost: Some(dec!(5)),
                    ..ShippingZoneChanges::default()
                },
                "EUR",
                Utc::now(),
            )
            .unwrap_err();
        assert_eq!(err.code, "business.shipping_zone_name_empty");
        assert_eq!(zone, before);
        zone.apply(
            ShippingZoneChanges {
                countries: Some(countries(&["kw", "KW", "om"])),
                free_shipping_threshold: Some(dec!(50)),
                ..ShippingZoneChanges::default()
            },
            "EUR",
            Utc::now(),
        )
        .unwrap();
        assert_eq!(zone.currency, "EUR");
        assert_eq!(zone.countries, ["KW", "OM"]);
        assert_eq!(zone.name, "GCC");
        assert_eq!(zone.shipping_cost, dec!(10));
        assert_eq!(zone.free_shipping_threshold, dec!(50));
    }

    #[test]
    fn the_fee_is_waived_once_the_discounted_subtotal_reaches_the_threshold() {
        let mut zone = ShippingZone::default_for(&business(), Utc::now());
        zone.shipping_cost = dec!(7.5);
        assert_eq!(
            zone.fee(dec!(1000), dec!(0)),
            dec!(7.5),
            "no threshold, always paid"
        );
        zone.free_shipping_threshold = dec!(100);
        assert_eq!(zone.fee(dec!(99.99), dec!(0)), dec!(7.5));
        assert_eq!(zone.fee(dec!(100), dec!(0)), dec!(0));
        assert_eq!(zone.fee(dec!(120), dec!(20.01)), dec!(7.5));
        assert_eq!(
            zone.fee(dec!(10), dec!(50)),
            dec!(7.5),
            "the base never goes below 0"
        );
    }

    #[test]
    fn a_zone_serves_its_countries_in_its_currency_only() {
        let zone = ShippingZone::default_for(&business(), Utc::now());
        assert!(zone.serves("EG", "USD"));
        assert!(zone.serves("eg", "USD"));
        assert!(!zone.serves("SA", "USD"));
        assert!(!zone.serves("EG", "EGP"));
    }
}
