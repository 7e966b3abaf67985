//! The transport seam: how a finished message leaves the process, and the checks every
//! message passes before any transport sees it.

use async_trait::async_trait;
use kyora_core::ports::email::{EmailError, EmailMessage};
use lettre::message::Mailbox;

/// Delivers a finished message. The [`crate::TemplatedSender`] has already validated it and set
/// `from`.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Hands `message` to the provider.
    ///
    /// # Errors
    /// [`EmailError::Invalid`] when the provider's format rejects the message,
    /// [`EmailError::Delivery`] when the provider refuses it or cannot be reached.
    async fn deliver(&self, message: &EmailMessage) -> Result<(), EmailError>;
}

/// Headers the message fields already set; an extra header of the same name is refused rather
/// than sent twice.
const RESERVED_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "subject",
    "date",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

/// The `From` header value: `Name <address>`, or just the address when the name is blank.
/// A name with characters that are special in an address header is quoted.
pub fn sender_header(from_name: &str, from_email: &str) -> String {
    let name = from_name.trim();
    let email = from_email.trim();
    if name.is_empty() {
        return email.to_owned();
    }
    let needs_quotes = name.chars().any(|c| {
        matches!(
            c,
            '(' | ')' | '<' | '>' | '[' | ']' | ':' | ';' | '@' | '\\' | ',' | '.' | '"'
        )
    });
    if needs_quotes {
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\" <{email}>")
    } else {
        format!("{name} <{email}>")
    }
}

/// The bare address of `Name <address>` or `address`, for comparisons.
pub(crate) fn bare_address(value: &str) -> &str {
    let value = value.trim();
    match (value.rfind('<'), value.rfind('>')) {
        (Some(start), Some(end)) if start < end => value[start + 1..end].trim(),
        _ => value,
    }
}

/// Parses one address field (`addr` or `Name <addr>`).
pub(crate) fn parse_mailbox(field: &str, value: &str) -> Result<Mailbox, EmailError> {
    value.trim().parse::<Mailbox>().map_err(|err| {
        EmailError::Invalid(format!("{field} {value:?} is not a valid address: {err}"))
    })
}

