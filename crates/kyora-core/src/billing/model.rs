//! Plans and subscriptions.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Feature switches of a plan (spec 04 §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanFeatures {
    pub customer_management: bool,
    pub inventory_management: bool,
    pub order_management: bool,
    pub expense_management: bool,
    pub accounting: bool,
    pub basic_analytics: bool,
    pub financial_reports: bool,
    pub data_import: bool,
    pub data_export: bool,
    pub advanced_analytics: bool,
    pub advanced_financial_reports: bool,
    pub order_payment_links: bool,
    pub invoice_generation: bool,
    pub export_analytics_data: bool,
    pub ai_business_assistant: bool,
}

/// A gated feature, named in errors by its JSON path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    CustomerManagement,
    InventoryManagement,
    OrderManagement,
    ExpenseManagement,
    Accounting,
    BasicAnalytics,
    FinancialReports,
    DataImport,
    DataExport,
    AdvancedAnalytics,
    AdvancedFinancialReports,
    OrderPaymentLinks,
    InvoiceGeneration,
    ExportAnalyticsData,
    AiBusinessAssistant,
}

impl Feature {
    /// `features.<key>`.
    pub const fn path(self) -> &'static str {
        match self {
            Self::CustomerManagement => "features.customerManagement",
            Self::InventoryManagement => "features.inventoryManagement",
            Self::OrderManagement => "features.orderManagement",
            Self::ExpenseManagement => "features.expenseManagement",
            Self::Accounting => "features.accounting",
            Self::BasicAnalytics => "features.basicAnalytics",
            Self::FinancialReports => "features.financialReports",
            Self::DataImport => "features.dataImport",
            Self::DataExport => "features.dataExport",
            Self::AdvancedAnalytics => "features.advancedAnalytics",
            Self::AdvancedFinancialReports => "features.advancedFinancialReports",
            Self::OrderPaymentLinks => "features.orderPaymentLinks",
            Self::InvoiceGeneration => "features.invoiceGeneration",
            Self::ExportAnalyticsData => "features.exportAnalyticsData",
            Self::AiBusinessAssistant => "features.aiBusinessAssistant",
        }
    }
}

impl PlanFeatures {
    /// Whether `feature` is on.
    pub const fn has(&self, feature: Feature) -> bool {
        match feature {
            Feature::CustomerManagement => self.customer_management,
            Feature::InventoryManagement => self.inventory_management,
            Feature::OrderManagement => self.order_management,
            Feature::ExpenseManagement => self.expense_management,
            Feature::Accounting => self.accounting,
            Feature::BasicAnalytics => self.basic_analytics,
            Feature::FinancialReports => self.financial_reports,
            Feature::DataImport => self.data_import,
            Feature::DataExport => self.data_export,
            Feature::AdvancedAnalytics => self.advanced_analytics,
            Feature::AdvancedFinancialReports => self.advanced_financial_reports,
            Feature::OrderPaymentLinks => self.order_payment_links,
            Feature::InvoiceGeneration => self.invoice_generation,
            Feature::ExportAnalyticsData => self.export_analytics_data,
            Feature::AiBusinessAssistant => self.ai_business_assistant,
        }
    }
}

/// Numeric limits of a plan; a negative value is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanLimits {
    pub max_orders_per_month: i64,
    pub max_team_members: i64,
    pub max_businesses: i64,
}

/// A limited quantity, named in errors by its JSON path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    MaxOrdersPerMonth,
    MaxTeamMembers,
    MaxBusinesses,
}

impl Limit {
    /// `limits.<key>`.
    pub const fn path(self) -> &'static str {
        match self {
            Self::MaxOrdersPerMonth => "limits.maxOrdersPerMonth",
            Self::MaxTeamMembers => "limits.maxTeamMembers",
            Self::MaxBusinesses => "limits.maxBusinesses",
        }
    }
}

impl PlanLimits {
    /// The value of `limit`.
    pub const fn of(&self, limit: Limit) -> i64 {
        match limit {
            Limit::MaxOrdersPerMonth => self.max_orders_per_month,
            Limit::MaxTeamMembers => self.max_team_members,
            Limit::MaxBusinesses => self.max_businesses,
        }
    }
}

/// Whether one more item fits under `limit` given the current `usage` (`usage + 1 > limit` is
/// refused; a negative limit is unlimited).
pub const fn allows_one_more(limit: i64, usage: u64) -> bool {
    if limit < 0 {
        return true;
    }
    // usage + 1 <= limit, in i128 where neither side can overflow.
    (usage as i128) < limit as i128
}

/// A subscription plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: String,
    pub descriptor: String,
    pub name: String,
    pub description: String,
    pub stripe_plan_id: Option<String>,
    /// Major units, 2 decimal places.
    pub price: Decimal,
    /// Lower-case ISO code as stored (`aed`).
    pub currency: String,
    /// `monthly` or `yearly`.
    pub billing_cycle: String,
    pub features: PlanFeatures,
    pub limits: PlanLimits,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The built-in catalogue (spec 04 §2.3), without ids or timestamps: the repository upserts it
