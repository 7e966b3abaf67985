//! The customer list request (spec 02 §3.4 GET, §4.6–4.7): paging, ordering, search and
//! filters, validated once into a [`CustomerListQuery`] every store runs the same way.
//!
//! Choices where the contract is silent, applied by every store:
//! - ordering terms resolve through [`CustomerField`]; unknown names (including the
//!   order-derived `ordersCount` / `totalSpent`, not built yet) are ignored, and when no known
//!   term is left the default applies, as if none had been sent;
//! - the default is `-createdAt`, or [`CustomerOrder::Relevance`] when searching;
//! - every ordering ends with the id as a tiebreak, in the direction of the last term;
//! - NULLs sort as the largest value (last ascending, first descending) on every backend.

use super::error::{invalid_query_params, invalid_search_term};
use super::model::SocialPlatform;
use crate::shared::error::DomainError;
use crate::shared::list::{ListRequest, OrderTerm, PageSizeRule, normalize_search};

/// The customer list's page sizes: 20 by default, at most 100 (larger is refused, not capped).
pub const PAGE_SIZES: PageSizeRule = PageSizeRule {
    default: 20,
    max: 100,
};

/// Normalised search terms longer than this many characters are refused.
pub const MAX_SEARCH_CHARS: usize = 128;

/// The list parameters as the client sent them (numbers already parsed; a value that is not
/// a number is the caller's `customer.invalid_query_params`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerListParams {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Repeated and/or comma-separated entries.
    pub order_by: Vec<String>,
    pub search: Option<String>,
    pub country_code: Option<String>,
    pub social_platforms: Vec<String>,
}

/// A customer field clients may order by (the JSON names of spec 02 §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomerField {
    Id,
    BusinessId,
    Name,
    CountryCode,
    Gender,
    Email,
    PhoneNumber,
    PhoneCode,
    TiktokUsername,
    InstagramUsername,
    FacebookUsername,
    XUsername,
    SnapchatUsername,
    WhatsappNumber,
    JoinedAt,
    CreatedAt,
    UpdatedAt,
}

impl CustomerField {
    /// Every field, in the contract's order.
    pub const ALL: [Self; 17] = [
        Self::Id,
        Self::BusinessId,
        Self::Name,
        Self::CountryCode,
        Self::Gender,
        Self::Email,
        Self::PhoneNumber,
        Self::PhoneCode,
        Self::TiktokUsername,
        Self::InstagramUsername,
        Self::FacebookUsername,
        Self::XUsername,
        Self::SnapchatUsername,
        Self::WhatsappNumber,
        Self::JoinedAt,
        Self::CreatedAt,
        Self::UpdatedAt,
    ];

    /// The JSON field name.
    pub const fn json_name(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::BusinessId => "businessId",
            Self::Name => "name",
            Self::CountryCode => "countryCode",
            Self::Gender => "gender",
            Self::Email => "email",
            Self::PhoneNumber => "phoneNumber",
            Self::PhoneCode => "phoneCode",
            Self::TiktokUsername => "tiktokUsername",
            Self::InstagramUsername => "instagramUsername",
            Self::FacebookUsername => "facebookUsername",
            Self::XUsername => "xUsername",
            Self::SnapchatUsername => "snapchatUsername",
            Self::WhatsappNumber => "whatsappNumber",
            Self::JoinedAt => "joinedAt",
            Self::CreatedAt => "createdAt",
            Self::UpdatedAt => "updatedAt",
        }
    }

    /// The field of a JSON name (exact, case-sensitive).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.json_name() == name)
    }
}

/// How the page is ordered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerOrder {
    /// By search relevance (PostgreSQL: `ts_rank_cd` descending), then `createdAt` descending.
    /// Stores without a relevance measure order by `createdAt` descending.
    Relevance,
    /// By these fields, in order (`true` = descending), then the id.
    Fields(Vec<(CustomerField, bool)>),
}

/// A validated customer list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerListQuery {
    /// Page and page size (its `order_by` and `search` are not used: see the fields below).
    pub page: ListRequest,
    /// The normalised search term.
    pub search: Option<String>,
    /// Exact upper-cased country code.
    pub country_code: Option<String>,
    /// Customers with a handle on any of these platforms (none = no filter).
    pub social_platforms: Vec<SocialPlatform>,
    /// The ordering.
    pub order: CustomerOrder,
}

