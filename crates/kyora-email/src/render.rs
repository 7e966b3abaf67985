//! Template rendering: the catalogue of spec 01 §5.3, embedded in the binary.
//!
//! Each template has an HTML file (`templates/<id>.html`, extending `base.html` and using the
//! helpers of `macros.html`) and a plain-text twin (`templates/<id>.txt`, extending `base.txt`)
//! rendered from the same variables; the text twin is the message's plain-text alternative.
//! HTML templates are HTML-escaped (`& < > " '`, leaving `/` alone so links read back verbatim),
//! text templates are not. A missing variable renders as an
//! empty string (minijinja's lenient undefined), and the templates hide the blocks that would
//! make no sense without it (a button without a link, the verification code without a code).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;
use kyora_core::ports::email::{EmailError, EmailTemplate};
use kyora_core::shared::clock::{Clock, SystemClock};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// Every embedded template file, by the name templates refer to it.
const FILES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("base.txt", include_str!("../templates/base.txt")),
    ("macros.html", include_str!("../templates/macros.html")),
    (
        "forgot_password.html",
        include_str!("../templates/forgot_password.html"),
    ),
    (
        "forgot_password.txt",
        include_str!("../templates/forgot_password.txt"),
    ),
    (
        "password_reset_confirmation.html",
        include_str!("../templates/password_reset_confirmation.html"),
    ),
    (
        "password_reset_confirmation.txt",
        include_str!("../templates/password_reset_confirmation.txt"),
    ),
    (
        "email_verification.html",
        include_str!("../templates/email_verification.html"),
    ),
    (
        "email_verification.txt",
        include_str!("../templates/email_verification.txt"),
    ),
    (
        "onboarding_email_otp.html",
        include_str!("../templates/onboarding_email_otp.html"),
    ),
    (
        "onboarding_email_otp.txt",
        include_str!("../templates/onboarding_email_otp.txt"),
    ),
    ("welcome.html", include_str!("../templates/welcome.html")),
    ("welcome.txt", include_str!("../templates/welcome.txt")),
    (
        "login_notification.html",
        include_str!("../templates/login_notification.html"),
    ),
    (
        "login_notification.txt",
        include_str!("../templates/login_notification.txt"),
    ),
    (
        "workspace_invitation.html",
        include_str!("../templates/workspace_invitation.html"),
    ),
    (
        "workspace_invitation.txt",
        include_str!("../templates/workspace_invitation.txt"),
    ),
    (
        "subscription_welcome.html",
        include_str!("../templates/subscription_welcome.html"),
    ),
    (
        "subscription_welcome.txt",
        include_str!("../templates/subscription_welcome.txt"),
    ),
    (
        "payment_failed.html",
        include_str!("../templates/payment_failed.html"),
    ),
    (
        "payment_failed.txt",
        include_str!("../templates/payment_failed.txt"),
    ),
    (
        "subscription_canceled.html",
        include_str!("../templates/subscription_canceled.html"),
    ),
    (
        "subscription_canceled.txt",
        include_str!("../templates/subscription_canceled.txt"),
    ),
    (
        "trial_ending.html",
        include_str!("../templates/trial_ending.html"),
    ),
    (
        "trial_ending.txt",
        include_str!("../templates/trial_ending.txt"),
    ),
    (
        "subscription_confirmed.html",
        include_str!("../templates/subscription_confirmed.html"),
    ),
    (
        "subscription_confirmed.txt",
        include_str!("../templates/subscription_confirmed.txt"),
    ),
    (
        "payment_succeeded.html",
        include_str!("../templates/payment_succeeded.html"),
    ),
    (
        "payment_succeeded.txt",
        include_str!("../templates/payment_succeeded.txt"),
    ),
];

/// The variables every template receives besides its own (`productName`, `supportEmail`,
/// `helpURL`; `currentYear` comes from the clock at render time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommonVariables {
    /// `productName`: `app.name`, else `Kyora`.
    pub product_name: String,
    /// `supportEmail`: `email.support_email`.
    pub support_email: String,
    /// `helpURL`: `email.help_url`.
    pub help_url: String,
}

