//! Customers, their addresses and notes (spec 02 §2.6–2.8), and the validated inputs that
//! create and change them (§3.4–3.6).
//!
//! Inputs arrive as [`CustomerInput`] / [`AddressInput`] — every field optional, exactly as the
//! client sent it — and are parsed once into [`NewCustomer`], [`CustomerChanges`],
//! [`NewAddress`] or [`AddressChanges`]; applying a parsed value cannot fail. Every rule
//! violation is 400 `request.invalid_body`.
//!
//! Storage rules: optional text that is empty is stored as NULL (`None`); country codes are
//! trimmed and upper-cased and only their length (2) is checked; names, emails and the other
//! free texts are kept as given (emails keep their case). In a PATCH an absent or empty field
//! means "unchanged", so those fields can never be cleared.

use chrono::{DateTime, Utc};

use super::error::invalid_field;
use crate::shared::error::DomainError;

/// A customer's gender; [`Gender::Unspecified`] is the empty string on the wire and in storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Gender {
    Male,
    Female,
    Other,
    #[default]
    Unspecified,
}

impl Gender {
    /// The stored and serialised form (`male`, `female`, `other`, `""`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
            Self::Other => "other",
            Self::Unspecified => "",
        }
    }

    /// Parses client input: exactly `male`, `female` or `other` (case-sensitive).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "male" => Some(Self::Male),
            "female" => Some(Self::Female),
            "other" => Some(Self::Other),
            _ => None,
        }
    }

    /// Reads a stored value; anything unknown reads as unspecified.
    pub fn from_stored(raw: &str) -> Self {
        Self::parse(raw).unwrap_or(Self::Unspecified)
    }
}

/// A customer of one business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    pub business_id: String,
    pub name: String,
    /// Upper-cased, 2 characters.
    pub country_code: String,
    pub gender: Gender,
    /// Kept as given (case preserved); unique among the business's live customers.
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub phone_code: Option<String>,
    pub tiktok_username: Option<String>,
    pub instagram_username: Option<String>,
    pub facebook_username: Option<String>,
    pub x_username: Option<String>,
    pub snapchat_username: Option<String>,
    pub whatsapp_number: Option<String>,
    /// Set by the server at creation; client values are ignored.
    pub joined_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A customer's delivery address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAddress {
    pub id: String,
    pub customer_id: String,
    /// Upper-cased, 2 characters.
    pub country_code: String,
    pub state: String,
    pub city: String,
    pub street: Option<String>,
    pub phone_code: String,
    pub phone_number: String,
    pub zip_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A free-text note on a customer. Notes are never edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerNote {
    pub id: String,
    pub customer_id: String,
    pub content: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The customer fields of a create or update body, as sent (`None` = absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerInput {
    pub name: Option<String>,
    pub country_code: Option<String>,
    pub gender: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub phone_code: Option<String>,
    pub tiktok_username: Option<String>,
    pub instagram_username: Option<String>,
    pub facebook_username: Option<String>,
    pub x_username: Option<String>,
    pub snapchat_username: Option<String>,
    pub whatsapp_number: Option<String>,
}

/// A validated new customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    name: String,
    country_code: String,
    gender: Gender,
    email: Option<String>,
    phone_number: String,
    phone_code: String,
    socials: Socials,
}

/// The optional handles, empty ones already turned into `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Socials {
    tiktok_username: Option<String>,
    instagram_username: Option<String>,
    facebook_username: Option<String>,
    x_username: Option<String>,
    snapchat_username: Option<String>,
    whatsapp_number: Option<String>,
}

/// A validated set of changes: every `Some` replaces the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerChanges {
    name: Option<String>,
    country_code: Option<String>,
    gender: Option<Gender>,
    email: Option<String>,
    phone_number: Option<String>,
    phone_code: Option<String>,
    socials: Socials,
}

