//! [`TemplatedSender`]: the [`EmailSender`] the application holds. It renders templates, fills
//! in the configured sender, validates the message once, and hands it to a [`Transport`].

use std::sync::Arc;

use async_trait::async_trait;
use kyora_core::ports::email::{EmailError, EmailMessage, EmailSender, TemplateEmail};

use crate::render::TemplateRenderer;
use crate::transport::{Transport, validate_message};

/// Renders and sends email through one transport, as one configured sender.
pub struct TemplatedSender {
    transport: Arc<dyn Transport>,
    renderer: TemplateRenderer,
    from: String,
}

impl std::fmt::Debug for TemplatedSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplatedSender")
            .field("from", &self.from)
            .field("renderer", &self.renderer)
            .finish_non_exhaustive()
    }
}

impl TemplatedSender {
    /// A sender using `transport`, rendering with `renderer`, and sending as `from` (a `From`
    /// header value such as [`crate::sender_header`] builds) whenever a message names no sender.
    pub fn new(transport: Arc<dyn Transport>, renderer: TemplateRenderer, from: String) -> Self {
        Self {
            transport,
            renderer,
            from,
        }
    }

    /// The configured `From` header value.
    pub fn from_header(&self) -> &str {
        &self.from
    }

    /// The renderer, for previews.
    pub fn renderer(&self) -> &TemplateRenderer {
        &self.renderer
    }
}

#[async_trait]
impl EmailSender for TemplatedSender {
    /// Sends `message`, as the configured sender when its `from` is absent or blank.
    async fn send(&self, mut message: EmailMessage) -> Result<(), EmailError> {
        if message
            .from
            .as_deref()
            .is_none_or(|from| from.trim().is_empty())
        {
            message.from = Some(self.from.clone());
        }
        validate_message(&message)?;
        self.transport.deliver(&message).await
    }

    /// Renders the template (HTML and its text twin) and sends it; a missing or blank subject
    /// becomes the template's default subject.
    async fn send_template(&self, email: TemplateEmail) -> Result<(), EmailError> {
        let rendered = self.renderer.render(email.template, &email.variables)?;
        let subject = email
            .subject
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| email.template.default_subject().to_owned());
        self.send(EmailMessage {
            from: Some(self.from.clone()),
            to: email.to,
            subject,
            html: rendered.html,
            text: rendered.text,
            ..EmailMessage::default()
        })
        .await
    }
}
