use std::sync::Mutex;

use async_trait::async_trait;

use crate::ports::email::{EmailError, EmailMessage, EmailSender, TemplateEmail};

/// An [`EmailSender`] that records what it was asked to send.
#[derive(Debug, Default)]
pub struct RecordingEmailSender {
    messages: Mutex<Vec<EmailMessage>>,
    templates: Mutex<Vec<TemplateEmail>>,
}

impl RecordingEmailSender {
    /// The plain messages sent so far.
    pub fn messages(&self) -> Vec<EmailMessage> {
        self.messages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The template emails sent so far.
    pub fn templates(&self) -> Vec<TemplateEmail> {
        self.templates
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

#[async_trait]
impl EmailSender for RecordingEmailSender {
    async fn send(&self, message: EmailMessage) -> Result<(), EmailError> {
        self.messages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(message);
        Ok(())
    }

    async fn send_template(&self, email: TemplateEmail) -> Result<(), EmailError> {
        self.templates
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(email);
        Ok(())
    }
}