/// `Some(value)` when the value is present and not empty: the "empty means absent" rule of
/// nullable columns and of PATCH bodies.
fn present(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

fn required(value: Option<String>, field: &str) -> Result<String, DomainError> {
    present(value).ok_or_else(|| invalid_field(format!("{field} is required")))
}

/// Trims and upper-cases a 2-character country code (spec 02 §4.2).
///
/// # Errors
/// 400 `request.invalid_body` when the trimmed code is not exactly 2 characters.
pub fn country_code(raw: &str) -> Result<String, DomainError> {
    let trimmed = raw.trim();
    if trimmed.chars().count() == 2 {
        Ok(trimmed.to_uppercase())
    } else {
        Err(invalid_field("countryCode must be exactly 2 characters"))
    }
}

fn email(raw: String) -> Result<String, DomainError> {
    if is_valid_email(&raw) {
        Ok(raw)
    } else {
        Err(invalid_field("email must be a valid email address"))
    }
}

fn gender(raw: &str) -> Result<Gender, DomainError> {
    Gender::parse(raw).ok_or_else(|| invalid_field("gender must be one of male, female, other"))
}

/// Whether `address` is a syntactically valid email address (the HTML living standard's rule,
/// with internationalised domain labels allowed): a local part of atext characters and dots,
/// one `@`, and dot-separated domain labels of letters, digits and inner hyphens (at most 63
/// characters each); at most 254 characters, the local part at most 64.
pub fn is_valid_email(address: &str) -> bool {
    const LOCAL_SPECIALS: &str = ".!#$%&'*+/=?^_`{|}~-";
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.chars().count() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(c));
    let domain_ok = !domain.is_empty()
        && domain.chars().count() <= 255
        && domain.split('.').all(|label| {
            let len = label.chars().count();
            (1..=63).contains(&len)
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok && address.chars().count() <= 254
}

impl Socials {
    fn from_input(input: &mut CustomerInput) -> Self {
        Self {
            tiktok_username: present(input.tiktok_username.take()),
            instagram_username: present(input.instagram_username.take()),
            facebook_username: present(input.facebook_username.take()),
            x_username: present(input.x_username.take()),
            snapchat_username: present(input.snapchat_username.take()),
            whatsapp_number: present(input.whatsapp_number.take()),
        }
    }
}

impl NewCustomer {
    /// Validates a create body (spec 02 §3.4 POST): `name`, `countryCode` (2 characters),
    /// `phoneNumber` and `phoneCode` required; `email` valid when not empty; `gender` one of
    /// `male`, `female`, `other` when not empty.
    ///
    /// # Errors
    /// 400 `request.invalid_body` naming the first rule that failed.
    pub fn parse(mut input: CustomerInput) -> Result<Self, DomainError> {
        let name = required(input.name.take(), "name")?;
        let country = country_code(&required(input.country_code.take(), "countryCode")?)?;
        let phone_number = required(input.phone_number.take(), "phoneNumber")?;
        let phone_code = required(input.phone_code.take(), "phoneCode")?;
        let email = present(input.email.take()).map(email).transpose()?;
        let gender = present(input.gender.take())
            .map(|g| gender(&g))
            .transpose()?
            .unwrap_or_default();
        Ok(Self {
            name,
            country_code: country,
            gender,
            email,
            phone_number,
            phone_code,
            socials: Socials::from_input(&mut input),
        })
    }

    /// The email the new customer will have.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
}

impl CustomerChanges {
    /// Validates a PATCH body (spec 02 §3.4): absent or empty fields are unchanged; the others
    /// follow the create rules.
    ///
    /// # Errors
    /// 400 `request.invalid_body` naming the first rule that failed.
    pub fn parse(mut input: CustomerInput) -> Result<Self, DomainError> {
        Ok(Self {
            name: present(input.name.take()),
            country_code: present(input.country_code.take())
                .map(|c| country_code(&c))
                .transpose()?,
            gender: present(input.gender.take())
                .map(|g| gender(&g))
                .transpose()?,
            email: present(input.email.take()).map(email).transpose()?,
            phone_number: present(input.phone_number.take()),
            phone_code: present(input.phone_code.take()),
            socials: Socials::from_input(&mut input),
        })
    }
}

impl Customer {
    /// A new customer of `business_id`, joined and created at `now`.
    pub fn create(id: String, business_id: String, new: NewCustomer, now: DateTime<Utc>) -> Self {
        let Socials {
            tiktok_username,
            instagram_username,
            facebook_username,
            x_username,
            snapchat_username,
            whatsapp_number,
        } = new.socials;
        Self {
            id,
            business_id,
            name: new.name,
            country_code: new.country_code,
            gender: new.gender,
            email: new.email,
            phone_number: Some(new.phone_number),
            phone_code: Some(new.phone_code),
            tiktok_username,
            instagram_username,
            facebook_username,
            x_username,
            snapchat_username,
            whatsapp_number,
            joined_at: now,
            created_at: now,
            updated_at: now,
        }
    }

    /// Applies validated changes at `now`.
    pub fn apply(&mut self, changes: CustomerChanges, now: DateTime<Utc>) {
        fn set<T>(slot: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *slot = value;
            }
        }
        fn set_some<T>(slot: &mut Option<T>, value: Option<T>) {
            if value.is_some() {
                *slot = value;
            }
        }
        set(&mut self.name, changes.name);
        set(&mut self.country_code, changes.country_code);
        set(&mut self.gender, changes.gender);
        set_some(&mut self.email, changes.email);
        set_some(&mut self.phone_number, changes.phone_number);
        set_some(&mut self.phone_code, changes.phone_code);
        let s = changes.socials;
        set_some(&mut self.tiktok_username, s.tiktok_username);
        set_some(&mut self.instagram_username, s.instagram_username);
        set_some(&mut self.facebook_username, s.facebook_username);
        set_some(&mut self.x_username, s.x_username);
        set_some(&mut self.snapchat_username, s.snapchat_username);
        set_some(&mut self.whatsapp_number, s.whatsapp_number);
        self.updated_at = now;
    }

    /// Whether the customer has a handle on `platform` (non-empty).
    pub fn is_on(&self, platform: SocialPlatform) -> bool {
        let handle = match platform {
            SocialPlatform::Instagram => &self.instagram_username,
            SocialPlatform::Tiktok => &self.tiktok_username,
            SocialPlatform::Facebook => &self.facebook_username,
            SocialPlatform::X => &self.x_username,
            SocialPlatform::Snapchat => &self.snapchat_username,
            SocialPlatform::Whatsapp => &self.whatsapp_number,
        };
        handle.as_deref().is_some_and(|h| !h.is_empty())
    }
}

/// The address fields of a create or update body, as sent (`None` = absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressInput {
    pub country_code: Option<String>,
    pub state: Option<String>,
    pub city: Option<String>,
    pub street: Option<String>,
    pub phone_code: Option<String>,
    pub phone_number: Option<String>,
    pub zip_code: Option<String>,
}

