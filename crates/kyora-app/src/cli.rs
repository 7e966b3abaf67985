//! The command line: `kyora [--config FILE] <command>`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::startup::{Application, Components};
use crate::{migrate, telemetry};

/// Kyora's API server and its operator commands.
#[derive(Debug, Parser)]
#[command(name = "kyora", version, about)]
pub struct Cli {
    /// Configuration file (default: $KYORA_CONFIG, else ./kyora.yaml or ./.kyora.yaml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// What to run.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API until SIGINT/SIGTERM.
    Server,
    /// Apply, roll back or list database migrations.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Create a demo workspace (admin owner, active professional subscription) once; prints the
    /// credentials when it creates them.
    Seed {
        /// The demo owner's password (default: a random one, printed once).
        #[arg(long)]
        password: Option<String>,
    },
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
}

/// `kyora migrate` actions.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration (the default).
    Up,
    /// Roll the last applied migration back.
    Down,
    /// List migrations and whether each is applied.
    Status,
}

/// Runs the parsed command.
///
/// # Errors
/// Whatever stopped the command; the binary prints it and exits with 1.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let file = Config::locate(cli.config.as_deref());
    let config = Config::load(file.as_deref())?;
    let _telemetry = telemetry::init(&config.log, &config.otel)?;
    match cli.command {
        Command::Server => {
            if config.auth.jwt.secret.expose().trim().is_empty() {
                tracing::warn!(
                    "auth.jwt.secret is not set: sign-ins answer 500 until it is (KYORA_AUTH__JWT__SECRET)"
                );
            }
            let app = Application::build(&config).await?;
            tracing::info!(
                host = %config.http.host,
                port = app.port(),
                base_url = config.http.base_url.as_deref().unwrap_or(""),
                "kyora listening"
            );
            app.run_until_stopped().await
        }
        Command::Migrate { action } => {
            let database = kyora_db::connect(&config.database).await?;
            match action.unwrap_or(MigrateAction::Up) {
                MigrateAction::Up => migrate::up(&database).await?,
                MigrateAction::Down => migrate::down(&database).await?,
                MigrateAction::Status => {
                    for (name, applied) in migrate::status(&database).await? {
                        println!("{} {name}", if applied { "applied" } else { "pending" });
                    }
                }
            }
            database.close().await?;
            Ok(())
        }
        Command::Seed { password } => {
            let components = Components::connect(&config).await?;
            let outcome = crate::seed::seed(&components, password).await;
            components.shutdown().await;
            match outcome? {
                crate::seed::Seeded::Created { email, password } => {
                    println!("demo workspace created\n  email:    {email}\n  password: {password}");
                }
                crate::seed::Seeded::BusinessAdded { email } => {
                    println!(
                        "demo business {:?} added to the demo workspace ({email})",
                        crate::seed::DEMO_BUSINESS
                    );
                }
                crate::seed::Seeded::AlreadyThere { email } => {
                    println!("demo workspace already exists ({email}); nothing changed");
                }
            }
            Ok(())
        }
        Command::Openapi => {
            use utoipa::OpenApi as _;
            println!(
                "{}",
                kyora_http::openapi::ApiDoc::openapi().to_pretty_json()?
            );
            Ok(())
        }
    }
}
