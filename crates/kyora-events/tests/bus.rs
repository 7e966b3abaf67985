//! The in-process event bus against the port's contract (spec 01 §5.1).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures::FutureExt;
use kyora_core::ports::events::{
    Event, EventBus, EventHandler, OnboardingPaymentSucceeded, OrderPaymentSucceeded, Topic,
};
use kyora_events::{BUS_CAPACITY, InProcessEventBus, SUBSCRIBER_CAPACITY};
use rust_decimal::Decimal;
use tokio::sync::{Notify, Semaphore};

fn order_paid(n: usize) -> Event {
    Event::OrderPaymentSucceeded(OrderPaymentSucceeded {
        business_id: "bus1".into(),
        order_id: format!("ord{n}"),
        payment_method: "bank_transfer".into(),
        order_total: Decimal::new(1999, 2),
        currency: "USD".into(),
        paid_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap(),
    })
}

fn onboarding_paid(n: usize) -> Event {
    Event::OnboardingPaymentSucceeded(OnboardingPaymentSucceeded {
        onboarding_session_id: format!("obs{n}"),
        stripe_checkout_id: "cs_1".into(),
        stripe_subscription_id: "sub_1".into(),
    })
}

fn label(event: &Event) -> String {
    match event {
        Event::OrderPaymentSucceeded(e) => e.order_id.clone(),
        Event::OnboardingPaymentSucceeded(e) => e.onboarding_session_id.clone(),
    }
}

fn handler<F, Fut>(f: F) -> EventHandler
where
    F: Fn(Event) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    Arc::new(move |event| f(event).boxed())
}

/// A handler that records the labels of the events it handles.
fn recorder() -> (EventHandler, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&seen);
    let handler = handler(move |event| {
        let into = Arc::clone(&into);
        async move { into.lock().unwrap().push(label(&event)) }
    });
    (handler, seen)
}

fn seen(log: &Mutex<Vec<String>>) -> Vec<String> {
    log.lock().unwrap().clone()
}

