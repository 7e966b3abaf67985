//! Request and response bodies of the customer, address and note routes (spec 02 §2.6–2.8,
//! §3.4–3.6).
//!
//! Requests only bind types (strings, an RFC 3339 `joinedAt`, unknown fields refused); every
//! field rule is the core's, so the HTTP layer and the core cannot disagree. Responses omit the
//! empty optional fields the contract omits and always carry `gender` and `email` (`""` when
//! there is none). The order-derived `ordersCount` / `totalSpent` arrive with orders.

use chrono::{DateTime, Utc};
use kyora_core::customer::{
    AddressInput, Customer, CustomerAddress, CustomerInput, CustomerListParams, CustomerNote,
};
use kyora_core::shared::list::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use kyora_core::customer::error::invalid_query_params;

use crate::problem::ApiError;

/// A customer as every customer endpoint returns it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerResponse {
    pub id: String,
    pub business_id: String,
    pub name: String,
    pub country_code: String,
    /// `male`, `female`, `other` or `""`.
    pub gender: String,
    /// `""` when the customer has none.
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiktok_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instagram_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facebook_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapchat_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whatsapp_number: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `None` for a missing or empty value: the contract omits both.
fn shown(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

impl From<Customer> for CustomerResponse {
    fn from(c: Customer) -> Self {
        Self {
            id: c.id,
            business_id: c.business_id,
            name: c.name,
            country_code: c.country_code,
            gender: c.gender.as_str().to_owned(),
            email: c.email.unwrap_or_default(),
            phone_number: shown(c.phone_number),
            phone_code: shown(c.phone_code),
            tiktok_username: shown(c.tiktok_username),
            instagram_username: shown(c.instagram_username),
            facebook_username: shown(c.facebook_username),
            x_username: shown(c.x_username),
            snapchat_username: shown(c.snapchat_username),
            whatsapp_number: shown(c.whatsapp_number),
            joined_at: c.joined_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// One page of customers: `{items, totalCount, page, pageSize, totalPages, hasMore}`, the
/// totals omitted when 0.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerList {
    pub items: Vec<CustomerResponse>,
    #[serde(skip_serializing_if = "is_zero")]
    pub total_count: u64,
    pub page: u64,
    pub page_size: u64,
    #[serde(skip_serializing_if = "is_zero")]
    pub total_pages: u64,
    pub has_more: bool,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
const fn is_zero(value: &u64) -> bool {
    *value == 0
}

impl From<Page<Customer>> for CustomerList {
    fn from(page: Page<Customer>) -> Self {
        Self {
            items: page.items.into_iter().map(CustomerResponse::from).collect(),
            total_count: page.total_count,
            page: page.page,
            page_size: page.page_size,
            total_pages: page.total_pages,
            has_more: page.has_more,
        }
    }
}

/// The list's query string. Numbers arrive as text so a malformed one is the customer list's
/// own 400 (`customer.invalid_query_params`); `orderBy` and `socialPlatforms` repeat.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CustomerListQueryParams {
    /// Page number, 1-based (0 or absent: 1).
    pub page: Option<String>,
    /// Items per page, 1–100 (0 or absent: 20).
    pub page_size: Option<String>,
    /// JSON field names, `-` for descending; repeated or comma-separated; default `-createdAt`.
    #[serde(default)]
    pub order_by: Vec<String>,
    /// Free text over name, email, phone numbers and usernames (at most 128 characters).
    pub search: Option<String>,
    /// Exact country code (case-insensitive).
    pub country_code: Option<String>,
    /// `instagram`, `tiktok`, `facebook`, `x`, `snapchat`, `whatsapp`; OR-combined.
    #[serde(default)]
    pub social_platforms: Vec<String>,
}

fn number(raw: Option<String>, name: &str) -> Result<Option<i64>, ApiError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| ApiError(invalid_query_params(format!("{name} must be an integer")))),
    }
}

impl CustomerListQueryParams {
    /// Parses a query string (repeated keys allowed).
    ///
    /// # Errors
    /// 400 `customer.invalid_query_params` when it cannot be read.
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        serde_html_form::from_str(query).map_err(|err| {
            ApiError(invalid_query_params("invalid query parameters").with_cause(err))
        })
    }

    /// The core's parameters.
    ///
    /// # Errors
    /// 400 `customer.invalid_query_params` for a page or page size that is not an integer.
    pub fn into_params(self) -> Result<CustomerListParams, ApiError> {
        Ok(CustomerListParams {
            page: number(self.page, "page")?,
            page_size: number(self.page_size, "pageSize")?,
            order_by: self.order_by,
            search: self.search,
            country_code: self.country_code,
            social_platforms: self.social_platforms,
        })
    }
}

/// A customer create or update body. On create `name`, `countryCode` (2 characters),
/// `phoneNumber` and `phoneCode` are required; on update every field is optional and an empty
/// one is unchanged. `joinedAt` is accepted and ignored.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CustomerRequest {
    pub name: Option<String>,
    pub country_code: Option<String>,
    /// `male`, `female` or `other`.
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
    /// Ignored: the server sets the join time.
    pub joined_at: Option<DateTime<Utc>>,
}

