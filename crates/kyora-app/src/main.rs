//! The `kyora` binary.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = kyora_app::cli::Cli::parse();
    match kyora_app::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("kyora: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
