//! Workspaces, users, sessions and invitations (spec 01 §2).

use chrono::{DateTime, Utc};

use crate::shared::actor::{Actor, Role};

/// A tenant. Has no name; its owner is the admin who created it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: String,
    pub owner_id: String,
    pub stripe_customer_id: Option<String>,
    pub stripe_payment_method_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A member of exactly one workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub workspace_id: String,
    /// The stored role; any value other than `user`/`admin` fails every permission check.
    pub role: String,
    pub first_name: String,
    pub last_name: String,
    /// Stored exactly as supplied; lookups are exact.
    pub email: String,
    /// argon2id (or legacy bcrypt) hash; empty for users created through Google.
    pub password_hash: String,
    pub is_email_verified: bool,
    /// Copied into access tokens; bumping it invalidates every token issued before.
    pub auth_version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// The user as the actor of a request.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id.clone(),
            workspace_id: self.workspace_id.clone(),
            role: Role::parse(&self.role),
        }
    }

    /// `"First Last"`, whichever is set, else the email's local part (spec 01 §4.6).
    pub fn display_name(&self) -> String {
        display_name(&self.first_name, &self.last_name, &self.email)
    }
}

/// `"First Last"` if both are set, else whichever is set, else the email's local part.
pub fn display_name(first: &str, last: &str, email: &str) -> String {
    match (first.trim(), last.trim()) {
        ("", "") => email.split('@').next().unwrap_or(email).to_owned(),
        (first, "") => first.to_owned(),
        ("", last) => last.to_owned(),
        (first, last) => format!("{first} {last}"),
    }
}

/// A refresh-token session; only the token's SHA-256 is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub user_id: String,
    pub workspace_id: String,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub created_ip: String,
    pub user_agent: String,
    pub created_at: DateTime<Utc>,
}

/// Where an invitation stands (spec 01 §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Expired,
    Revoked,
}

impl InvitationStatus {
    /// The stored form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }

    /// Parses the stored form.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted),
            "expired" => Some(Self::Expired),
            "revoked" => Some(Self::Revoked),
            _ => None,
        }
    }
}

/// An invitation to join a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub role: Role,
    pub inviter_id: String,
    pub status: InvitationStatus,
    pub accepted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Invitation {
    /// Checks that the invitation can still be accepted.
    ///
    /// # Errors
    /// 409 `account.invitation_already_accepted`, or 403 `account.invitation_expired` for revoked
    /// and expired invitations.
    pub fn ensure_acceptable(&self) -> Result<(), crate::DomainError> {
        match self.status {
            InvitationStatus::Pending => Ok(()),
            InvitationStatus::Accepted => Err(super::error::invitation_already_accepted()),
            InvitationStatus::Revoked | InvitationStatus::Expired => {
                Err(super::error::invitation_expired())
            }
        }
    }

    /// Pending → accepted at `now`.
    ///
    /// # Errors
    /// As [`Invitation::ensure_acceptable`].
    pub fn accept(&mut self, now: DateTime<Utc>) -> Result<(), crate::DomainError> {
        self.ensure_acceptable()?;
        self.status = InvitationStatus::Accepted;
        self.accepted_at = Some(now);
        self.updated_at = now;
        Ok(())
    }

    /// Pending → revoked.
    ///
    /// # Errors
    /// 409 `account.invitation_cannot_be_revoked` from any other status.
    pub fn revoke(&mut self, now: DateTime<Utc>) -> Result<(), crate::DomainError> {
        match self.status {
            InvitationStatus::Pending => {
                self.status = InvitationStatus::Revoked;
                self.updated_at = now;
                Ok(())
            }
            InvitationStatus::Accepted | InvitationStatus::Expired | InvitationStatus::Revoked => {
                Err(super::error::invitation_cannot_be_revoked())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation(status: InvitationStatus) -> Invitation {
        let now = Utc::now();
        Invitation {
            id: "inv1".into(),
            workspace_id: "wrk1".into(),
            email: "a@b.co".into(),
            role: Role::User,
            inviter_id: "usr1".into(),
            status,
            accepted_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn only_pending_invitations_are_accepted_and_acceptance_is_stamped() {
        let now = Utc::now();
        let mut pending = invitation(InvitationStatus::Pending);
        pending.accept(now).unwrap();
        assert_eq!(pending.status, InvitationStatus::Accepted);
        assert_eq!(pending.accepted_at, Some(now));
        let cases = [
            (
                InvitationStatus::Accepted,
                "account.invitation_already_accepted",
            ),
            (InvitationStatus::Revoked, "account.invitation_expired"),
            (InvitationStatus::Expired, "account.invitation_expired"),
        ];
        for (status, code) in cases {
            assert_eq!(invitation(status).accept(now).unwrap_err().code, code);
        }
    }

    #[test]
    fn only_pending_invitations_are_revoked() {
        let now = Utc::now();
        let mut pending = invitation(InvitationStatus::Pending);
        pending.revoke(now).unwrap();
        assert_eq!(pending.status, InvitationStatus::Revoked);
        for status in [
            InvitationStatus::Accepted,
            InvitationStatus::Revoked,
            InvitationStatus::Expired,
        ] {
            assert_eq!(
                invitation(status).revoke(now).unwrap_err().code,
                "account.invitation_cannot_be_revoked"
            );
        }
    }

    #[test]
    fn display_names_fall_back_to_the_email_local_part() {
        assert_eq!(display_name("Ada", "Lovelace", "a@x.io"), "Ada Lovelace");
        assert_eq!(display_name("Ada", "", "a@x.io"), "Ada");
        assert_eq!(display_name("", "Lovelace", "a@x.io"), "Lovelace");
        assert_eq!(display_name(" ", "", "ada@x.io"), "ada");
    }
}