/// by descriptor.
pub fn catalogue() -> Vec<PlanSpec> {
    let base = PlanFeatures {
        customer_management: true,
        inventory_management: true,
        order_management: true,
        expense_management: true,
        accounting: true,
        basic_analytics: true,
        financial_reports: true,
        ..PlanFeatures::default()
    };
    let professional = PlanFeatures {
        data_import: true,
        data_export: true,
        advanced_analytics: true,
        advanced_financial_reports: true,
        order_payment_links: true,
        invoice_generation: true,
        ..base
    };
    let enterprise = PlanFeatures {
        export_analytics_data: true,
        ai_business_assistant: true,
        ..professional
    };
    vec![
        PlanSpec {
            descriptor: "starter",
            name: "Starter Plan",
            description: "Perfect for sole owners just getting started with their business",
            price: Decimal::ZERO,
            features: base,
            limits: PlanLimits {
                max_orders_per_month: 25,
                max_team_members: 1,
                max_businesses: 1,
            },
        },
        PlanSpec {
            descriptor: "professional",
            name: "Professional Plan",
            description: "For growing businesses that need advanced features and higher limits",
            price: Decimal::new(5499, 2),
            features: professional,
            limits: PlanLimits {
                max_orders_per_month: 500,
                max_team_members: 5,
                max_businesses: 3,
            },
        },
        PlanSpec {
            descriptor: "enterprise",
            name: "Enterprise Plan",
            description: "For large businesses with advanced needs and unlimited usage",
            price: Decimal::new(15599, 2),
            features: enterprise,
            limits: PlanLimits {
                max_orders_per_month: -1,
                max_team_members: -1,
                max_businesses: -1,
            },
        },
    ]
}

/// One entry of the built-in catalogue; every entry is `aed`, `monthly`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSpec {
    pub descriptor: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub price: Decimal,
    pub features: PlanFeatures,
    pub limits: PlanLimits,
}

/// Catalogue currency.
pub const CATALOGUE_CURRENCY: &str = "aed";
/// Catalogue billing cycle.
pub const CATALOGUE_CYCLE: &str = "monthly";

/// Local subscription statuses (spec 04 §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionStatus {
    Active,
    PastDue,
    Canceled,
    Unpaid,
    Incomplete,
    Trialing,
}

impl SubscriptionStatus {
    /// The stored form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::PastDue => "past_due",
            Self::Canceled => "canceled",
            Self::Unpaid => "unpaid",
            Self::Incomplete => "incomplete",
            Self::Trialing => "trialing",
        }
    }

    /// Parses the stored form.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "active" => Some(Self::Active),
            "past_due" => Some(Self::PastDue),
            "canceled" => Some(Self::Canceled),
            "unpaid" => Some(Self::Unpaid),
            "incomplete" => Some(Self::Incomplete),
            "trialing" => Some(Self::Trialing),
            _ => None,
        }
    }

    /// Whether the active-subscription gate lets this status through (`trialing` does).
    pub const fn passes_gate(self) -> bool {
        match self {
            Self::Active | Self::Trialing => true,
            Self::PastDue | Self::Canceled | Self::Unpaid | Self::Incomplete => false,
        }
    }
}

/// A workspace's subscription with its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: String,
    pub workspace_id: String,
    pub plan_id: String,
    pub stripe_sub_id: String,
    pub current_period_end: DateTime<Utc>,
    /// The stored status; unknown values never pass the gate.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_admits_usage_strictly_below_it_and_negative_is_unlimited() {
        assert!(allows_one_more(1, 0));
        assert!(!allows_one_more(1, 1));
        assert!(!allows_one_more(0, 0));
        assert!(allows_one_more(5, 4));
        assert!(!allows_one_more(5, 5));
        assert!(allows_one_more(-1, 1_000_000));
        assert!(
            allows_one_more(i64::MAX, u64::MAX - 1) == ((u64::MAX as i128) <= i64::MAX as i128)
        );
    }

    #[test]
    fn only_active_and_trialing_pass_the_gate() {
        let passing: Vec<_> = [
            "active",
            "past_due",
            "canceled",
            "unpaid",
            "incomplete",
            "trialing",
        ]
        .into_iter()
        .filter(|s| SubscriptionStatus::parse(s).is_some_and(SubscriptionStatus::passes_gate))
        .collect();
        assert_eq!(passing, ["active", "trialing"]);
    }

    #[test]
    fn the_catalogue_matches_the_contract() {
        let plans = catalogue();
        let descriptors: Vec<_> = plans.iter().map(|p| p.descriptor).collect();
        assert_eq!(descriptors, ["starter", "professional", "enterprise"]);
        assert_eq!(plans[1].price.to_string(), "54.99");
        assert_eq!(plans[2].price.to_string(), "155.99");
        assert_eq!(plans[0].limits.of(Limit::MaxTeamMembers), 1);
        assert_eq!(plans[1].limits.of(Limit::MaxOrdersPerMonth), 500);
        assert_eq!(plans[2].limits.of(Limit::MaxBusinesses), -1);
        assert!(!plans[0].features.has(Feature::DataExport));
        assert!(plans[1].features.has(Feature::InvoiceGeneration));
        assert!(!plans[1].features.has(Feature::AiBusinessAssistant));
        assert!(plans[2].features.has(Feature::AiBusinessAssistant));
        assert!(
            plans
                .iter()
                .all(|p| p.features.has(Feature::OrderManagement))
        );
        let json = serde_json::to_value(plans[0].limits).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"maxOrdersPerMonth": 25, "maxTeamMembers": 1, "maxBusinesses": 1})
        );
    }
}