/// A validated new address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAddress {
    country_code: String,
    state: String,
    city: String,
    street: Option<String>,
    phone_code: String,
    phone_number: String,
    zip_code: Option<String>,
}

/// Validated address changes: every `Some` replaces the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressChanges {
    country_code: Option<String>,
    state: Option<String>,
    city: Option<String>,
    street: Option<String>,
    phone_code: Option<String>,
    phone_number: Option<String>,
    zip_code: Option<String>,
}

impl NewAddress {
    /// Validates a create body (spec 02 §3.5 POST): `countryCode` (2 characters), `state`,
    /// `city`, `phoneCode` and `phoneNumber` required; `street` and `zipCode` optional.
    ///
    /// # Errors
    /// 400 `request.invalid_body` naming the first rule that failed.
    pub fn parse(input: AddressInput) -> Result<Self, DomainError> {
        Ok(Self {
            country_code: country_code(&required(input.country_code, "countryCode")?)?,
            state: required(input.state, "state")?,
            city: required(input.city, "city")?,
            phone_code: required(input.phone_code, "phoneCode")?,
            phone_number: required(input.phone_number, "phoneNumber")?,
            street: present(input.street),
            zip_code: present(input.zip_code),
        })
    }
}

impl AddressChanges {
    /// Validates a PATCH body (spec 02 §3.5): absent or empty fields are unchanged;
    /// `countryCode` must have 2 characters; phone code and number are trimmed.
    ///
    /// # Errors
    /// 400 `request.invalid_body` for a bad country code.
    pub fn parse(input: AddressInput) -> Result<Self, DomainError> {
        let trimmed = |value: Option<String>| present(value.map(|v| v.trim().to_owned()));
        Ok(Self {
            country_code: present(input.country_code)
                .map(|c| country_code(&c))
                .transpose()?,
            state: present(input.state),
            city: present(input.city),
            street: present(input.street),
            phone_code: trimmed(input.phone_code),
            phone_number: trimmed(input.phone_number),
            zip_code: present(input.zip_code),
        })
    }
}

