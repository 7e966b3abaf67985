//! Money amounts on `rust_decimal`, never floats.
//!
//! Rounding is always explicit: amounts are rounded to 2 decimal places, half away from zero.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places kept for money amounts.
pub const MONEY_SCALE: u32 = 2;

/// Rounds `amount` to 2 decimal places, half away from zero (`2.345 → 2.35`, `-2.345 → -2.35`).
pub fn round_money(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(MONEY_SCALE, RoundingStrategy::MidpointAwayFromZero)
}

/// `amount × percent / 100`, rounded to money.
pub fn percent_of(amount: Decimal, percent: Decimal) -> Decimal {
    round_money(amount * percent / Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_money(dec!(2.345)), dec!(2.35));
        assert_eq!(round_money(dec!(-2.345)), dec!(-2.35));
        assert_eq!(round_money(dec!(2.344)), dec!(2.34));
        assert_eq!(round_money(dec!(0.005)), dec!(0.01));
        assert_eq!(round_money(dec!(10)), dec!(10));
    }

    #[test]
    fn percent_of_rounds_the_result() {
        assert_eq!(percent_of(dec!(19.99), dec!(2.9)), dec!(0.58));
        assert_eq!(percent_of(dec!(100), dec!(15)), dec!(15.00));
    }
}
