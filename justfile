# Developer shortcuts; each recipe is a plain cargo command you can also run by hand.

# Run the server on the embedded defaults (SQLite file, in-process cache, mock email).
run:
    cargo run -p kyora-app --bin kyora -- server

# The test suite on the embedded defaults (no services needed).
test:
    cargo test --workspace

# The full suite against local PostgreSQL and memcached (docker compose up -d, or local services).
test-all:
    KYORA_TEST_DATABASE_URL=${KYORA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
    KYORA_TEST_MEMCACHED=${KYORA_TEST_MEMCACHED:-127.0.0.1:11211} \
    KYORA_TEST_REQUIRE_SERVICES=1 \
    cargo test --workspace

# Formatting, lints and the layering rules, as CI runs them.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings
    .ci/layering

# Benchmarks.
bench:
    cargo bench --workspace

# Print the OpenAPI document.
openapi:
    cargo run -q -p kyora-app --bin kyora -- openapi
