//! The composition root: the only place that names concrete adapters. It connects the database,
//! the cache, the email provider and the event bus, and serves the HTTP API on them.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpServer;
use actix_web::dev::{Server, ServerHandle};
use anyhow::Context as _;
use kyora_core::account::{AccountDeps, AccountService};
use kyora_core::billing::BillingGates;
use kyora_core::business::{BusinessDeps, BusinessService};
use kyora_core::customer::CustomerService;
use kyora_core::ports::{Cache, EmailSender, EventBus, Store};
use kyora_core::shared::clock::SystemClock;
use kyora_email::MockOutbox;
use kyora_events::InProcessEventBus;
use kyora_http::AppState;

use crate::config::Config;

/// The adapters the application runs on; tests reach them through [`Application::components`].
#[derive(Clone)]
pub struct Components {
    /// The database (PostgreSQL or SQLite).
    pub database: kyora_db::Database,
    /// The cache.
    pub cache: Arc<dyn Cache>,
    /// The email sender.
    pub email: Arc<dyn EmailSender>,
    /// The mock provider's outbox, when the mock provider is selected.
    pub outbox: Option<MockOutbox>,
    /// The event bus.
    pub events: Arc<InProcessEventBus>,
    /// Account use cases.
    pub accounts: AccountService,
    /// Business, shipping-zone and payment-method use cases.
    pub businesses: BusinessService,
    /// Customer, address and note use cases.
    pub customers: CustomerService,
}

impl Components {
    /// Connects every adapter and applies migrations when `database.auto_migrate` is on.
    ///
    /// # Errors
    /// When a dependency cannot be reached or is misconfigured.
    pub async fn connect(config: &Config) -> anyhow::Result<Self> {
        let database = kyora_db::connect(&config.database)
            .await
            .context("connecting to the database")?;
        if config.database.auto_migrate {
            crate::migrate::up(&database).await?;
        }
        database
            .plans()
            .upsert_catalogue(&kyora_core::billing::model::catalogue())
            .await
            .context("upserting the built-in plans")?;
        let cache = kyora_cache::connect(&config.cache)
            .await
            .context("connecting to the cache")?;
        let (email, outbox) = kyora_email::build(&config.email, Some(config.app.product_name()))
            .context("configuring the email provider")?;
        let events = InProcessEventBus::new();
        let store: Arc<dyn Store> = Arc::new(database.clone());
        let businesses = BusinessService::new(BusinessDeps {
            store: Arc::clone(&store),
            cache: Arc::clone(&cache),
            clock: Arc::new(SystemClock),
        });
        let customers = CustomerService::new(Arc::clone(&store), Arc::new(SystemClock));
        let accounts = AccountService::new(
            AccountDeps {
                store,
                cache: Arc::clone(&cache),
                email: Arc::clone(&email),
                hasher: Arc::new(kyora_auth::Argon2PasswordHasher::new(
                    config.auth.password_hash_concurrency(),
                )),
                tokens: Arc::new(kyora_auth::JwtAccessTokens::new(&config.auth)),
                google: Arc::new(
                    kyora_auth::GoogleOAuthClient::new(&config.auth).map_err(anyhow::Error::msg)?,
                ),
                spawner: Arc::new(kyora_auth::TokioSpawner::new(Duration::from_secs(10))),
                clock: Arc::new(SystemClock),
            },
            config.account_settings(),
        );
        Ok(Self {
            database,
            cache,
            email,
            outbox,
            events,
            accounts,
            businesses,
            customers,
        })
    }

    /// The HTTP layer's view of the adapters: the core's ports only.
    pub fn state(&self) -> AppState {
        let store: Arc<dyn Store> = Arc::new(self.database.clone());
        AppState {
            gates: BillingGates::new(Arc::clone(&store)),
            store,
            cache: Arc::clone(&self.cache),
            accounts: self.accounts.clone(),
            businesses: self.businesses.clone(),
            customers: self.customers.clone(),
        }
    }

    /// Waits for event handlers, then closes the database.
    pub async fn shutdown(self) {
        self.events.shutdown().await;
        if let Err(err) = self.database.close().await {
            tracing::warn!(%err, "closing the database failed");
        }
    }
}

/// A built, bound, not yet running server.
pub struct Application {
    server: Server,
    port: u16,
    components: Components,
}

impl Application {
    /// Connects the adapters and binds `http.host`:`http.port`.
    ///
    /// # Errors
    /// When an adapter cannot start or the address cannot be bound.
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        let components = Components::connect(config).await?;
        let address = (config.http.host.as_str(), config.http.port);
        let listener = TcpListener::bind(address)
            .with_context(|| format!("binding {}:{}", address.0, address.1))?;
        Self::serve(config, components, listener)
    }

    /// Serves on an already bound listener (tests bind 127.0.0.1:0).
    ///
    /// # Errors
    /// When the listener cannot be used.
    pub fn serve(
        config: &Config,
        components: Components,
        listener: TcpListener,
    ) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let state = components.state();
        let settings = config.http_settings();
        let server =
            HttpServer::new(move || kyora_http::build_app(state.clone(), settings.clone()))
                .listen(listener)?
                .client_request_timeout(Duration::from_secs(15))
                .client_disconnect_timeout(Duration::from_secs(15))
                .keep_alive(Duration::from_secs(60))
                .shutdown_timeout(10)
                .run();
        Ok(Self {
            server,
            port,
            components,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The adapters.
    pub fn components(&self) -> &Components {
        &self.components
    }

    /// A handle that stops the server gracefully.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (in-flight requests get up to 10 s to finish), then shuts the
    /// event bus and the database down.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.server.await?;
        tracing::info!("server stopped; draining events and closing the database");
        self.components.shutdown().await;
        Ok(())
    }
}