impl Default for CommonVariables {
    fn default() -> Self {
        Self {
            product_name: crate::DEFAULT_PRODUCT_NAME.to_owned(),
            support_email: "support@kyora.com".to_owned(),
            help_url: "https://help.kyora.com".to_owned(),
        }
    }
}

/// A rendered template: the HTML body and its plain-text alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    /// HTML body.
    pub html: String,
    /// Plain-text body.
    pub text: String,
}

/// Renders the embedded templates with the common variables added.
pub struct TemplateRenderer {
    env: Environment<'static>,
    common: CommonVariables,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for TemplateRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateRenderer")
            .field("common", &self.common)
            .finish_non_exhaustive()
    }
}

impl TemplateRenderer {
    /// Loads every embedded template, with the system clock for `currentYear`.
    ///
    /// # Errors
    /// [`EmailError::Template`] when an embedded template does not parse (a build defect the
    /// crate's tests catch).
    pub fn new(common: CommonVariables) -> Result<Self, EmailError> {
        Self::with_clock(common, Arc::new(SystemClock))
    }

    /// As [`TemplateRenderer::new`], reading `currentYear` from `clock`.
    ///
    /// # Errors
    /// As [`TemplateRenderer::new`].
    pub fn with_clock(common: CommonVariables, clock: Arc<dyn Clock>) -> Result<Self, EmailError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Lenient);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == AutoEscape::Html
                && !value.is_safe()
                && let Some(text) = value.as_str()
            {
                return out
                    .write_str(&escape_html(text))
                    .map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        for (name, source) in FILES {
            env.add_template(name, source).map_err(template_error)?;
        }
        Ok(Self { env, common, clock })
    }

    /// The common variables this renderer adds.
    pub fn common(&self) -> &CommonVariables {
        &self.common
    }

    /// Renders `template`'s HTML and text with `variables` plus the common set. A caller's
    /// variable of the same name as a common one wins, so a message can override it.
    ///
    /// # Errors
    /// [`EmailError::Template`] when rendering fails.
    pub fn render(
        &self,
        template: EmailTemplate,
        variables: &BTreeMap<String, String>,
    ) -> Result<RenderedEmail, EmailError> {
        let mut context: BTreeMap<&str, String> = BTreeMap::new();
        context.insert("productName", self.common.product_name.clone());
        context.insert("supportEmail", self.common.support_email.clone());
        context.insert("helpURL", self.common.help_url.clone());
        context.insert("currentYear", format!("{:04}", self.clock.now().year()));
        for (key, value) in variables {
            context.insert(key.as_str(), value.clone());
        }
        let render = |suffix: &str| -> Result<String, EmailError> {
            let name = format!("{}.{suffix}", template.id());
            let tmpl = self.env.get_template(&name).map_err(template_error)?;
            tmpl.render(&context).map_err(template_error)
        };
        Ok(RenderedEmail {
            html: render("html")?,
            text: tidy_text(&render("txt")?),
        })
    }
}

/// Escapes the characters that are special in HTML text and quoted attributes.
fn escape_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + raw.len() / 8);
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Collapses the blank lines that skipped optional blocks leave behind, and trims the ends.
fn tidy_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0;
    for line in raw.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim();
    let mut text = String::with_capacity(trimmed.len() + 1);
    text.push_str(trimmed);
    text.push('\n');
    text
}

