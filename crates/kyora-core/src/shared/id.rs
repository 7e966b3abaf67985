//! Entity ids and random tokens (spec 01 §4.9).
//!
//! An id is a type prefix immediately followed by a 27-character KSUID (`usr2Q8…`), with no
//! separator. KSUIDs are time-sortable, so ids order by creation second.

use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};
use svix_ksuid::{Ksuid, KsuidLike};

/// Length of a bare KSUID in its base62 form.
pub const KSUID_LEN: usize = 27;

/// The prefix of every entity kind (spec 01 §4.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdPrefix {
    Workspace,
    User,
    Session,
    Invitation,
    Plan,
    Subscription,
    Invoice,
    StripeEvent,
    Business,
    Storefront,
    ShippingZone,
    BusinessPaymentMethod,
    Customer,
    Address,
    CustomerNote,
    Product,
    Variant,
    Category,
    Order,
    OrderItem,
    OrderNote,
    Asset,
    Investment,
    AccountingAsset,
    Withdrawal,
    Expense,
    RecurringExpense,
    StorefrontRequest,
    OnboardingSession,
    Jwt,
}

impl IdPrefix {
    /// The literal prefix.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Workspace => "wrk",
            Self::User => "usr",
            Self::Session => "ses",
            Self::Invitation | Self::Investment => "inv",
            Self::Plan => "plan",
            Self::Subscription => "sub",
            Self::Invoice => "binv",
            Self::StripeEvent => "stev",
            Self::Business => "bus",
            Self::Storefront => "sf",
            Self::ShippingZone => "sz",
            Self::BusinessPaymentMethod => "bpm",
            Self::Customer => "cus",
            Self::Address => "addr",
            Self::CustomerNote => "cnote",
            Self::Product => "prd",
            Self::Variant => "var",
            Self::Category => "cat",
            Self::Order => "ord",
            Self::OrderItem => "oitm",
            Self::OrderNote => "onot",
            Self::Asset | Self::AccountingAsset => "ast",
            Self::Withdrawal => "wdl",
            Self::Expense => "exp",
            Self::RecurringExpense => "rex",
            Self::StorefrontRequest => "sreq",
            Self::OnboardingSession => "obs",
            Self::Jwt => "jwt",
        }
    }
}

/// A bare KSUID (used as the trace id).
pub fn ksuid() -> String {
    Ksuid::new(None, None).to_string()
}

/// A new id for an entity of kind `prefix`.
pub fn new_id(prefix: IdPrefix) -> String {
    let mut id = String::with_capacity(prefix.as_str().len() + KSUID_LEN);
    id.push_str(prefix.as_str());
    id.push_str(&ksuid());
    id
}

/// Whether `id` has the shape of an id of kind `prefix`.
pub fn has_shape(id: &str, prefix: IdPrefix) -> bool {
    id.strip_prefix(prefix.as_str()).is_some_and(|rest| {
        rest.len() == KSUID_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// A random token of `len` characters from `[A-Za-z0-9]` (email-link tokens, OAuth state).
pub fn alphanumeric_token(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// Lowercase hex SHA-256 of `value`: how one-time and refresh tokens are stored.
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_prefix_followed_by_a_ksuid() {
        let id = new_id(IdPrefix::Order);
        assert!(id.starts_with("ord"));
        assert_eq!(id.len(), 3 + KSUID_LEN);
        assert!(has_shape(&id, IdPrefix::Order));
        assert!(!has_shape(&id, IdPrefix::User));
        assert!(!has_shape("ord_2Q8", IdPrefix::Order));
    }

    #[test]
    fn shared_prefixes_follow_the_contract() {
        assert_eq!(IdPrefix::Investment.as_str(), IdPrefix::Invitation.as_str());
        assert_eq!(IdPrefix::AccountingAsset.as_str(), "ast");
        assert_eq!(IdPrefix::Storefront.as_str(), "sf");
    }

    #[test]
    fn ksuids_sort_by_creation_time() {
        let first = Ksuid::new_raw(1_000, None).to_string();
        let later = Ksuid::new_raw(2_000, None).to_string();
        assert_eq!(first.len(), KSUID_LEN);
        assert!(first < later);
    }

    #[test]
    fn tokens_are_alphanumeric_and_distinct() {
        let a = alphanumeric_token(32);
        let b = alphanumeric_token(32);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn token_hash_is_lowercase_hex_sha256() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
