//! The email port: plain messages and the template catalogue of spec 01 §5.3.

use std::collections::BTreeMap;

use async_trait::async_trait;

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name shown to the recipient.
    pub filename: String,
    /// Raw content.
    pub content: Vec<u8>,
    /// MIME type, e.g. `application/pdf`.
    pub content_type: String,
}

/// A fully rendered message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmailMessage {
    /// Sender; the configured sender when `None`.
    pub from: Option<String>,
    /// Recipients (at least one).
    pub to: Vec<String>,
    /// Carbon-copy recipients.
    pub cc: Vec<String>,
    /// Blind carbon-copy recipients.
    pub bcc: Vec<String>,
    /// Reply-to address.
    pub reply_to: Option<String>,
    /// Subject line.
    pub subject: String,
    /// HTML body.
    pub html: String,
    /// Plain-text body.
    pub text: String,
    /// Extra headers.
    pub headers: BTreeMap<String, String>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
}

/// The templates every deployment ships (spec 01 §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailTemplate {
    ForgotPassword,
    PasswordResetConfirmation,
    EmailVerification,
    OnboardingEmailOtp,
    Welcome,
    LoginNotification,
    WorkspaceInvitation,
    SubscriptionWelcome,
    PaymentFailed,
    SubscriptionCanceled,
    TrialEnding,
    SubscriptionConfirmed,
    PaymentSucceeded,
}

impl EmailTemplate {
    /// Every template.
    pub const ALL: [Self; 13] = [
        Self::ForgotPassword,
        Self::PasswordResetConfirmation,
        Self::EmailVerification,
        Self::OnboardingEmailOtp,
        Self::Welcome,
        Self::LoginNotification,
        Self::WorkspaceInvitation,
        Self::SubscriptionWelcome,
        Self::PaymentFailed,
        Self::SubscriptionCanceled,
        Self::TrialEnding,
        Self::SubscriptionConfirmed,
        Self::PaymentSucceeded,
    ];

    /// The template id.
    pub const fn id(self) -> &'static str {
        match self {
            Self::ForgotPassword => "forgot_password",
            Self::PasswordResetConfirmation => "password_reset_confirmation",
            Self::EmailVerification => "email_verification",
            Self::OnboardingEmailOtp => "onboarding_email_otp",
            Self::Welcome => "welcome",
            Self::LoginNotification => "login_notification",
            Self::WorkspaceInvitation => "workspace_invitation",
            Self::SubscriptionWelcome => "subscription_welcome",
            Self::PaymentFailed => "payment_failed",
            Self::SubscriptionCanceled => "subscription_canceled",
            Self::TrialEnding => "trial_ending",
            Self::SubscriptionConfirmed => "subscription_confirmed",
            Self::PaymentSucceeded => "payment_succeeded",
        }
    }

    /// The subject used when the sender gives none.
    pub const fn default_subject(self) -> &'static str {
        match self {
            Self::ForgotPassword => "Reset your password",
            Self::PasswordResetConfirmation => "Password successfully reset",
            Self::EmailVerification => "Verify your email address",
            Self::OnboardingEmailOtp => "Your verification code",
            Self::Welcome => "Welcome to Kyora!",
            Self::LoginNotification => "New login to your account",
            Self::WorkspaceInvitation => "You've been invited to join a workspace",
            Self::SubscriptionWelcome => "Welcome to your subscription!",
            Self::PaymentFailed => "Payment Failed - Action Required",
            Self::SubscriptionCanceled => "Subscription canceled - We're sorry to see you go",
            Self::TrialEnding => "Your trial is ending soon",
            Self::SubscriptionConfirmed => "Subscription confirmed - You're all set!",
            Self::PaymentSucceeded => "Payment received - Thank you!",
        }
    }
}

/// A request to render and send a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateEmail {
    /// Which template.
    pub template: EmailTemplate,
    /// Recipients.
    pub to: Vec<String>,
    /// Subject; the template's default when `None`.
    pub subject: Option<String>,
    /// Template variables; missing ones render empty. The common set (`productName`,
    /// `supportEmail`, `helpURL`, `currentYear`) is added by the sender.
    pub variables: BTreeMap<String, String>,
}

/// Email failures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// The message is invalid (bad address, no recipient).
    #[error("invalid email: {0}")]
    Invalid(String),
    /// The template could not be rendered.
    #[error("template error: {0}")]
    Template(String),
    /// The provider refused the message or could not be reached.
    #[error("email delivery failed: {0}")]
    Delivery(String),
}

/// Sends email.
#[async_trait]
pub trait EmailSender: Send + Sync {
    /// Sends a rendered message.
    ///
    /// # Errors
    /// [`EmailError::Invalid`] for a malformed message, [`EmailError::Delivery`] when the provider
    /// fails.
    async fn send(&self, message: EmailMessage) -> Result<(), EmailError>;

    /// Renders `email.template` with its variables (plus the common set) and sends it.
    ///
    /// # Errors
    /// [`EmailError::Template`] when rendering fails, otherwise as [`EmailSender::send`].
    async fn send_template(&self, email: TemplateEmail) -> Result<(), EmailError>;
}
