//! List requests and responses shared by every list endpoint (spec 01 §4.7).

use serde::Serialize;

/// Page-size rules of one list endpoint: the default when none (or ≤ 0) is given, and the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSizeRule {
    /// Used when the client sends no page size, or one ≤ 0.
    pub default: u64,
    /// Larger requests are capped to this.
    pub max: u64,
}

impl PageSizeRule {
    /// The platform default: 30 per page, at most 100.
    pub const STANDARD: Self = Self {
        default: 30,
        max: 100,
    };
}

/// One ordering term: a JSON field name, descending when it was prefixed with `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTerm {
    /// The JSON field name as the client sent it (without the `-`).
    pub field: String,
    /// Whether the order is descending.
    pub descending: bool,
}

impl OrderTerm {
    /// Parses `"-createdAt"` / `"name"`; `None` for an empty entry.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (field, descending) = match raw.strip_prefix('-') {
            Some(rest) => (rest.trim(), true),
            None => (raw, false),
        };
        (!field.is_empty()).then(|| Self {
            field: field.to_owned(),
            descending,
        })
    }
}

/// A validated list request: page, page size, ordering and search term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    /// 1-based page number (values < 1 become 1).
    pub page: u64,
    /// Items per page, after the default and cap were applied.
    pub page_size: u64,
    /// Ordering terms; never empty (defaults to `-createdAt`).
    pub order_by: Vec<OrderTerm>,
    /// Normalised search term, if any.
    pub search: Option<String>,
}

impl ListRequest {
    /// Builds a request from raw query values.
    ///
    /// `order_by` entries may be repeated parameters and/or comma-separated lists; empty entries
    /// are ignored; with no entry left the order is `-createdAt`.
    pub fn new(
        page: Option<i64>,
        page_size: Option<i64>,
        order_by: &[String],
        search: Option<&str>,
        rule: PageSizeRule,
    ) -> Self {
        let page = page.filter(|p| *p >= 1).map_or(1, |p| p.unsigned_abs());
        let page_size = match page_size {
            Some(size) if size > 0 => size.unsigned_abs().min(rule.max),
            _ => rule.default,
        };
        let mut terms: Vec<OrderTerm> = order_by
            .iter()
            .flat_map(|entry| entry.split(','))
            .filter_map(OrderTerm::parse)
            .collect();
        if terms.is_empty() {
            terms.push(OrderTerm {
                field: "createdAt".to_owned(),
                descending: true,
            });
        }
        Self {
            page,
            page_size,
            order_by: terms,
            search: search.and_then(normalize_search),
        }
    }

    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.page_size)
    }

    /// Rows to take.
    pub fn limit(&self) -> u64 {
        self.page_size
    }
}

/// Trims a search term and collapses inner whitespace runs; `None` when nothing is left.
pub fn normalize_search(raw: &str) -> Option<String> {
    let joined = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// Search terms longer than this many bytes are refused by each domain.
pub const MAX_SEARCH_BYTES: usize = 128;

/// One page of a list response.
///
/// `totalCount` and `totalPages` are omitted when 0, as the contract requires.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Number of items over all pages.
    #[serde(skip_serializing_if = "is_zero")]
    pub total_count: u64,
    /// The page number.
    pub page: u64,
    /// The page size.
    pub page_size: u64,
    /// `ceil(totalCount / pageSize)`.
    #[serde(skip_serializing_if = "is_zero")]
    pub total_pages: u64,
    /// Whether a later page exists.
    pub has_more: bool,
}

// serde's skip_serializing_if hands a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(value: &u64) -> bool {
    *value == 0
}

impl<T> Page<T> {
    /// Builds a page from its items and the total count.
    pub fn new(items: Vec<T>, total_count: u64, request: &ListRequest) -> Self {
        let page_size = request.page_size.max(1);
        Self {
            items,
            total_count,
            page: request.page,
            page_size: request.page_size,
            total_pages: total_count.div_ceil(page_size),
            has_more: request.page.saturating_mul(page_size) < total_count,
        }
    }

    /// Converts the items, keeping the paging numbers.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total_count: self.total_count,
            page: self.page,
            page_size: self.page_size,
            total_pages: self.total_pages,
            has_more: self.has_more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn page_and_size_fall_back_and_cap() {
        let r = ListRequest::new(Some(0), Some(0), &[], None, PageSizeRule::STANDARD);
        assert_eq!((r.page, r.page_size, r.offset()), (1, 30, 0));
        let r = ListRequest::new(Some(3), Some(500), &[], None, PageSizeRule::STANDARD);
        assert_eq!((r.page, r.page_size, r.offset()), (3, 100, 200));
        let r = ListRequest::new(Some(-4), Some(-1), &[], None, PageSizeRule::STANDARD);
        assert_eq!((r.page, r.page_size), (1, 30));
        let custom = PageSizeRule {
            default: 20,
            max: 50,
        };
        let r = ListRequest::new(None, None, &[], None, custom);
        assert_eq!(r.page_size, 20);
    }

    #[test]
    fn order_by_accepts_repeated_and_comma_separated_entries() {
        let r = ListRequest::new(
            None,
            None,
            &strings(&["name,-total", "", " -createdAt ", ",,"]),
            None,
            PageSizeRule::STANDARD,
        );
        let fields: Vec<(&str, bool)> = r
            .order_by
            .iter()
            .map(|t| (t.field.as_str(), t.descending))
            .collect();
        assert_eq!(
            fields,
            vec![("name", false), ("total", true), ("createdAt", true)]
        );
    }

    #[test]
    fn order_by_defaults_to_newest_first() {
        let r = ListRequest::new(
            None,
            None,
            &strings(&["", "-"]),
            None,
            PageSizeRule::STANDARD,
        );
        assert_eq!(
            r.order_by,
            vec![OrderTerm {
                field: "createdAt".into(),
                descending: true
            }]
        );
    }

    #[test]
    fn search_terms_are_trimmed_and_collapsed() {
        assert_eq!(
            normalize_search("  red \t  shoes\n"),
            Some("red shoes".into())
        );
        assert_eq!(normalize_search("   "), None);
    }

    #[test]
    fn page_json_omits_zero_totals() {
        let request = ListRequest::new(Some(1), Some(10), &[], None, PageSizeRule::STANDARD);
        let empty: Page<u8> = Page::new(vec![], 0, &request);
        assert_eq!(
            serde_json::to_value(&empty).unwrap_or_default(),
            serde_json::json!({"items": [], "page": 1, "pageSize": 10, "hasMore": false})
        );
        let full = Page::new(vec![1u8; 10], 25, &request);
        let json = serde_json::to_value(&full).unwrap_or_default();
        assert_eq!(json["totalCount"], 25);
        assert_eq!(json["totalPages"], 3);
        assert_eq!(json["hasMore"], true);
        let last = ListRequest::new(Some(3), Some(10), &[], None, PageSizeRule::STANDARD);
        assert!(!Page::new(vec![1u8; 5], 25, &last).has_more);
    }
}