async fn eventually(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn events_reach_every_subscriber_of_their_topic_and_no_other() {
    let bus = InProcessEventBus::new();
    let (first, first_seen) = recorder();
    let (second, second_seen) = recorder();
    let (other, other_seen) = recorder();
    let _a = bus.listen(Topic::OrderPaymentSucceeded, first);
    let _b = bus.listen(Topic::OrderPaymentSucceeded, second);
    let _c = bus.listen(Topic::OnboardingPaymentSucceeded, other);

    bus.emit(order_paid(1)).await;
    bus.emit(onboarding_paid(7)).await;
    bus.shutdown().await;

    assert_eq!(seen(&first_seen), vec!["ord1"]);
    assert_eq!(seen(&second_seen), vec!["ord1"]);
    assert_eq!(seen(&other_seen), vec!["obs7"]);
}

#[tokio::test]
async fn the_payload_arrives_unchanged() {
    let bus = InProcessEventBus::new();
    let received = Arc::new(Mutex::new(None));
    let into = Arc::clone(&received);
    let _s = bus.listen(
        Topic::OrderPaymentSucceeded,
        handler(move |event| {
            let into = Arc::clone(&into);
            async move { *into.lock().unwrap() = Some(event) }
        }),
    );
    bus.emit(order_paid(3)).await;
    bus.shutdown().await;
    assert_eq!(*received.lock().unwrap(), Some(order_paid(3)));
}

#[tokio::test]
async fn emit_returns_before_a_slow_handler_finishes() {
    let bus = InProcessEventBus::new();
    let finished = Arc::new(AtomicBool::new(false));
    let done = Arc::clone(&finished);
    let _s = bus.listen(
        Topic::OrderPaymentSucceeded,
        handler(move |_| {
            let done = Arc::clone(&done);
            async move {
                tokio::time::sleep(Duration::from_millis(500)).await;
                done.store(true, Ordering::SeqCst);
            }
        }),
    );
    let started = Instant::now();
    bus.emit(order_paid(1)).await;
    assert!(started.elapsed() < Duration::from_millis(200));
    assert!(!finished.load(Ordering::SeqCst));
    bus.shutdown().await;
    assert!(finished.load(Ordering::SeqCst));
}

#[tokio::test]
async fn a_slow_subscriber_does_not_hold_up_another() {
    let bus = InProcessEventBus::new();
    let release = Arc::new(Notify::new());
    let gate = Arc::clone(&release);
    let _slow = bus.listen(
        Topic::OrderPaymentSucceeded,
        handler(move |_| {
            let gate = Arc::clone(&gate);
            async move { gate.notified().await }
        }),
    );
    let (fast, fast_seen) = recorder();
    let _fast = bus.listen(Topic::OrderPaymentSucceeded, fast);
    for n in 0..5 {
        bus.emit(order_paid(n)).await;
    }
    eventually("the fast subscriber got every event", || {
        seen(&fast_seen).len() == 5
    })
    .await;
    release.notify_waiters();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_subscriber_sees_events_in_emission_order() {
    let bus = InProcessEventBus::new();
    let (first, first_seen) = recorder();
    let _a = bus.listen(Topic::OrderPaymentSucceeded, first);
    let second_seen = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&second_seen);
    let _b = bus.listen(
        Topic::OrderPaymentSucceeded,
        handler(move |event| {
            let into = Arc::clone(&into);
            async move {
                // Yield inside the handler: the next event must still wait for this one.
                tokio::task::yield_now().await;
                into.lock().unwrap().push(label(&event));
            }
        }),
    );
    for n in 0..500 {
        bus.emit(order_paid(n)).await;
    }
    bus.shutdown().await;
    let expected: Vec<String> = (0..500).map(|n| format!("ord{n}")).collect();
    assert_eq!(seen(&first_seen), expected);
    assert_eq!(seen(&second_seen), expected);
}

#[tokio::test]
async fn a_panicking_handler_does_not_stop_later_events() {
    let bus = InProcessEventBus::new();
    let handled = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&handled);
    let _s = bus.listen(
        Topic::OrderPaymentSucceeded,
        handler(move |event| {
            let into = Arc::clone(&into);
            async move {
                let name = label(&event);
                assert_ne!(name, "ord2", "handler failure under test");
                into.lock().unwrap().push(name);
            }
        }),
    );
    // A handler that panics before it even returns its future is caught as well.
    let calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&calls);
    let _eager = bus.listen(
        Topic::OrderPaymentSucceeded,
        Arc::new(move |_event: Event| {
            let n = count.fetch_add(1, Ordering::SeqCst);
            assert_ne!(n, 0, "eager handler failure under test");
            async {}.boxed()
        }),
    );
    for n in 1..=4 {
        bus.emit(order_paid(n)).await;
    }
    bus.shutdown().await;
    assert_eq!(seen(&handled), vec!["ord1", "ord3", "ord4"]);
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_cancelled_subscription_receives_no_later_events() {
    let bus = InProcessEventBus::new();
    let (cancelled, cancelled_seen) = recorder();
    let (staying, staying_seen) = recorder();
    let subscription = bus.listen(Topic::OrderPaymentSucceeded, cancelled);
    let _staying = bus.listen(Topic::OrderPaymentSucceeded, staying);

    bus.emit(order_paid(1)).await;
    eventually("both got the first event", || {
        seen(&cancelled_seen).len() == 1 && seen(&staying_seen).len() == 1
    })
    .await;
    subscription.cancel();
    bus.emit(order_paid(2)).await;
    bus.emit(order_paid(3)).await;
    bus.shutdown().await;

    assert_eq!(seen(&staying_seen), vec!["ord1", "ord2", "ord3"]);
    assert_eq!(seen(&cancelled_seen), vec!["ord1"]);
}

#[tokio::test]
async fn dropping_a_subscription_keeps_it() {
    let bus = InProcessEventBus::new();
    let (kept, kept_seen) = recorder();
    drop(bus.listen(Topic::OrderPaymentSucceeded, kept));
    bus.emit(order_paid(1)).await;
    bus.shutdown().await;
    assert_eq!(seen(&kept_seen), vec!["ord1"]);
}

