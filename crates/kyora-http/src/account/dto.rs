//! Request and response bodies of the account routes (spec 01 §2, §3.3–3.6).

use chrono::{DateTime, Utc};
use kyora_core::account::{Invitation, LoginResult, TokenPair, User, Workspace};
use kyora_core::shared::actor::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

/// A user as every endpoint returns it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub id: String,
    pub workspace_id: String,
    pub role: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub is_email_verified: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserResponse {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            workspace_id: user.workspace_id,
            role: user.role,
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            is_email_verified: user.is_email_verified,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// `{user, token, refreshToken}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    pub user: UserResponse,
    pub token: String,
    pub refresh_token: String,
}

impl From<LoginResult> for LoginResponse {
    fn from(result: LoginResult) -> Self {
        Self {
            user: result.user.into(),
            token: result.tokens.token,
            refresh_token: result.tokens.refresh_token,
        }
    }
}

/// `{token, refreshToken}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshResponse {
    pub token: String,
    pub refresh_token: String,
}

impl From<TokenPair> for RefreshResponse {
    fn from(pair: TokenPair) -> Self {
        Self {
            token: pair.token,
            refresh_token: pair.refresh_token,
        }
    }
}

/// A workspace.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceResponse {
    pub id: String,
    pub owner_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stripe_customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stripe_payment_method_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Workspace> for WorkspaceResponse {
    fn from(w: Workspace) -> Self {
        Self {
            id: w.id,
            owner_id: w.owner_id,
            stripe_customer_id: w.stripe_customer_id,
            stripe_payment_method_id: w.stripe_payment_method_id,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// An invitation (never with its token or inviter object).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationResponse {
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub role: String,
    pub inviter_id: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Invitation> for InvitationResponse {
    fn from(i: Invitation) -> Self {
        Self {
            id: i.id,
            workspace_id: i.workspace_id,
            email: i.email,
            role: i.role.as_str().to_owned(),
            inviter_id: i.inviter_id,
            status: i.status.as_str().to_owned(),
            accepted_at: i.accepted_at,
            created_at: i.created_at,
            updated_at: i.updated_at,
        }
    }
}

/// `{url, state}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoogleUrlResponse {
    pub url: String,
    pub state: String,
}

fn role_value(role: &str) -> Result<(), ValidationError> {
    Role::parse(role)
        .map(|_| ())
        .ok_or_else(|| ValidationError::new("role"))
}

/// Password login.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(email)]
    pub email: String,
    #[validate(length(min = 1))]
    pub password: String,
}

/// A refresh token (refresh, logout, logout-all, logout-others).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RefreshRequest {
    #[validate(length(min = 1))]
    pub refresh_token: String,
}

/// A Google authorization code.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoogleLoginRequest {
    #[validate(length(min = 1))]
    pub code: String,
}

/// An email address (forgot-password, verify-email request).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailRequest {
    #[validate(email)]
    pub email: String,
}

/// A reset token and the new password (8 characters at least).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResetPasswordRequest {
    #[validate(length(min = 1))]
    pub token: String,
    #[validate(length(min = 8))]
    pub new_password: String,
}

/// A verification token.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[validate(length(min = 1))]
    pub token: String,
}

/// Accepting an invitation with a password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AcceptInvitationRequest {
    #[validate(length(min = 1))]
    pub first_name: String,
    #[validate(length(min = 1))]
    pub last_name: String,
    #[validate(length(min = 8))]
    pub password: String,
}

/// Profile changes; absent or null fields stay unchanged.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateProfileRequest {
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
}

/// A new role.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRoleRequest {
    /// `user` or `admin`.
    #[validate(custom(function = "role_value"))]
    pub role: String,
}

/// A new invitation.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvitationRequest {
    #[validate(email)]
    pub email: String,
    /// `user` or `admin`.
    #[validate(custom(function = "role_value"))]
    pub role: String,
}

/// `?token=` of invitation acceptance.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenQuery {
    pub token: Option<String>,
}

/// `?token=&code=` of the Google invitation acceptance.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GoogleAcceptQuery {
    pub token: Option<String>,
    pub code: Option<String>,
}

/// `?status=` of the invitation list.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationFilter {
    pub status: Option<String>,
}