impl CustomerAddress {
    /// A new address of `customer_id`, created at `now`.
    pub fn create(id: String, customer_id: String, new: NewAddress, now: DateTime<Utc>) -> Self {
        Self {
            id,
            customer_id,
            country_code: new.country_code,
            state: new.state,
            city: new.city,
            street: new.street,
            phone_code: new.phone_code,
            phone_number: new.phone_number,
            zip_code: new.zip_code,
            created_at: now,
            updated_at: now,
        }
    }

    /// Applies validated changes at `now`.
    pub fn apply(&mut self, changes: AddressChanges, now: DateTime<Utc>) {
        let replace = |slot: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *slot = value;
            }
        };
        replace(&mut self.country_code, changes.country_code);
        replace(&mut self.state, changes.state);
        replace(&mut self.city, changes.city);
        replace(&mut self.phone_code, changes.phone_code);
        replace(&mut self.phone_number, changes.phone_number);
        if changes.street.is_some() {
            self.street = changes.street;
        }
        if changes.zip_code.is_some() {
            self.zip_code = changes.zip_code;
        }
        self.updated_at = now;
    }
}

impl CustomerNote {
    /// A new note on `customer_id`; `content` is required and kept as given (not trimmed).
    ///
    /// # Errors
    /// 400 `request.invalid_body` for missing or empty content.
    pub fn create(
        id: String,
        customer_id: String,
        content: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            id,
            customer_id,
            content: required(content, "content")?,
            created_at: now,
            updated_at: now,
        })
    }
}

/// A social platform of the `socialPlatforms` list filter (spec 02 §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SocialPlatform {
    Instagram,
    Tiktok,
    Facebook,
    X,
    Snapchat,
    Whatsapp,
}

