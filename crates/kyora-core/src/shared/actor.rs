//! Actors, roles and the static permission table (spec 01 §4.1).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::{DomainError, ErrorKind};

/// A workspace member's role. Stored and serialised as `user` / `admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    /// The stored form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Admin => "admin",
        }
    }

    /// Parses a stored role; any other value is `None` and fails every permission check.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "user" => Some(Self::User),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// What an actor wants to do to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    View,
    Manage,
}

impl Action {
    /// The action's name in permission strings.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Manage => "manage",
        }
    }
}

/// The resources permissions are granted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Account,
    Billing,
    Business,
    Customer,
    Order,
    Inventory,
    Expense,
    Accounting,
    BasicAnalytics,
    BasicFinancialReports,
    AdvancedAnalytics,
    AdvancedFinancialReports,
    OrderPaymentLinks,
    OrderInvoiceGeneration,
    AiBusinessAssistant,
    ExportAnalyticsData,
    DataImport,
    DataExport,
}

impl Resource {
    /// The resource's name in permission strings.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Billing => "billing",
            Self::Business => "business",
            Self::Customer => "customer",
            Self::Order => "order",
            Self::Inventory => "inventory",
            Self::Expense => "expense",
            Self::Accounting => "accounting",
            Self::BasicAnalytics => "basic_analytics",
            Self::BasicFinancialReports => "basic_financial_reports",
            Self::AdvancedAnalytics => "advanced_analytics",
            Self::AdvancedFinancialReports => "advanced_financial_reports",
            Self::OrderPaymentLinks => "order_payment_links",
            Self::OrderInvoiceGeneration => "order_invoice_generation",
            Self::AiBusinessAssistant => "ai_business_assistant",
            Self::ExportAnalyticsData => "export_analytics_data",
            Self::DataImport => "data_import",
            Self::DataExport => "data_export",
        }
    }
}

/// A permission `<action>:<resource>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Permission {
    pub action: Action,
    pub resource: Resource,
}

impl Permission {
    /// `action:resource`.
    pub const fn new(action: Action, resource: Resource) -> Self {
        Self { action, resource }
    }

    /// Whether `role` holds this permission (the static matrix of spec 01 §4.1).
    pub const fn granted_to(self, role: Role) -> bool {
        use Resource as R;
        match self.resource {
            R::Account
            | R::Billing
            | R::Business
            | R::Customer
            | R::Order
            | R::Inventory
            | R::Expense
            | R::Accounting => match self.action {
                Action::View => true,
                Action::Manage => matches!(role, Role::Admin),
            },
            R::BasicAnalytics | R::BasicFinancialReports => matches!(self.action, Action::View),
            R::AdvancedAnalytics
            | R::AdvancedFinancialReports
            | R::OrderPaymentLinks
            | R::OrderInvoiceGeneration
            | R::AiBusinessAssistant
            | R::ExportAnalyticsData
            | R::DataImport
            | R::DataExport => false,
        }
    }

    /// The 403 `account.permission_denied` problem for this permission.
    pub fn denied(self) -> DomainError {
        DomainError::new(
            ErrorKind::Forbidden,
            "account.permission_denied",
            format!(
                "unauthorized to {} {}",
                self.action.as_str(),
                self.resource.as_str()
            ),
        )
        .with_extension("action", self.action.as_str())
        .with_extension("resource", self.resource.as_str())
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.action.as_str(), self.resource.as_str())
    }
}

/// The authenticated user making a request, re-read from the database on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id.
    pub user_id: String,
    /// The user's workspace (from the user row, never from the token or URL).
    pub workspace_id: String,
    /// The stored role; `None` when the stored value is not a known role.
    pub role: Option<Role>,
}

impl Actor {
    /// Checks that the actor holds `permission`.
    ///
    /// # Errors
    /// 403 `account.permission_denied` with `action` and `resource` extensions.
    pub fn require(&self, permission: Permission) -> Result<(), DomainError> {
        match self.role {
            Some(role) if permission.granted_to(role) => Ok(()),
            _ => Err(permission.denied()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_RESOURCES: [Resource; 18] = [
        Resource::Account,
        Resource::Billing,
        Resource::Business,
        Resource::Customer,
        Resource::Order,
        Resource::Inventory,
        Resource::Expense,
        Resource::Accounting,
        Resource::BasicAnalytics,
        Resource::BasicFinancialReports,
        Resource::AdvancedAnalytics,
        Resource::AdvancedFinancialReports,
        Resource::OrderPaymentLinks,
        Resource::OrderInvoiceGeneration,
        Resource::AiBusinessAssistant,
        Resource::ExportAnalyticsData,
        Resource::DataImport,
        Resource::DataExport,
    ];

    fn granted(role: Role) -> Vec<String> {
        let mut out = Vec::new();
        for resource in ALL_RESOURCES {
            for action in [Action::View, Action::Manage] {
                let permission = Permission::new(action, resource);
                if permission.granted_to(role) {
                    out.push(permission.to_string());
                }
            }
        }
        out
    }

    #[test]
    fn the_user_role_views_core_resources_and_basic_reports() {
        assert_eq!(
            granted(Role::User),
            [
                "view:account",
                "view:billing",
                "view:business",
                "view:customer",
                "view:order",
                "view:inventory",
                "view:expense",
                "view:accounting",
                "view:basic_analytics",
                "view:basic_financial_reports",
            ]
        );
    }

    #[test]
    fn the_admin_role_also_manages_core_resources_but_not_reports() {
        let admin = granted(Role::Admin);
        assert_eq!(admin.len(), 18);
        assert!(admin.contains(&"manage:order".to_owned()));
        assert!(!admin.contains(&"manage:basic_analytics".to_owned()));
        assert!(!admin.iter().any(|p| p.ends_with("advanced_analytics")));
    }

    #[test]
    fn unknown_roles_fail_every_check_with_the_permission_in_the_problem() {
        let actor = Actor {
            user_id: "usr1".into(),
            workspace_id: "wrk1".into(),
            role: Role::parse("owner"),
        };
        let err = actor
            .require(Permission::new(Action::View, Resource::Order))
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Forbidden);
        assert_eq!(err.code, "account.permission_denied");
        assert_eq!(err.detail, "unauthorized to view order");
        assert_eq!(err.extensions["action"], "view");
        assert_eq!(err.extensions["resource"], "order");
    }

    #[test]
    fn roles_round_trip_through_their_stored_form() {
        for role in [Role::User, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