#[tokio::test]
async fn shutdown_waits_for_a_running_handler_to_complete() {
    let bus = InProcessEventBus::new();
    let started = Arc::new(Notify::new());
    let finished = Arc::new(AtomicBool::new(false));
    let (start, done) = (Arc::clone(&started), Arc::clone(&finished));
    let _s = bus.listen(
        Topic::OrderPaymentSucceeded,
        handler(move |_| {
            let (start, done) = (Arc::clone(&start), Arc::clone(&done));
            async move {
                start.notify_one();
                tokio::time::sleep(Duration::from_millis(300)).await;
                done.store(true, Ordering::SeqCst);
            }
        }),
    );
    bus.emit(order_paid(1)).await;
    started.notified().await;
    assert!(!finished.load(Ordering::SeqCst));
    bus.shutdown().await;
    assert!(finished.load(Ordering::SeqCst));
}

#[tokio::test]
async fn shutdown_delivers_the_events_still_queued() {
    let bus = InProcessEventBus::new();
    let seen_log = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&seen_log);
    let _s = bus.listen(
        Topic::OrderPaymentSucceeded,
        handler(move |event| {
            let into = Arc::clone(&into);
            async move {
                tokio::time::sleep(Duration::from_millis(2)).await;
                into.lock().unwrap().push(label(&event));
            }
        }),
    );
    for n in 0..50 {
        bus.emit(order_paid(n)).await;
    }
    assert!(seen(&seen_log).len() < 50);
    bus.shutdown().await;
    assert_eq!(seen(&seen_log).len(), 50);
}

#[tokio::test]
async fn events_emitted_after_shutdown_are_dropped() {
    let bus = InProcessEventBus::new();
    let (recorded, recorded_seen) = recorder();
    let _s = bus.listen(Topic::OrderPaymentSucceeded, recorded);
    bus.emit(order_paid(1)).await;
    bus.shutdown().await;
    bus.emit(order_paid(2)).await;
    let (late, late_seen) = recorder();
    let _late = bus.listen(Topic::OrderPaymentSucceeded, late);
    bus.emit(order_paid(3)).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    bus.shutdown().await;
    assert_eq!(seen(&recorded_seen), vec!["ord1"]);
    assert!(seen(&late_seen).is_empty());
}

#[tokio::test]
async fn emit_waits_when_the_buffers_are_full_and_never_drops() {
    let bus = InProcessEventBus::new();
    let permits = Arc::new(Semaphore::new(0));
    let gate = Arc::clone(&permits);
    let log = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&log);
    let _s = bus.listen(
        Topic::OrderPaymentSucceeded,
        handler(move |event| {
            let (gate, into) = (Arc::clone(&gate), Arc::clone(&into));
            async move {
                gate.acquire().await.unwrap().forget();
                into.lock().unwrap().push(label(&event));
            }
        }),
    );
    // The handler is stuck on the first event: the subscriber's queue, the event in the
    // dispatcher's hands and the bus buffer fill, then emit waits.
    let mut accepted = 0;
    let total = BUS_CAPACITY + SUBSCRIBER_CAPACITY + 50;
    for n in 0..total {
        let emitted = tokio::time::timeout(Duration::from_millis(100), bus.emit(order_paid(n)));
        if emitted.await.is_err() {
            break;
        }
        accepted += 1;
    }
    assert!(accepted >= BUS_CAPACITY, "only {accepted} accepted");
    assert!(
        accepted <= BUS_CAPACITY + SUBSCRIBER_CAPACITY + 2,
        "{accepted} accepted without waiting"
    );

    permits.add_permits(total);
    let blocked = bus.emit(order_paid(accepted));
    tokio::time::timeout(Duration::from_secs(5), blocked)
        .await
        .expect("emit resumed once the handler caught up");
    bus.shutdown().await;
    // The emit that timed out was cancelled before queueing; every other event arrived in order.
    let expected: Vec<String> = (0..=accepted).map(|n| format!("ord{n}")).collect();
    assert_eq!(seen(&log), expected);
}