impl SocialPlatform {
    /// Parses a filter value, case-insensitively; unknown values are `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "instagram" => Some(Self::Instagram),
            "tiktok" => Some(Self::Tiktok),
            "facebook" => Some(Self::Facebook),
            "x" => Some(Self::X),
            "snapchat" => Some(Self::Snapchat),
            "whatsapp" => Some(Self::Whatsapp),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CustomerInput {
        CustomerInput {
            name: Some("Alice Wonder".into()),
            country_code: Some("eg".into()),
            phone_number: Some("1001234567".into()),
            phone_code: Some("+20".into()),
            ..CustomerInput::default()
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()
    }

    #[test]
    fn a_new_customer_gets_an_upper_cased_country_and_null_empty_fields() {
        let new = NewCustomer::parse(CustomerInput {
            email: Some(String::new()),
            instagram_username: Some(String::new()),
            tiktok_username: Some("alice.tt".into()),
            ..input()
        })
        .unwrap();
        let customer = Customer::create("cus1".into(), "bus1".into(), new, now());
        assert_eq!(customer.country_code, "EG");
        assert_eq!(customer.email, None);
        assert_eq!(customer.instagram_username, None);
        assert_eq!(customer.tiktok_username.as_deref(), Some("alice.tt"));
        assert_eq!(customer.gender, Gender::Unspecified);
        assert_eq!(customer.joined_at, now());
    }

    #[test]
    fn the_create_rules_refuse_missing_fields_bad_codes_emails_and_genders() {
        let cases = [
            CustomerInput {
                name: None,
                ..input()
            },
            CustomerInput {
                name: Some(String::new()),
                ..input()
            },
            CustomerInput {
                country_code: None,
                ..input()
            },
            CustomerInput {
                country_code: Some("e".into()),
                ..input()
            },
            CustomerInput {
                country_code: Some("egy".into()),
                ..input()
            },
            CustomerInput {
                phone_number: None,
                ..input()
            },
            CustomerInput {
                phone_code: Some(String::new()),
                ..input()
            },
            CustomerInput {
                email: Some("not-an-email".into()),
                ..input()
            },
            CustomerInput {
                gender: Some("invalid".into()),
                ..input()
            },
            CustomerInput {
                gender: Some("Male".into()),
                ..input()
            },
        ];
        for case in cases {
            let err = NewCustomer::parse(case.clone()).unwrap_err();
            assert_eq!(err.code, "request.invalid_body", "{case:?}");
        }
    }

    #[test]
    fn names_and_emails_are_kept_exactly_as_given() {
        let new = NewCustomer::parse(CustomerInput {
            name: Some("  Bob ".into()),
            email: Some("Bob.Smith@Example.COM".into()),
            gender: Some("male".into()),
            country_code: Some(" us ".into()),
            ..input()
        })
        .unwrap();
        let customer = Customer::create("cus1".into(), "bus1".into(), new, now());
        assert_eq!(customer.name, "  Bob ");
        assert_eq!(customer.email.as_deref(), Some("Bob.Smith@Example.COM"));
        assert_eq!(customer.gender, Gender::Male);
        assert_eq!(customer.country_code, "US");
    }

    #[test]
    fn empty_patch_fields_leave_the_customer_unchanged() {
        let new = NewCustomer::parse(CustomerInput {
            email: Some("alice@example.com".into()),
            instagram_username: Some("alice".into()),
            ..input()
        })
        .unwrap();
        let mut customer = Customer::create("cus1".into(), "bus1".into(), new, now());
        let before = customer.clone();
        let blank = CustomerInput {
            name: Some(String::new()),
            country_code: Some(String::new()),
            gender: Some(String::new()),
            email: Some(String::new()),
            phone_number: Some(String::new()),
            instagram_username: Some(String::new()),
            ..CustomerInput::default()
        };
        let later = now() + chrono::Duration::seconds(5);
        customer.apply(CustomerChanges::parse(blank).unwrap(), later);
        assert_eq!(
            Customer {
                updated_at: before.updated_at,
                ..customer.clone()
            },
            before
        );
        assert_eq!(customer.updated_at, later);
    }

    #[test]
    fn patch_fields_are_validated_and_applied() {
        let mut customer = Customer::create(
            "cus1".into(),
            "bus1".into(),
            NewCustomer::parse(input()).unwrap(),
            now(),
        );
        let changes = CustomerChanges::parse(CustomerInput {
            name: Some("John Updated".into()),
            gender: Some("other".into()),
            country_code: Some("sa".into()),
            x_username: Some("johnx".into()),
            ..CustomerInput::default()
        })
        .unwrap();
        customer.apply(changes, now());
        assert_eq!(customer.name, "John Updated");
        assert_eq!(customer.gender, Gender::Other);
        assert_eq!(customer.country_code, "SA");
        assert_eq!(customer.x_username.as_deref(), Some("johnx"));
        assert_eq!(customer.phone_number.as_deref(), Some("1001234567"));
        for bad in [
            CustomerInput {
                email: Some("nope@".into()),
                ..CustomerInput::default()
            },
            CustomerInput {
                gender: Some("unknown".into()),
                ..CustomerInput::default()
            },
            CustomerInput {
                country_code: Some("e".into()),
                ..CustomerInput::default()
            },
        ] {
            assert_eq!(
                CustomerChanges::parse(bad).unwrap_err().code,
                "request.invalid_body"
            );
        }
    }

    #[test]
    fn emails_follow_the_html_rule() {
        for good in [
            "a@b.co",
            "first.last+tag@sub.example.com",
            "x@localhost",
            "o'neil@example.ie",
            "user@bücher.example",
        ] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a b@example.com",
            "a@exa mple.com",
            "a@-example.com",
            "a@example..com",
            "a@example.com.",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        let long_label = format!("a@{}.com", "x".repeat(64));
        assert!(!is_valid_email(&long_label));
    }

    #[test]
    fn genders_round_trip_and_unknown_stored_values_read_as_unspecified() {
        for gender in [Gender::Male, Gender::Female, Gender::Other] {
            assert_eq!(Gender::parse(gender.as_str()), Some(gender));
        }
        assert_eq!(Gender::from_stored(""), Gender::Unspecified);
        assert_eq!(Gender::from_stored("robot"), Gender::Unspecified);
        assert_eq!(Gender::parse(""), None);
    }

    #[test]
    fn addresses_require_their_fields_and_upper_case_the_country() {
        let full = AddressInput {
            country_code: Some("eg".into()),
            state: Some("Cairo".into()),
            city: Some("Nasr City".into()),
            street: Some(String::new()),
            phone_code: Some("+20".into()),
            phone_number: Some("1001234567".into()),
            zip_code: Some("11371".into()),
        };
        let address = CustomerAddress::create(
            "addr1".into(),
            "cus1".into(),
            NewAddress::parse(full.clone()).unwrap(),
            now(),
        );
        assert_eq!(address.country_code, "EG");
        assert_eq!(address.street, None);
        assert_eq!(address.zip_code.as_deref(), Some("11371"));
        let missing: [fn(&mut AddressInput); 6] = [
            |a| a.country_code = None,
            |a| a.state = None,
            |a| a.city = Some(String::new()),
            |a| a.phone_code = None,
            |a| a.phone_number = None,
            |a| a.country_code = Some("e".into()),
        ];
        for (i, unset) in missing.iter().enumerate() {
            let mut input = full.clone();
            unset(&mut input);
            assert!(NewAddress::parse(input).is_err(), "case {i}");
        }
    }

    #[test]
    fn address_patches_trim_phones_and_keep_empty_fields() {
        let mut address = CustomerAddress::create(
            "addr1".into(),
            "cus1".into(),
            NewAddress::parse(AddressInput {
                country_code: Some("EG".into()),
                state: Some("Cairo".into()),
                city: Some("Cairo".into()),
                street: Some("1 Nile St".into()),
                phone_code: Some("+20".into()),
                phone_number: Some("100".into()),
                zip_code: None,
            })
            .unwrap(),
            now(),
        );
        let changes = AddressChanges::parse(AddressInput {
            city: Some("Giza".into()),
            street: Some("456 Updated St".into()),
            phone_number: Some("  200 ".into()),
            state: Some(String::new()),
            country_code: Some(" sa".into()),
            ..AddressInput::default()
        })
        .unwrap();
        address.apply(changes, now());
        assert_eq!(address.city, "Giza");
        assert_eq!(address.street.as_deref(), Some("456 Updated St"));
        assert_eq!(address.phone_number, "200");
        assert_eq!(address.state, "Cairo");
        assert_eq!(address.country_code, "SA");
        assert!(
            AddressChanges::parse(AddressInput {
                country_code: Some("egy".into()),
                ..AddressInput::default()
            })
            .is_err()
        );
    }

    #[test]
    fn notes_need_content_which_is_not_trimmed() {
        let note = CustomerNote::create("cnote1".into(), "cus1".into(), Some(" hi ".into()), now())
            .unwrap();
        assert_eq!(note.content, " hi ");
        for content in [None, Some(String::new())] {
            assert_eq!(
                CustomerNote::create("c".into(), "cus1".into(), content, now())
                    .unwrap_err()
                    .code,
                "request.invalid_body"
            );
        }
    }

    #[test]
    fn social_platforms_parse_case_insensitively_and_match_non_empty_handles() {
        assert_eq!(
            SocialPlatform::parse("InstaGram"),
            Some(SocialPlatform::Instagram)
        );
        assert_eq!(SocialPlatform::parse("X"), Some(SocialPlatform::X));
        assert_eq!(SocialPlatform::parse("myspace"), None);
        let mut customer = Customer::create(
            "cus1".into(),
            "bus1".into(),
            NewCustomer::parse(CustomerInput {
                whatsapp_number: Some("+2010".into()),
                ..input()
            })
            .unwrap(),
            now(),
        );
        assert!(customer.is_on(SocialPlatform::Whatsapp));
        assert!(!customer.is_on(SocialPlatform::Instagram));
        customer.instagram_username = Some(String::new());
        assert!(!customer.is_on(SocialPlatform::Instagram));
    }
}
