//! Logging and tracing: JSON or text lines on stdout per `log.*`, and optional OpenTelemetry
//! export over OTLP/HTTP per `otel.*` (off by default).

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::{LogSection, OtelSection};

/// Keeps the exporter alive; flushes spans when dropped.
#[derive(Debug, Default)]
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(err) = provider.shutdown()
        {
            eprintln!("telemetry: flushing spans failed: {err}");
        }
    }
}

fn filter(log: &LogSection) -> EnvFilter {
    let level = log.filter().as_str().to_ascii_lowercase();
    // Dependencies speak at warn unless the operator asks for debug.
    let noisy = if log.filter() == tracing::Level::DEBUG {
        "debug"
    } else {
        "warn"
    };
    EnvFilter::new(format!(
        "{level},sqlx={noisy},sea_orm={noisy},actix_server={level},h2=warn,hyper=warn,reqwest=warn"
    ))
}

/// Installs the global subscriber. Call once, at start-up.
///
/// # Errors
/// When the OTLP exporter cannot be built or a subscriber is already installed.
pub fn init(log: &LogSection, otel: &OtelSection) -> anyhow::Result<TelemetryGuard> {
    let fmt = if log.is_text() {
        tracing_subscriber::fmt::layer().with_target(false).boxed()
    } else {
        tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .boxed()
    };
    let mut guard = TelemetryGuard::default();
    let otel_layer = if otel.enabled {
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_endpoint(otel.endpoint.clone())
            .build()?;
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(
                opentelemetry_sdk::Resource::builder()
                    .with_service_name(otel.service_name.clone())
                    .build(),
            )
            .build();
        let tracer = provider.tracer("kyora");
        guard.provider = Some(provider);
        Some(tracing_opentelemetry::layer().with_tracer(tracer))
    } else {
        None
    };
    tracing_subscriber::registry()
        .with(filter(log))
        .with(fmt)
        .with(otel_layer)
        .try_init()?;
    Ok(guard)
}
