//! The mock transport: logs a readable dump of each message and keeps the last ones in memory,
//! where tests (and developers) read them back through a [`MockOutbox`]. It always succeeds.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use kyora_core::ports::email::{EmailError, EmailMessage};

use crate::transport::{Transport, bare_address};

/// How many messages the outbox keeps; older ones are dropped first.
pub const MOCK_OUTBOX_CAPACITY: usize = 100;

/// A shared view of the messages the mock transport accepted, oldest first.
#[derive(Debug, Clone, Default)]
pub struct MockOutbox {
    messages: Arc<Mutex<VecDeque<EmailMessage>>>,
}

impl MockOutbox {
    /// An empty outbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every kept message, oldest first.
    pub fn messages(&self) -> Vec<EmailMessage> {
        self.lock().iter().cloned().collect()
    }

    /// The most recent message with `address` among its `to` recipients, compared on the bare
    /// address (so `Ada <ada@example.com>` matches `ada@example.com`).
    pub fn last_to(&self, address: &str) -> Option<EmailMessage> {
        let wanted = bare_address(address);
        self.lock()
            .iter()
            .rev()
            .find(|m| m.to.iter().any(|to| bare_address(to) == wanted))
            .cloned()
    }

    /// How many messages are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no message is kept.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Forgets every kept message.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn push(&self, message: EmailMessage) {
        let mut messages = self.lock();
        while messages.len() >= MOCK_OUTBOX_CAPACITY {
            messages.pop_front();
        }
        messages.push_back(message);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<EmailMessage>> {
        self.messages.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Logs messages and keeps them in a [`MockOutbox`].
#[derive(Debug, Clone, Default)]
pub struct MockTransport {
    outbox: MockOutbox,
}

impl MockTransport {
    /// A transport with a fresh outbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// A transport writing into `outbox`.
    pub fn with_outbox(outbox: MockOutbox) -> Self {
        Self { outbox }
    }

    /// The outbox this transport writes into.
    pub fn outbox(&self) -> MockOutbox {
        self.outbox.clone()
    }
}

#[async_trait]
impl Transport for MockTransport {
    async fn deliver(&self, message: &EmailMessage) -> Result<(), EmailError> {
        tracing::info!(
            provider = "mock",
            to = %message.to.join(", "),
            subject = %message.subject,
            "email (mock provider, not sent)\n{}",
            dump(message)
        );
        self.outbox.push(message.clone());
        Ok(())
    }
}

/// A readable dump of a message: headers, the text body and the attachment names.
fn dump(message: &EmailMessage) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "From: {}", message.from.as_deref().unwrap_or(""));
    let _ = writeln!(out, "To: {}", message.to.join(", "));
    if !message.cc.is_empty() {
        let _ = writeln!(out, "Cc: {}", message.cc.join(", "));
    }
    if !message.bcc.is_empty() {
        let _ = writeln!(out, "Bcc: {}", message.bcc.join(", "));
    }
    if let Some(reply_to) = &message.reply_to {
        let _ = writeln!(out, "Reply-To: {reply_to}");
    }
    let _ = writeln!(out, "Subject: {}", message.subject);
    for (name, value) in &message.headers {
        let _ = writeln!(out, "{name}: {value}");
    }
    for attachment in &message.attachments {
        let _ = writeln!(
            out,
            "Attachment: {} ({}, {} bytes)",
            attachment.filename,
            attachment.content_type,
            attachment.content.len()
        );
    }
    out.push('\n');
    if message.text.is_empty() {
        let _ = write!(out, "[html only, {} bytes]", message.html.len());
    } else {
        out.push_str(&message.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use kyora_core::ports::email::Attachment;

    use super::*;

    fn message(to: &str, subject: &str) -> EmailMessage {
        EmailMessage {
            from: Some("Kyora <no-reply@kyora.com>".to_owned()),
            to: vec![to.to_owned()],
            subject: subject.to_owned(),
            text: format!("body of {subject}"),
            ..EmailMessage::default()
        }
    }

    #[tokio::test]
    async fn delivered_messages_are_kept_oldest_first() {
        let transport = MockTransport::new();
        let outbox = transport.outbox();
        transport
            .deliver(&message("a@x.test", "one"))
            .await
            .unwrap();
        transport
            .deliver(&message("b@x.test", "two"))
            .await
            .unwrap();
        let subjects: Vec<_> = outbox.messages().into_iter().map(|m| m.subject).collect();
        assert_eq!(subjects, ["one", "two"]);
        assert_eq!(outbox.len(), 2);
    }

    #[tokio::test]
    async fn the_outbox_keeps_only_the_last_hundred_messages() {
        let transport = MockTransport::new();
        for i in 0..(MOCK_OUTBOX_CAPACITY + 5) {
            transport
                .deliver(&message("a@x.test", &format!("m{i}")))
                .await
                .unwrap();
        }
        let messages = transport.outbox().messages();
        assert_eq!(messages.len(), MOCK_OUTBOX_CAPACITY);
        assert_eq!(messages[0].subject, "m5");
        assert_eq!(
            messages[MOCK_OUTBOX_CAPACITY - 1].subject,
            format!("m{}", MOCK_OUTBOX_CAPACITY + 4)
        );
    }

    #[tokio::test]
    async fn last_to_finds_the_newest_message_for_an_address() {
        let transport = MockTransport::new();
        let outbox = transport.outbox();
        transport
            .deliver(&message("ada@x.test", "first"))
            .await
            .unwrap();
        transport
            .deliver(&message("bob@x.test", "other"))
            .await
            .unwrap();
        transport
            .deliver(&message("Ada L <ada@x.test>", "second"))
            .await
            .unwrap();
        assert_eq!(outbox.last_to("ada@x.test").unwrap().subject, "second");
        assert_eq!(outbox.last_to("bob@x.test").unwrap().subject, "other");
        assert!(outbox.last_to("nobody@x.test").is_none());
        outbox.clear();
        assert!(outbox.is_empty());
    }

    #[test]
    fn the_dump_shows_headers_text_and_attachments() {
        let mut msg = message("ada@x.test", "Hello");
        msg.cc = vec!["cc@x.test".to_owned()];
        msg.reply_to = Some("reply@x.test".to_owned());
        msg.headers.insert("X-Tag".to_owned(), "t1".to_owned());
        msg.attachments.push(Attachment {
            filename: "invoice.pdf".to_owned(),
            content: vec![1, 2, 3],
            content_type: "application/pdf".to_owned(),
        });
        let text = dump(&msg);
        assert!(text.contains("To: ada@x.test\n"));
        assert!(text.contains("Cc: cc@x.test\n"));
        assert!(text.contains("Reply-To: reply@x.test\n"));
        assert!(text.contains("Subject: Hello\n"));
        assert!(text.contains("X-Tag: t1\n"));
        assert!(text.contains("Attachment: invoice.pdf (application/pdf, 3 bytes)"));
        assert!(text.ends_with("body of Hello"));
    }
}