/// Checks what every provider needs: a sender, at least one recipient, well-formed addresses,
/// a single-line subject and extra headers that neither clash with the managed ones nor break
/// the header block.
pub(crate) fn validate_message(message: &EmailMessage) -> Result<(), EmailError> {
    match &message.from {
        Some(from) => {
            parse_mailbox("from", from)?;
        }
        None => return Err(EmailError::Invalid("the message has no sender".to_owned())),
    }
    if message.to.is_empty() {
        return Err(EmailError::Invalid(
            "the message has no recipient".to_owned(),
        ));
    }
    for (field, list) in [
        ("to", &message.to),
        ("cc", &message.cc),
        ("bcc", &message.bcc),
    ] {
        for address in list {
            parse_mailbox(field, address)?;
        }
    }
    if let Some(reply_to) = &message.reply_to {
        parse_mailbox("reply_to", reply_to)?;
    }
    if message.subject.contains(['\r', '\n']) {
        return Err(EmailError::Invalid(
            "the subject must be a single line".to_owned(),
        ));
    }
    for (name, value) in &message.headers {
        let valid_name = !name.is_empty()
            && name.len() <= 76
            && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !valid_name {
            return Err(EmailError::Invalid(format!(
                "{name:?} is not a valid header name"
            )));
        }
        if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(EmailError::Invalid(format!(
                "header {name:?} is set from the message fields"
            )));
        }
        if value.contains(['\r', '\n']) {
            return Err(EmailError::Invalid(format!(
                "header {name:?} must be a single line"
            )));
        }
    }
    for attachment in &message.attachments {
        if attachment.filename.trim().is_empty() {
            return Err(EmailError::Invalid(
                "an attachment has no file name".to_owned(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use kyora_core::ports::email::Attachment;

    use super::*;

    fn valid() -> EmailMessage {
        EmailMessage {
            from: Some("Kyora <no-reply@kyora.com>".to_owned()),
            to: vec!["ada@example.com".to_owned()],
            subject: "Hi".to_owned(),
            ..EmailMessage::default()
        }
    }

    #[test]
    fn the_sender_header_puts_the_name_before_the_address() {
        assert_eq!(
            sender_header("Kyora", "no-reply@kyora.com"),
            "Kyora <no-reply@kyora.com>"
        );
        assert_eq!(
            sender_header(" Acme Shop ", " shop@acme.test "),
            "Acme Shop <shop@acme.test>"
        );
    }

    #[test]
    fn the_sender_header_is_the_bare_address_without_a_name() {
        assert_eq!(
            sender_header("", "no-reply@kyora.com"),
            "no-reply@kyora.com"
        );
        assert_eq!(
            sender_header("   ", "no-reply@kyora.com"),
            "no-reply@kyora.com"
        );
    }

    #[test]
    fn a_sender_name_with_special_characters_is_quoted() {
        let header = sender_header("Acme, Inc. \"Best\"", "a@acme.test");
        assert_eq!(header, "\"Acme, Inc. \\\"Best\\\"\" <a@acme.test>");
        let parsed = header.parse::<Mailbox>().unwrap();
        assert_eq!(parsed.name.as_deref(), Some("Acme, Inc. \"Best\""));
        assert_eq!(parsed.email.to_string(), "a@acme.test");
    }

    #[test]
    fn bare_address_strips_the_display_name() {
        assert_eq!(bare_address("Ada <ada@x.test>"), "ada@x.test");
        assert_eq!(bare_address(" ada@x.test "), "ada@x.test");
    }

    #[test]
    fn a_well_formed_message_passes() {
        let mut message = valid();
        message.cc = vec!["Bob <bob@example.com>".to_owned()];
        message
            .headers
            .insert("X-Entity-Ref-ID".to_owned(), "abc".to_owned());
        assert_eq!(validate_message(&message), Ok(()));
    }

    #[test]
    fn a_message_without_recipient_or_sender_is_invalid() {
        let mut message = valid();
        message.to.clear();
        assert!(
            matches!(validate_message(&message), Err(EmailError::Invalid(m)) if m.contains("no recipient"))
        );
        let mut message = valid();
        message.from = None;
        assert!(matches!(
            validate_message(&message),
            Err(EmailError::Invalid(_))
        ));
    }

    #[test]
    fn malformed_addresses_are_invalid_and_named() {
        for mutate in [
            |m: &mut EmailMessage| m.to.push("not an address".to_owned()),
            |m: &mut EmailMessage| m.cc.push("@nope".to_owned()),
            |m: &mut EmailMessage| m.bcc.push("x@".to_owned()),
            |m: &mut EmailMessage| m.reply_to = Some("reply".to_owned()),
        ] {
            let mut message = valid();
            mutate(&mut message);
            assert!(matches!(
                validate_message(&message),
                Err(EmailError::Invalid(_))
            ));
        }
    }

    #[test]
    fn header_injection_and_clashing_headers_are_refused() {
        let mut message = valid();
        message.subject = "Hi\r\nBcc: evil@x.test".to_owned();
        assert!(validate_message(&message).is_err());

        let mut message = valid();
        message
            .headers
            .insert("Subject".to_owned(), "again".to_owned());
        assert!(validate_message(&message).is_err());

        let mut message = valid();
        message.headers.insert("X-Ok".to_owned(), "a\nb".to_owned());
        assert!(validate_message(&message).is_err());

        let mut message = valid();
        message
            .headers
            .insert("Bad Name".to_owned(), "v".to_owned());
        assert!(validate_message(&message).is_err());
    }

    #[test]
    fn an_attachment_needs_a_file_name() {
        let mut message = valid();
        message.attachments.push(Attachment {
            filename: " ".to_owned(),
            content: vec![1],
            content_type: "text/plain".to_owned(),
        });
        assert!(validate_message(&message).is_err());
    }
}