fn template_error(err: minijinja::Error) -> EmailError {
    EmailError::Template(err.to_string())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use kyora_core::testing::ManualClock;

    use super::*;

    fn renderer() -> TemplateRenderer {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2031, 3, 4, 5, 6, 7).unwrap());
        TemplateRenderer::with_clock(
            CommonVariables {
                product_name: "Acme Shop".to_owned(),
                support_email: "help@acme.test".to_owned(),
                help_url: "https://docs.acme.test".to_owned(),
            },
            Arc::new(clock),
        )
        .unwrap()
    }

    /// The variables of spec 01 §5.3, per template.
    fn catalogue_variables(template: EmailTemplate) -> &'static [&'static str] {
        const CONFIRMED: &[&str] = &[
            "userName",
            "planName",
            "amount",
            "paymentDate",
            "invoiceNumber",
            "invoiceURL",
            "nextBillingDate",
            "dashboardURL",
            "billingURL",
        ];
        match template {
            EmailTemplate::ForgotPassword => &["userName", "resetURL", "expiryTime"],
            EmailTemplate::PasswordResetConfirmation => &[
                "userName",
                "loginURL",
                "resetDate",
                "resetTime",
                "resetLocation",
                "resetIP",
            ],
            EmailTemplate::EmailVerification => &["userName", "verifyURL", "expiryTime", "otpCode"],
            EmailTemplate::OnboardingEmailOtp => &["userName", "otpCode", "expiryTime"],
            EmailTemplate::Welcome => &["userName", "dashboardURL", "guideURL"],
            EmailTemplate::LoginNotification => &[
                "userName",
                "loginDate",
                "loginTime",
                "loginLocation",
                "loginIP",
                "deviceInfo",
                "resetURL",
                "email",
            ],
            EmailTemplate::WorkspaceInvitation => &[
                "workspaceName",
                "inviterName",
                "inviterEmail",
                "role",
                "acceptURL",
                "expiryTime",
            ],
            EmailTemplate::SubscriptionWelcome => &[
                "userName",
                "planName",
                "amount",
                "billingCycle",
                "nextBillingDate",
                "lastFour",
                "dashboardURL",
                "billingURL",
            ],
            EmailTemplate::PaymentFailed => &[
                "userName",
                "amount",
                "planName",
                "lastFour",
                "attemptDate",
                "nextAttemptDate",
                "gracePeriod",
                "updatePaymentURL",
                "retryPaymentURL",
            ],
            EmailTemplate::SubscriptionCanceled => &[
                "userName",
                "planName",
                "cancelDate",
                "accessUntilDate",
                "refundAmount",
                "reactivateURL",
                "dashboardURL",
                "feedbackURL",
            ],
            EmailTemplate::TrialEnding => &[
                "userName",
                "planName",
                "trialPeriod",
                "daysRemaining",
                "trialEndDate",
                "trialStartDate",
                "featuresUsed",
                "projectsCreated",
                "monthlyPrice",
                "subscribeURL",
                "plansURL",
            ],
            EmailTemplate::SubscriptionConfirmed | EmailTemplate::PaymentSucceeded => CONFIRMED,
        }
    }

    /// A distinctive value per variable, free of characters HTML escaping would change.
    fn sample(name: &str) -> String {
        format!("val{name}Q7")
    }

    fn variables(names: &[&str]) -> BTreeMap<String, String> {
        names.iter().map(|n| ((*n).to_owned(), sample(n))).collect()
    }

    #[test]
    fn every_template_shows_each_of_its_variables_in_html_and_text() {
        let renderer = renderer();
        for template in EmailTemplate::ALL {
            let names = catalogue_variables(template);
            let rendered = renderer.render(template, &variables(names)).unwrap();
            for name in names {
                let value = sample(name);
                assert!(
                    rendered.html.contains(&value),
                    "{}.html lacks {name}",
                    template.id()
                );
                assert!(
                    rendered.text.contains(&value),
                    "{}.txt lacks {name}",
                    template.id()
                );
            }
        }
    }

    #[test]
    fn every_template_shows_the_common_variables() {
        let renderer = renderer();
        for template in EmailTemplate::ALL {
            let rendered = renderer.render(template, &BTreeMap::new()).unwrap();
            for body in [&rendered.html, &rendered.text] {
                assert!(body.contains("Acme Shop"), "{}", template.id());
                assert!(body.contains("help@acme.test"), "{}", template.id());
                assert!(body.contains("https://docs.acme.test"), "{}", template.id());
                assert!(body.contains("2031"), "{}", template.id());
            }
        }
    }

    #[test]
    fn missing_variables_render_empty_without_error() {
        let renderer = renderer();
        for template in EmailTemplate::ALL {
            let rendered = renderer.render(template, &BTreeMap::new()).unwrap();
            for body in [&rendered.html, &rendered.text] {
                assert!(!body.contains("{{"), "{}", template.id());
                assert!(!body.contains("{%"), "{}", template.id());
                assert!(!body.contains("undefined"), "{}", template.id());
                assert!(!body.contains("none"), "{}", template.id());
                assert!(!body.contains("href=\"\""), "{}", template.id());
            }
        }
        let forgot = renderer
            .render(EmailTemplate::ForgotPassword, &BTreeMap::new())
            .unwrap();
        assert!(forgot.text.contains("Hi,\n"));
        assert!(forgot.text.contains("This link expires in ."));
    }

    #[test]
    fn the_verification_code_block_appears_only_with_an_otp_code() {
        let renderer = renderer();
        let without = renderer
            .render(
                EmailTemplate::EmailVerification,
                &variables(&["userName", "verifyURL", "expiryTime"]),
            )
            .unwrap();
        assert!(!without.html.contains("data-block=\"otp\""));
        assert!(!without.html.contains("verification code"));
        assert!(!without.text.contains("verification code"));

        let with = renderer
            .render(
                EmailTemplate::EmailVerification,
                &variables(&["userName", "verifyURL", "expiryTime", "otpCode"]),
            )
            .unwrap();
        assert!(with.html.contains("data-block=\"otp\""));
        assert!(with.text.contains("verification code: valotpCodeQ7"));

        let empty_code = renderer
            .render(
                EmailTemplate::EmailVerification,
                &BTreeMap::from([("otpCode".to_owned(), String::new())]),
            )
            .unwrap();
        assert!(!empty_code.html.contains("data-block=\"otp\""));
    }

    #[test]
    fn html_output_escapes_values_and_text_output_keeps_them() {
        let renderer = renderer();
        let vars = BTreeMap::from([
            (
                "userName".to_owned(),
                "<script>alert('x')</script>".to_owned(),
            ),
            (
                "resetURL".to_owned(),
                "https://app.test/reset-password?token=a&b=\"c\"".to_owned(),
            ),
        ]);
        let rendered = renderer
            .render(EmailTemplate::ForgotPassword, &vars)
            .unwrap();
        assert!(!rendered.html.contains("<script>"));
        assert!(
            rendered
                .html
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        );
        assert!(
            rendered
                .html
                .contains("href=\"https://app.test/reset-password?token=a&amp;b=&quot;c&quot;\"")
        );
        assert!(rendered.text.contains("Hi <script>alert('x')</script>,"));
        assert!(
            rendered
                .text
                .contains("https://app.test/reset-password?token=a&b=\"c\"")
        );
    }

    #[test]
    fn a_caller_variable_overrides_a_common_one() {
        let renderer = renderer();
        let vars = BTreeMap::from([("productName".to_owned(), "Other Brand".to_owned())]);
        let rendered = renderer.render(EmailTemplate::Welcome, &vars).unwrap();
        assert!(rendered.html.contains("Welcome to Other Brand!"));
        assert!(!rendered.html.contains("Acme Shop"));
    }

    #[test]
    fn the_text_alternative_has_no_markup_and_no_runs_of_blank_lines() {
        let renderer = renderer();
        for template in EmailTemplate::ALL {
            let names = catalogue_variables(template);
            let rendered = renderer.render(template, &variables(names)).unwrap();
            assert!(!rendered.text.contains('<'), "{}", template.id());
            assert!(!rendered.text.contains("\n\n\n"), "{}", template.id());
            assert!(
                rendered.text.starts_with("Acme Shop\n"),
                "{}",
                template.id()
            );
        }
    }

    #[test]
    fn the_html_title_is_the_default_subject() {
        let renderer = renderer();
        for template in EmailTemplate::ALL {
            let rendered = renderer.render(template, &BTreeMap::new()).unwrap();
            let subject = template.default_subject().replace("Kyora", "Acme Shop");
            assert!(
                rendered.html.contains(&format!("<title>{subject}</title>")),
                "{}",
                template.id()
            );
        }
    }
}