impl CustomerListQuery {
    /// Validates the parameters (spec 02 §3.4): `page` ≥ 0 and `pageSize` 0–100 (0 or absent
    /// means the default); the search term trimmed, its whitespace collapsed, at most 128
    /// characters; the country code upper-cased; unknown platforms ignored.
    ///
    /// # Errors
    /// 400 `customer.invalid_query_params` for a negative page or a page size outside 0–100;
    /// 400 `customer.invalid_search_term` for a long search term.
    pub fn new(params: CustomerListParams) -> Result<Self, DomainError> {
        if params.page.is_some_and(|p| p < 0) {
            return Err(invalid_query_params("page must not be negative"));
        }
        if params
            .page_size
            .is_some_and(|s| !(0..=i64::try_from(PAGE_SIZES.max).unwrap_or(i64::MAX)).contains(&s))
        {
            return Err(invalid_query_params("pageSize must be between 1 and 100"));
        }
        let search = params.search.as_deref().and_then(normalize_search);
        if search
            .as_deref()
            .is_some_and(|s| s.chars().count() > MAX_SEARCH_CHARS)
        {
            return Err(invalid_search_term());
        }
        let country_code = params
            .country_code
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty());
        let mut social_platforms: Vec<SocialPlatform> = params
            .social_platforms
            .iter()
            .flat_map(|entry| entry.split(','))
            .filter_map(SocialPlatform::parse)
            .collect();
        social_platforms.sort_unstable();
        social_platforms.dedup();
        let fields: Vec<(CustomerField, bool)> = params
            .order_by
            .iter()
            .flat_map(|entry| entry.split(','))
            .filter_map(OrderTerm::parse)
            .filter_map(|term| CustomerField::parse(&term.field).map(|f| (f, term.descending)))
            .collect();
        let order = match (fields.is_empty(), search.is_some()) {
            (false, _) => CustomerOrder::Fields(fields),
            (true, true) => CustomerOrder::Relevance,
            (true, false) => CustomerOrder::Fields(vec![(CustomerField::CreatedAt, true)]),
        };
        Ok(Self {
            page: ListRequest::new(params.page, params.page_size, &[], None, PAGE_SIZES),
            search,
            country_code,
            social_platforms,
            order,
        })
    }

    /// The first page of `page_size` customers, newest first, unfiltered.
    pub fn first_page(page_size: u64) -> Self {
        Self {
            page: ListRequest::new(
                Some(1),
                Some(i64::try_from(page_size).unwrap_or(i64::MAX)),
                &[],
                None,
                PAGE_SIZES,
            ),
            search: None,
            country_code: None,
            social_platforms: Vec::new(),
            order: CustomerOrder::Fields(vec![(CustomerField::CreatedAt, true)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> CustomerListParams {
        CustomerListParams::default()
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn absent_or_zero_paging_uses_page_one_of_twenty() {
        for (page, size) in [(None, None), (Some(0), Some(0))] {
            let q = CustomerListQuery::new(CustomerListParams {
                page,
                page_size: size,
                ..params()
            })
            .unwrap();
            assert_eq!((q.page.page, q.page.page_size), (1, 20));
        }
        let q = CustomerListQuery::new(CustomerListParams {
            page: Some(3),
            page_size: Some(100),
            ..params()
        })
        .unwrap();
        assert_eq!(
            (q.page.page, q.page.page_size, q.page.offset()),
            (3, 100, 200)
        );
    }

    #[test]
    fn negative_pages_and_sizes_outside_the_range_are_refused() {
        for (page, size) in [(Some(-1), None), (None, Some(101)), (None, Some(-5))] {
            let err = CustomerListQuery::new(CustomerListParams {
                page,
                page_size: size,
                ..params()
            })
            .unwrap_err();
            assert_eq!(err.code, "customer.invalid_query_params");
        }
    }

    #[test]
    fn search_terms_are_normalised_and_limited_to_128_characters() {
        let q = CustomerListQuery::new(CustomerListParams {
            search: Some("  alice \t wonder ".into()),
            ..params()
        })
        .unwrap();
        assert_eq!(q.search.as_deref(), Some("alice wonder"));
        assert_eq!(q.order, CustomerOrder::Relevance);
        let exactly = "é".repeat(128);
        assert!(
            CustomerListQuery::new(CustomerListParams {
                search: Some(format!("  {exactly}  ")),
                ..params()
            })
            .is_ok()
        );
        let err = CustomerListQuery::new(CustomerListParams {
            search: Some("a".repeat(300)),
            ..params()
        })
        .unwrap_err();
        assert_eq!(err.code, "customer.invalid_search_term");
        let blank = CustomerListQuery::new(CustomerListParams {
            search: Some("   ".into()),
            ..params()
        })
        .unwrap();
        assert_eq!(blank.search, None);
    }

    #[test]
    fn ordering_keeps_known_fields_and_falls_back_to_the_default() {
        let q = CustomerListQuery::new(CustomerListParams {
            order_by: strings(&["name,-ordersCount", "", "-joinedAt", "bogus"]),
            ..params()
        })
        .unwrap();
        assert_eq!(
            q.order,
            CustomerOrder::Fields(vec![
                (CustomerField::Name, false),
                (CustomerField::JoinedAt, true)
            ])
        );
        let unknown_only = CustomerListQuery::new(CustomerListParams {
            order_by: strings(&["totalSpent"]),
            ..params()
        })
        .unwrap();
        assert_eq!(
            unknown_only.order,
            CustomerOrder::Fields(vec![(CustomerField::CreatedAt, true)])
        );
        let explicit_with_search = CustomerListQuery::new(CustomerListParams {
            order_by: strings(&["-createdAt"]),
            search: Some("bob".into()),
            ..params()
        })
        .unwrap();
        assert_eq!(
            explicit_with_search.order,
            CustomerOrder::Fields(vec![(CustomerField::CreatedAt, true)])
        );
    }

    #[test]
    fn filters_are_normalised_and_unknown_platforms_ignored() {
        let q = CustomerListQuery::new(CustomerListParams {
            country_code: Some(" eg ".into()),
            social_platforms: strings(&["TikTok", "instagram,myspace", "tiktok"]),
            ..params()
        })
        .unwrap();
        assert_eq!(q.country_code.as_deref(), Some("EG"));
        assert_eq!(
            q.social_platforms,
            vec![SocialPlatform::Instagram, SocialPlatform::Tiktok]
        );
        let none = CustomerListQuery::new(CustomerListParams {
            country_code: Some(String::new()),
            social_platforms: strings(&["myspace"]),
            ..params()
        })
        .unwrap();
        assert_eq!(none.country_code, None);
        assert!(none.social_platforms.is_empty());
    }

    #[test]
    fn every_field_round_trips_through_its_json_name() {
        for field in CustomerField::ALL {
            assert_eq!(CustomerField::parse(field.json_name()), Some(field));
        }
        assert_eq!(CustomerField::parse("CreatedAt"), None);
    }
}
