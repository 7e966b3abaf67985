//! The route table. A route is registered from its OpenAPI description (`utoipa::Path`): the
//! method and path come from the documentation itself, and [`RouteTable::paths`] lists every
//! registered route so a test can hold the served document against it.
//!
//! Routes sharing a path share one actix resource whose fallback is the contract's plain 404, so
//! a known path with a wrong method answers 404, not 405.

use actix_web::dev::ResourceDef;
use actix_web::middleware::from_fn;

use crate::middleware::panic::recover;
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, Route, web};
use utoipa::openapi::path::HttpMethod;

/// A (method, path) pair as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteKey {
    /// The HTTP method.
    pub method: Method,
    /// The path pattern, in the `{param}` form shared by actix and OpenAPI.
    pub path: String,
}

/// The routes of the application, built anew for every worker.
#[derive(Default)]
pub struct RouteTable {
    routes: Vec<(RouteKey, Route)>,
}

fn actix_method(method: &HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Trace => Method::TRACE,
    }
}

impl RouteTable {
    /// Registers `route` at the method(s) and path documented by `P`.
    #[must_use]
    pub fn route<P: utoipa::Path>(mut self, route: impl Fn() -> Route) -> Self {
        let path = P::path();
        for method in P::methods() {
            let method = actix_method(&method);
            self.routes.push((
                RouteKey {
                    method: method.clone(),
                    path: path.clone(),
                },
                route().method(method).wrap(from_fn(recover)),
            ));
        }
        self
    }

    /// Every registered (method, path).
    pub fn paths(&self) -> Vec<RouteKey> {
        let mut keys: Vec<RouteKey> = self.routes.iter().map(|(key, _)| key.clone()).collect();
        keys.sort_by(|a, b| {
            (a.path.as_str(), a.method.as_str()).cmp(&(b.path.as_str(), b.method.as_str()))
        });
        keys
    }

    /// Mounts the routes, one resource per path.
    pub fn mount(self, cfg: &mut web::ServiceConfig) {
        let mut resources: Vec<(String, actix_web::Resource)> = Vec::new();
        for (key, route) in self.routes {
            let position = resources.iter().position(|(path, _)| *path == key.path);
            let index = position.unwrap_or_else(|| {
                resources.push((
                    key.path.clone(),
                    web::resource(key.path.as_str()).default_service(web::to(not_found)),
                ));
                resources.len() - 1
            });
            let (path, resource) = resources.swap_remove(index);
            resources.push((path, resource.route(route)));
        }
        for (_, resource) in resources {
            cfg.service(resource);
        }
    }
}

/// The registered patterns, for the fallback's trailing-slash redirect.
#[derive(Debug, Clone)]
pub struct KnownRoutes(Vec<(Method, ResourceDef)>);

impl KnownRoutes {
    /// Compiles the patterns of `keys`.
    pub fn new(keys: &[RouteKey]) -> Self {
        Self(
            keys.iter()
                .map(|key| (key.method.clone(), ResourceDef::new(key.path.as_str())))
                .collect(),
        )
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.0.iter().any(|(m, def)| {
            (m == method || (*method == Method::HEAD && *m == Method::GET)) && def.is_match(path)
        })
    }
}

/// The contract's 404 for unmatched routes: `text/plain`, body `404 page not found`.
pub async fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("404 page not found")
}

/// The application's fallback: redirects a trailing-slash variant of a route to its canonical
/// path (301 for GET/HEAD, 308 otherwise so the body is resent), else the plain 404.
pub async fn fallback(req: HttpRequest, known: web::Data<KnownRoutes>) -> HttpResponse {
    let path = req.path();
    let canonical = path.trim_end_matches('/');
    if path.len() > 1
        && canonical.len() < path.len()
        && !canonical.is_empty()
        && known.matches(req.method(), canonical)
    {
        let location = match req.query_string() {
            "" => canonical.to_owned(),
            query => format!("{canonical}?{query}"),
        };
        let mut res = if matches!(*req.method(), Method::GET | Method::HEAD) {
            HttpResponse::MovedPermanently()
        } else {
            HttpResponse::PermanentRedirect()
        };
        return res.insert_header(("Location", location)).finish();
    }
    not_found().await
}
