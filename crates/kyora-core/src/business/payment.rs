//! Payment methods (spec 02 §2.5, §3.3, §4.6): a fixed catalogue, and per-business settings
//! that override its defaults. A business without settings for a method uses the catalogue's.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::error;
use crate::shared::error::DomainError;
use crate::shared::id::{IdPrefix, new_id};
use crate::shared::money::round_money;

/// A payment method the product knows, with its defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub descriptor: &'static str,
    pub name: &'static str,
    pub logo_url: &'static str,
    pub default_enabled: bool,
    pub default_fee_percent: Decimal,
    pub default_fee_fixed: Decimal,
}

const fn entry(descriptor: &'static str, name: &'static str, enabled: bool) -> CatalogueEntry {
    CatalogueEntry {
        descriptor,
        name,
        logo_url: "",
        default_enabled: enabled,
        default_fee_percent: Decimal::ZERO,
        default_fee_fixed: Decimal::ZERO,
    }
}

/// The catalogue, in the order the API lists it.
pub const CATALOGUE: [CatalogueEntry; 6] = [
    entry("cash_on_delivery", "Cash on delivery", true),
    entry("bank_transfer", "Bank transfer", true),
    entry("credit_card", "Credit card", false),
    entry("tamara", "Tamara", false),
    entry("tabby", "Tabby", false),
    entry("paypal", "PayPal", false),
];

/// The method orders use when they name none.
pub const DEFAULT_PAYMENT_METHOD: &str = "bank_transfer";

/// The catalogue entry of `descriptor` (exact match).
pub fn catalogue_entry(descriptor: &str) -> Option<&'static CatalogueEntry> {
    CATALOGUE
        .iter()
        .find(|entry| entry.descriptor == descriptor)
}

/// A business's stored settings for one method (a `business_payment_methods` row). Created on
/// the first change and never deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentMethodSettings {
    pub id: String,
    pub business_id: String,
    pub descriptor: String,
    pub enabled: bool,
    pub fee_percent: Decimal,
    pub fee_fixed: Decimal,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PaymentMethodSettings {
    /// Settings of `business_id` for `entry` starting from the catalogue's defaults.
    pub fn from_defaults(business_id: &str, entry: &CatalogueEntry, now: DateTime<Utc>) -> Self {
        Self {
            id: new_id(IdPrefix::BusinessPaymentMethod),
            business_id: business_id.to_owned(),
            descriptor: entry.descriptor.to_owned(),
            enabled: entry.default_enabled,
            fee_percent: entry.default_fee_percent,
            fee_fixed: entry.default_fee_fixed,
            created_at: now,
            updated_at: now,
        }
    }

    /// Applies checked changes at `now`.
    pub fn apply(&mut self, changes: &PaymentMethodChanges, now: DateTime<Utc>) {
        if let Some(enabled) = changes.enabled {
            self.enabled = enabled;
        }
        if let Some(percent) = changes.fee_percent {
            self.fee_percent = percent;
        }
        if let Some(fixed) = changes.fee_fixed {
            self.fee_fixed = fixed;
        }
        self.updated_at = now;
    }
}

/// A PATCH of a method's settings; `None` leaves a value unchanged (`{}` is valid).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaymentMethodChanges {
    pub enabled: Option<bool>,
    pub fee_percent: Option<Decimal>,
    pub fee_fixed: Option<Decimal>,
}

impl PaymentMethodChanges {
    /// Checks the fee rules: `0 ≤ feePercent ≤ 1`, `feeFixed ≥ 0`.
    ///
    /// # Errors
    /// 400 with no code and extension `field`: "feePercent cannot be negative", "feePercent must
    /// be between 0 and 1", "feeFixed cannot be negative".
    pub fn check(&self) -> Result<(), DomainError> {
        if let Some(percent) = self.fee_percent {
            if percent < Decimal::ZERO {
                return Err(error::fee_percent_negative());
            }
            if percent > Decimal::ONE {
                return Err(error::fee_percent_too_large());
            }
        }
        if self.fee_fixed.is_some_and(|fixed| fixed < Decimal::ZERO) {
            return Err(error::fee_fixed_negative());
        }
        Ok(())
    }
}

/// A method as a business sees it: the catalogue entry with the business's settings merged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentMethod {
    pub descriptor: String,
    pub name: String,
    pub logo_url: String,
    pub enabled: bool,
    pub fee_percent: Decimal,
    pub fee_fixed: Decimal,
    pub default_fee_percent: Decimal,
    pub default_fee_fixed: Decimal,
}

impl PaymentMethod {
    /// The effective configuration: `settings` when the business has them, else the defaults.
    pub fn effective(entry: &CatalogueEntry, settings: Option<&PaymentMethodSettings>) -> Self {
        let (enabled, fee_percent, fee_fixed) = settings.map_or(
            (
                entry.default_enabled,
                entry.default_fee_percent,
                entry.default_fee_fixed,
            ),
            |s| (s.enabled, s.fee_percent, s.fee_fixed),
        );
        Self {
            descriptor: entry.descriptor.to_owned(),
            name: entry.name.to_owned(),
            logo_url: entry.logo_url.to_owned(),
            enabled,
            fee_percent,
            fee_fixed,
            default_fee_percent: entry.default_fee_percent,
            default_fee_fixed: entry.default_fee_fixed,
        }
    }

