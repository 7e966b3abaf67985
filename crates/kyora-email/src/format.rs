//! Pure helpers that turn account data into the words emails show (spec 01 §4.6).
//!
//! They reproduce the current server's rules exactly, including their quirks: the operating
//! system is the first match in a fixed order, so an Android user agent (which also says
//! "Linux") reads as Linux and an iPhone one (which says "like Mac OS X") reads as macOS, and
//! Chromium-based Edge (which says "Edg/", not "Edge") reads as Chrome.

use std::net::IpAddr;

/// The name an email greets a person by: `"First Last"` when both are set, else whichever is set,
/// else the local part of the email address. Names are trimmed; blank counts as unset.
pub fn display_name(first_name: &str, last_name: &str, email: &str) -> String {
    match (first_name.trim(), last_name.trim()) {
        ("", "") => email
            .trim()
            .split_once('@')
            .map_or(email.trim(), |(local, _)| local)
            .to_owned(),
        (first, "") => first.to_owned(),
        ("", last) => last.to_owned(),
        (first, last) => format!("{first} {last}"),
    }
}

/// `"<Browser> on <OS>"` from a User-Agent header, or `Unknown device` when it is empty.
pub fn device_from_user_agent(user_agent: &str) -> String {
    let ua = user_agent.trim().to_lowercase();
    if ua.is_empty() {
        return "Unknown device".to_owned();
    }
    let os = if ua.contains("windows") {
        "Windows"
    } else if ua.contains("macintosh") || ua.contains("mac os") {
        "macOS"
    } else if ua.contains("linux") {
        "Linux"
    } else if ua.contains("android") {
        "Android"
    } else if ua.contains("iphone") || ua.contains("ipad") {
        "iOS"
    } else {
        "Unknown OS"
    };
    let browser = if ua.contains("chrome") && !ua.contains("edge") {
        "Chrome"
    } else if ua.contains("firefox") {
        "Firefox"
    } else if ua.contains("safari") && !ua.contains("chrome") {
        "Safari"
    } else if ua.contains("edge") {
        "Edge"
    } else if ua.contains("opera") {
        "Opera"
    } else {
        "Unknown browser"
    };
    format!("{browser} on {os}")
}

/// Where a login came from, as far as the address tells: `Unknown location` for an empty or
/// unparsable address, `Local network` for loopback and the IPv4 private ranges (10/8,
/// 172.16/12, 192.168/16), otherwise `IP: <ip>`.
pub fn location_from_ip(ip: &str) -> String {
    let Ok(addr) = ip.trim().parse::<IpAddr>() else {
        return "Unknown location".to_owned();
    };
    let local = match addr {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
        IpAddr::V6(v6) => v6.is_loopback(),
    };
    if local {
        "Local network".to_owned()
    } else {
        format!("IP: {addr}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_joins_first_and_last_when_both_are_set() {
        assert_eq!(
            display_name("Ada", "Lovelace", "ada@example.com"),
            "Ada Lovelace"
        );
        assert_eq!(display_name(" Ada ", " Lovelace ", "x@y.z"), "Ada Lovelace");
    }

    #[test]
    fn display_name_uses_whichever_name_is_set() {
        assert_eq!(display_name("Ada", "", "ada@example.com"), "Ada");
        assert_eq!(
            display_name("  ", "Lovelace", "ada@example.com"),
            "Lovelace"
        );
    }

    #[test]
    fn display_name_falls_back_to_the_email_local_part() {
        assert_eq!(display_name("", "", "ada.l@example.com"), "ada.l");
        assert_eq!(display_name("", "", "no-at-sign"), "no-at-sign");
    }

    #[test]
    fn an_empty_user_agent_is_an_unknown_device() {
        assert_eq!(device_from_user_agent(""), "Unknown device");
        assert_eq!(device_from_user_agent("   "), "Unknown device");
    }

    #[test]
    fn common_user_agents_map_to_browser_and_os() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
                "Chrome on Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
                "Safari on macOS",
            ),
            (
                "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
                "Firefox on Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0 Safari/537.36 Edge/18.19041",
                "Edge on Windows",
            ),
            (
                "Opera/9.80 (Windows NT 6.1) Presto/2.12",
                "Opera on Windows",
            ),
            ("curl/8.5.0", "Unknown browser on Unknown OS"),
        ];
        for (ua, expected) in cases {
            assert_eq!(device_from_user_agent(ua), expected, "{ua}");
        }
    }

    #[test]
    fn the_first_matching_os_wins_as_in_the_current_server() {
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36";
        assert_eq!(device_from_user_agent(android), "Chrome on Linux");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1";
        assert_eq!(device_from_user_agent(iphone), "Safari on macOS");
        assert_eq!(
            device_from_user_agent("SomeApp (iPad)"),
            "Unknown browser on iOS"
        );
        assert_eq!(
            device_from_user_agent("Android app"),
            "Unknown browser on Android"
        );
    }

    #[test]
    fn empty_or_invalid_addresses_are_an_unknown_location() {
        assert_eq!(location_from_ip(""), "Unknown location");
        assert_eq!(location_from_ip("not-an-ip"), "Unknown location");
        assert_eq!(location_from_ip("300.1.1.1"), "Unknown location");
    }

    #[test]
    fn loopback_and_private_ranges_are_the_local_network() {
        for ip in [
            "127.0.0.1",
            "::1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.10",
        ] {
            assert_eq!(location_from_ip(ip), "Local network", "{ip}");
        }
    }

    #[test]
    fn public_addresses_are_shown_as_the_ip() {
        assert_eq!(location_from_ip("8.8.8.8"), "IP: 8.8.8.8");
        assert_eq!(location_from_ip(" 172.32.0.1 "), "IP: 172.32.0.1");
        assert_eq!(location_from_ip("2001:db8::1"), "IP: 2001:db8::1");
    }
}
