//! The client IP used for sessions, throttles and emails: the leftmost valid address of
//! `X-Forwarded-For`, else `X-Real-IP`, else the TCP peer (every proxy is trusted).

use std::net::IpAddr;

use actix_web::HttpRequest;

/// The client IP, or `unknown`.
pub fn client_ip(req: &HttpRequest) -> String {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let forwarded = header("x-forwarded-for").and_then(|list| {
        list.split(',')
            .map(str::trim)
            .find_map(|candidate| candidate.parse::<IpAddr>().ok())
    });
    let real = || header("x-real-ip").and_then(|v| v.trim().parse::<IpAddr>().ok());
    let peer = || req.peer_addr().map(|addr| addr.ip());
    forwarded
        .or_else(real)
        .or_else(peer)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_leftmost_valid_forwarded_address_wins() {
        let req = TestRequest::default()
            .insert_header(("X-Forwarded-For", "garbage, 203.0.113.7, 10.0.0.1"))
            .insert_header(("X-Real-IP", "198.51.100.2"))
            .to_http_request();
        assert_eq!(client_ip(&req), "203.0.113.7");
    }

    #[test]
    fn real_ip_then_peer_are_the_fallbacks() {
        let req = TestRequest::default()
            .insert_header(("X-Real-IP", "198.51.100.2"))
            .to_http_request();
        assert_eq!(client_ip(&req), "198.51.100.2");
        let req = TestRequest::default()
            .peer_addr("192.0.2.1:5000".parse().unwrap())
            .to_http_request();
        assert_eq!(client_ip(&req), "192.0.2.1");
        assert_eq!(
            client_ip(&TestRequest::default().to_http_request()),
            "unknown"
        );
    }
}