    /// The whole catalogue for a business with `settings` (any order, any business's rows
    /// ignored but those matching a catalogue descriptor), in catalogue order.
    pub fn all(settings: &[PaymentMethodSettings]) -> Vec<Self> {
        CATALOGUE
            .iter()
            .map(|entry| {
                let own = settings.iter().find(|s| s.descriptor == entry.descriptor);
                Self::effective(entry, own)
            })
            .collect()
    }

    /// The transaction fee of a paid order of `order_total` (rule 4.6): `total × feePercent +
    /// feeFixed` rounded to 2 places, or `None` when the method is disabled or the fee is not
    /// positive (then no expense is recorded).
    pub fn transaction_fee(&self, order_total: Decimal) -> Option<Decimal> {
        let fee = order_total * self.fee_percent + self.fee_fixed;
        (self.enabled && fee > Decimal::ZERO).then(|| round_money(fee))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_catalogue_lists_six_methods_with_cash_and_bank_transfer_on_by_default() {
        let descriptors: Vec<_> = CATALOGUE.iter().map(|e| e.descriptor).collect();
        assert_eq!(
            descriptors,
            [
                "cash_on_delivery",
                "bank_transfer",
                "credit_card",
                "tamara",
                "tabby",
                "paypal"
            ]
        );
        let enabled: Vec<_> = CATALOGUE
            .iter()
            .filter(|e| e.default_enabled)
            .map(|e| e.descriptor)
            .collect();
        assert_eq!(enabled, ["cash_on_delivery", "bank_transfer"]);
        assert_eq!(catalogue_entry("paypal").unwrap().name, "PayPal");
        assert!(catalogue_entry("PayPal").is_none());
        assert!(catalogue_entry(DEFAULT_PAYMENT_METHOD).is_some());
    }

    #[test]
    fn settings_override_the_defaults_only_for_their_method() {
        let now = Utc::now();
        let mut card = PaymentMethodSettings::from_defaults(
            "bus1",
            catalogue_entry("credit_card").unwrap(),
            now,
        );
        assert!(!card.enabled);
        card.apply(
            &PaymentMethodChanges {
                enabled: Some(true),
                fee_percent: Some(dec!(0.05)),
                fee_fixed: None,
            },
            now,
        );
        let all = PaymentMethod::all(std::slice::from_ref(&card));
        assert_eq!(all.len(), 6);
        let effective = &all[2];
        assert_eq!(effective.descriptor, "credit_card");
        assert!(effective.enabled);
        assert_eq!(effective.fee_percent, dec!(0.05));
        assert_eq!(effective.fee_fixed, dec!(0));
        assert_eq!(effective.default_fee_percent, dec!(0));
        assert!(all[0].enabled && all[1].enabled);
        assert!(!all[3].enabled);
    }

    #[test]
    fn fee_rules_refuse_out_of_range_values_without_a_code() {
        let check = |percent: Option<Decimal>, fixed: Option<Decimal>| {
            PaymentMethodChanges {
                enabled: None,
                fee_percent: percent,
                fee_fixed: fixed,
            }
            .check()
        };
        assert!(check(None, None).is_ok());
        assert!(check(Some(dec!(0)), Some(dec!(0))).is_ok());
        assert!(check(Some(dec!(1)), Some(dec!(2.5))).is_ok());
        let err = check(Some(dec!(-0.01)), None).unwrap_err();
        assert_eq!(
            (err.code, err.detail.as_str()),
            ("", "feePercent cannot be negative")
        );
        assert_eq!(err.extensions["field"], "feePercent");
        let err = check(Some(dec!(1.01)), Some(dec!(-1))).unwrap_err();
        assert_eq!(err.detail, "feePercent must be between 0 and 1");
        let err = check(None, Some(dec!(-1))).unwrap_err();
        assert_eq!(err.detail, "feeFixed cannot be negative");
        assert_eq!(err.extensions["field"], "feeFixed");
    }

    #[test]
    fn the_transaction_fee_is_rounded_and_only_charged_when_enabled_and_positive() {
        let mut method = PaymentMethod::effective(catalogue_entry("credit_card").unwrap(), None);
        method.fee_percent = dec!(0.05);
        assert_eq!(method.transaction_fee(dec!(57)), None, "disabled");
        method.enabled = true;
        assert_eq!(method.transaction_fee(dec!(57)), Some(dec!(2.85)));
        assert_eq!(method.transaction_fee(dec!(10.01)), Some(dec!(0.50)));
        method.fee_fixed = dec!(1);
        assert_eq!(method.transaction_fee(dec!(0)), Some(dec!(1)));
        method.fee_percent = dec!(0);
        method.fee_fixed = dec!(0);
        assert_eq!(method.transaction_fee(dec!(100)), None, "a zero fee");
    }
}