impl From<CustomerRequest> for CustomerInput {
    fn from(body: CustomerRequest) -> Self {
        Self {
            name: body.name,
            country_code: body.country_code,
            gender: body.gender,
            email: body.email,
            phone_number: body.phone_number,
            phone_code: body.phone_code,
            tiktok_username: body.tiktok_username,
            instagram_username: body.instagram_username,
            facebook_username: body.facebook_username,
            x_username: body.x_username,
            snapchat_username: body.snapchat_username,
            whatsapp_number: body.whatsapp_number,
        }
    }
}

/// An address as the address endpoints return it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddressResponse {
    pub id: String,
    pub customer_id: String,
    pub country_code: String,
    pub state: String,
    pub city: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    pub phone_code: String,
    pub phone_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CustomerAddress> for AddressResponse {
    fn from(a: CustomerAddress) -> Self {
        Self {
            id: a.id,
            customer_id: a.customer_id,
            country_code: a.country_code,
            state: a.state,
            city: a.city,
            street: shown(a.street),
            phone_code: a.phone_code,
            phone_number: a.phone_number,
            zip_code: shown(a.zip_code),
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// An address create or update body. On create `countryCode` (2 characters), `state`, `city`,
/// `phoneCode` and `phoneNumber` are required; on update an empty field is unchanged.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AddressRequest {
    pub country_code: Option<String>,
    pub state: Option<String>,
    pub city: Option<String>,
    pub street: Option<String>,
    pub phone_code: Option<String>,
    pub phone_number: Option<String>,
    pub zip_code: Option<String>,
}

impl From<AddressRequest> for AddressInput {
    fn from(body: AddressRequest) -> Self {
        Self {
            country_code: body.country_code,
            state: body.state,
            city: body.city,
            street: body.street,
            phone_code: body.phone_code,
            phone_number: body.phone_number,
            zip_code: body.zip_code,
        }
    }
}

/// A note as the note endpoints return it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoteResponse {
    pub id: String,
    pub customer_id: String,
    pub content: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CustomerNote> for NoteResponse {
    fn from(n: CustomerNote) -> Self {
        Self {
            id: n.id,
            customer_id: n.customer_id,
            content: n.content,
            created_at: n.created_at,
            updated_at: n.updated_at,
        }
    }
}

/// A note body: `content` is required and kept as given.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NoteRequest {
    pub content: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use kyora_core::customer::Gender;

    fn customer() -> Customer {
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        Customer {
            id: "cus1".into(),
            business_id: "bus1".into(),
            name: "Alice".into(),
            country_code: "EG".into(),
            gender: Gender::Unspecified,
            email: None,
            phone_number: Some("100".into()),
            phone_code: Some(String::new()),
            tiktok_username: None,
            instagram_username: Some("alice".into()),
            facebook_username: None,
            x_username: None,
            snapchat_username: None,
            whatsapp_number: None,
            joined_at: at,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn a_customer_always_has_gender_and_email_and_omits_empty_handles() {
        let json = serde_json::to_value(CustomerResponse::from(customer())).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "cus1",
                "businessId": "bus1",
                "name": "Alice",
                "countryCode": "EG",
                "gender": "",
                "email": "",
                "phoneNumber": "100",
                "instagramUsername": "alice",
                "joinedAt": "2026-01-02T03:04:05Z",
                "createdAt": "2026-01-02T03:04:05Z",
                "updatedAt": "2026-01-02T03:04:05Z"
            })
        );
    }

    #[test]
    fn query_numbers_must_be_integers() {
        let parsed = CustomerListQueryParams::parse(
            "page=2&pageSize=&orderBy=name&orderBy=-email&socialPlatforms=x&socialPlatforms=tiktok",
        )
        .unwrap()
        .into_params()
        .unwrap();
        assert_eq!(parsed.page, Some(2));
        assert_eq!(parsed.page_size, None);
        assert_eq!(parsed.order_by, ["name", "-email"]);
        assert_eq!(parsed.social_platforms, ["x", "tiktok"]);
        for bad in ["page=abc", "pageSize=1.5", "page=%20-", "page=1&page=2"] {
            let err = CustomerListQueryParams::parse(bad)
                .and_then(CustomerListQueryParams::into_params)
                .unwrap_err();
            assert_eq!(err.0.code, "customer.invalid_query_params", "{bad}");
        }
    }

    #[test]
    fn unknown_body_fields_are_refused_and_join_times_must_be_rfc_3339() {
        assert!(
            crate::extract::parse_json::<CustomerRequest>(br#"{"name":"A","extra":1}"#).is_err()
        );
        assert!(
            crate::extract::parse_json::<CustomerRequest>(br#"{"joinedAt":"yesterday"}"#).is_err()
        );
        let body = crate::extract::parse_json::<CustomerRequest>(
            br#"{"name":"A","joinedAt":"2020-01-01T00:00:00Z","email":null}"#,
        )
        .unwrap();
        assert_eq!(body.name.as_deref(), Some("A"));
        assert_eq!(body.email, None);
    }
}
