//! The account context's rule violations, each with its stable code (spec 01 §3.1, §3.3–3.6).

use crate::shared::error::{DomainError, ErrorKind};

const INVALID_OR_EXPIRED: &str = "invalid or expired token";

/// 401 `account.invalid_credentials`: unknown email or wrong password, indistinguishably.
pub fn invalid_credentials() -> DomainError {
    DomainError::new(
        ErrorKind::Unauthorized,
        "account.invalid_credentials",
        "invalid email or password",
    )
}

/// 401 `account.invalid_token`: a refresh, reset or verification token that does not work, or an
/// access token minted before the user's last logout-all or password reset.
pub fn invalid_token() -> DomainError {
    DomainError::new(
        ErrorKind::Unauthorized,
        "account.invalid_token",
        INVALID_OR_EXPIRED,
    )
}

/// 401 `account.invalid_invitation_token`.
pub fn invalid_invitation_token() -> DomainError {
    DomainError::new(
        ErrorKind::Unauthorized,
        "account.invalid_invitation_token",
        INVALID_OR_EXPIRED,
    )
}

/// 429 `account.rate_limited`.
pub fn rate_limited() -> DomainError {
    DomainError::new(
        ErrorKind::TooManyRequests,
        "account.rate_limited",
        "too many requests",
    )
}

/// 500 `account.operation_failed`; `cause` is logged only.
pub fn operation_failed(cause: impl std::fmt::Display) -> DomainError {
    DomainError::new(
        ErrorKind::Internal,
        "account.operation_failed",
        "the operation failed",
    )
    .with_cause(cause)
}

/// 401 `account.google_no_account`.
pub fn google_no_account() -> DomainError {
    DomainError::new(
        ErrorKind::Unauthorized,
        "account.google_no_account",
        "no account found with this Google email",
    )
}

/// 404 `account.user_not_member`.
pub fn user_not_member() -> DomainError {
    DomainError::new(
        ErrorKind::NotFound,
        "account.user_not_member",
        "user is not a member of this workspace",
    )
}

/// 403 `account.cannot_update_own_role`.
pub fn cannot_update_own_role() -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "account.cannot_update_own_role",
        "you cannot update your own role",
    )
}

/// 403 `account.cannot_update_owner_role`.
pub fn cannot_update_owner_role() -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "account.cannot_update_owner_role",
        "you cannot update the workspace owner's role",
    )
}

/// 403 `account.cannot_remove_self`.
pub fn cannot_remove_self() -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "account.cannot_remove_self",
        "you cannot remove yourself from the workspace",
    )
}

/// 403 `account.cannot_remove_owner`.
pub fn cannot_remove_owner() -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "account.cannot_remove_owner",
        "you cannot remove the workspace owner",
    )
}

/// 409 `account.user_already_exists`.
pub fn user_already_exists() -> DomainError {
    DomainError::new(
        ErrorKind::Conflict,
        "account.user_already_exists",
        "user with this email already exists",
    )
}

/// 409 `account.invitation_already_exists`.
pub fn invitation_already_exists() -> DomainError {
    DomainError::new(
        ErrorKind::Conflict,
        "account.invitation_already_exists",
        "active invitation already exists for this email",
    )
}

/// 404 `account.invitation_not_found`.
pub fn invitation_not_found() -> DomainError {
    DomainError::new(
        ErrorKind::NotFound,
        "account.invitation_not_found",
        "invitation not found",
    )
}

/// 409 `account.invitation_cannot_be_revoked`.
pub fn invitation_cannot_be_revoked() -> DomainError {
    DomainError::new(
        ErrorKind::Conflict,
        "account.invitation_cannot_be_revoked",
        "only pending invitations can be revoked",
    )
}

/// 409 `account.invitation_already_accepted`.
pub fn invitation_already_accepted() -> DomainError {
    DomainError::new(
        ErrorKind::Conflict,
        "account.invitation_already_accepted",
        "invitation has already been accepted",
    )
}

/// 403 `account.invitation_expired` (revoked or expired invitations).
pub fn invitation_expired() -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "account.invitation_expired",
        "invitation has expired",
    )
}

/// 403 `account.email_mismatch`: the Google account is not the invited address.
pub fn email_mismatch() -> DomainError {
    DomainError::new(
        ErrorKind::Forbidden,
        "account.email_mismatch",
        "the Google account email does not match the invitation",
    )
}

/// 409 `onboarding.email_already_registered` (workspace bootstrap with a taken email).
pub fn email_already_registered() -> DomainError {
    DomainError::new(
        ErrorKind::Conflict,
        "onboarding.email_already_registered",
        "an account with this email already exists",
    )
}

/// 401 `auth.unauthorized`: no bearer token.
pub fn unauthorized() -> DomainError {
    DomainError::new(ErrorKind::Unauthorized, "auth.unauthorized", "unauthorized")
}

/// 401 `auth.invalid_token`: a malformed, forged or expired access token.
pub fn bad_access_token() -> DomainError {
    DomainError::new(
        ErrorKind::Unauthorized,
        "auth.invalid_token",
        "unauthorized",
    )
}
