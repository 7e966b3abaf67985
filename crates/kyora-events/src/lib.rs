//! Kyora's in-process event bus on tokio (spec 01 §5.1).
//!
//! The rule of this crate: publishing never waits for handlers and never drops an event while the
//! bus runs. [`InProcessEventBus::emit`] queues the event into one bounded buffer of
//! [`BUS_CAPACITY`] events and returns; it waits only while that buffer is full. One dispatcher
//! task hands each event to every subscriber of its topic, each through the subscriber's own
//! queue of [`SUBSCRIBER_CAPACITY`] events (the dispatcher waits while a queue is full, so a slow
//! subscriber slows delivery instead of losing events). Each subscriber runs in its own task and
//! handles its events one at a time, in emission order; a handler that panics is logged with
//! `tracing::error!` and the subscriber goes on with the next event. Events are not persisted:
//! whatever is queued when the process stops is lost.
//!
//! Two things deadlock and must be avoided by callers: calling [`EventBus::shutdown`] from inside
//! a handler (it waits for that handler), and a handler that emits so many events that both the
//! bus buffer and its own queue fill up.

use std::any::Any;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use async_trait::async_trait;
use futures::FutureExt;
use kyora_core::ports::events::{Event, EventBus, EventHandler, Subscription, Topic};
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Events the bus buffers before [`EventBus::emit`] waits.
pub const BUS_CAPACITY: usize = 1024;

/// Events queued for one subscriber before the dispatcher waits for it.
pub const SUBSCRIBER_CAPACITY: usize = 128;

struct Subscriber {
    id: u64,
    queue: mpsc::Sender<Event>,
    cancelled: Arc<AtomicBool>,
}

#[derive(Default)]
struct Registry {
    next_id: u64,
    by_topic: HashMap<Topic, Vec<Subscriber>>,
    /// Every subscriber task not yet known to have ended; shutdown waits for them.
    tasks: Vec<JoinHandle<()>>,
    /// Set once the dispatcher has ended: no event will be delivered any more.
    closed: bool,
}

#[derive(Default)]
struct Shared {
    registry: Mutex<Registry>,
}

impl Shared {
    fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn remove(&self, topic: Topic, id: u64) {
        if let Some(subscribers) = self.registry().by_topic.get_mut(&topic) {
            subscribers.retain(|s| s.id != id);
        }
    }
}

/// An [`EventBus`] inside this process, on tokio tasks.
pub struct InProcessEventBus {
    shared: Arc<Shared>,
    /// `None` once shutdown has begun.
    sender: Mutex<Option<mpsc::Sender<Event>>>,
    /// Held for the whole of a shutdown, so that concurrent callers all wait for its end.
    dispatcher: tokio::sync::Mutex<Option<JoinHandle<()>>>,
    runtime: Handle,
}

impl std::fmt::Debug for InProcessEventBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let registry = self.shared.registry();
        f.debug_struct("InProcessEventBus")
            .field(
                "subscribers",
                &registry.by_topic.values().map(Vec::len).sum::<usize>(),
            )
            .field("closed", &registry.closed)
            .finish()
    }
}

impl InProcessEventBus {
    /// Starts the bus and its dispatcher task on the current tokio runtime.
    ///
    /// # Panics
    /// When called outside a tokio runtime.
    pub fn new() -> Arc<Self> {
        let runtime = Handle::current();
        let (sender, receiver) = mpsc::channel(BUS_CAPACITY);
        let shared = Arc::new(Shared::default());
        let dispatcher = runtime.spawn(dispatch(receiver, Arc::clone(&shared)));
        Arc::new(Self {
            shared,
            sender: Mutex::new(Some(sender)),
            dispatcher: tokio::sync::Mutex::new(Some(dispatcher)),
            runtime,
        })
    }

    fn sender(&self) -> Option<mpsc::Sender<Event>> {
        self.sender
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Moves events from the bus buffer to the subscribers' queues until the bus is shut down (or
/// dropped) and the buffer is empty, then closes the subscribers' queues.
async fn dispatch(mut receiver: mpsc::Receiver<Event>, shared: Arc<Shared>) {
    while let Some(event) = receiver.recv().await {
        let topic = event.topic();
        let targets: Vec<(mpsc::Sender<Event>, Arc<AtomicBool>)> = shared
            .registry()
            .by_topic
            .get(&topic)
            .map(|subscribers| {
                subscribers
                    .iter()
                    .map(|s| (s.queue.clone(), Arc::clone(&s.cancelled)))
                    .collect()
            })
            .unwrap_or_default();
        for (queue, cancelled) in targets {
            if cancelled.load(Ordering::SeqCst) {
                continue;
            }
            // An error means the subscriber's task has ended (it was cancelled).
            let _ = queue.send(event.clone()).await;
        }
    }
    let mut registry = shared.registry();
    registry.closed = true;
    registry.by_topic.clear();
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("non-string panic payload")
}

/// One subscriber: handles its events sequentially until its queue closes or it is cancelled.
async fn serve(
    topic: Topic,
    id: u64,
    mut queue: mpsc::Receiver<Event>,
    handler: EventHandler,
    cancelled: Arc<AtomicBool>,
) {
    while let Some(event) = queue.recv().await {
        if cancelled.load(Ordering::SeqCst) {
            break;
        }
        let outcome = match std::panic::catch_unwind(AssertUnwindSafe(|| handler(event))) {
            Ok(handling) => AssertUnwindSafe(handling).catch_unwind().await,
            Err(panic) => Err(panic),
        };
        if let Err(panic) = outcome {
            tracing::error!(
                topic = topic.as_str(),
                subscriber = id,
                panic = panic_message(panic.as_ref()),
                "event handler panicked; the subscriber goes on with the next event"
            );
        }
    }
}

#[async_trait]
impl EventBus for InProcessEventBus {
    async fn emit(&self, event: Event) {
        let topic = event.topic().as_str();
        let Some(sender) = self.sender() else {
            tracing::warn!(topic, "event bus is shut down; event dropped");
            return;
        };
        if sender.send(event).await.is_err() {
            tracing::warn!(topic, "event bus has stopped; event dropped");
        }
    }

    fn listen(&self, topic: Topic, handler: EventHandler) -> Subscription {
        let mut registry = self.shared.registry();
        if registry.closed {
            tracing::warn!(
                topic = topic.as_str(),
                "event bus is shut down; subscription ignored"
            );
            return Subscription::new(|| {});
        }
        let id = registry.next_id;
        registry.next_id += 1;
        let (queue, receiver) = mpsc::channel(SUBSCRIBER_CAPACITY);
        let cancelled = Arc::new(AtomicBool::new(false));
        let task = self
            .runtime
            .spawn(serve(topic, id, receiver, handler, Arc::clone(&cancelled)));
        registry.tasks.retain(|task| !task.is_finished());
        registry.tasks.push(task);
        registry
            .by_topic
            .entry(topic)
            .or_default()
            .push(Subscriber {
                id,
                queue,
                cancelled: Arc::clone(&cancelled),
            });
        drop(registry);

        let shared: Weak<Shared> = Arc::downgrade(&self.shared);
        Subscription::new(move || {
            cancelled.store(true, Ordering::SeqCst);
            if let Some(shared) = shared.upgrade() {
                shared.remove(topic, id);
            }
        })
    }

    async fn shutdown(&self) {
        let mut dispatcher = self.dispatcher.lock().await;
        self.sender
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(task) = dispatcher.take()
            && let Err(err) = task.await
        {
            tracing::error!(%err, "event dispatcher ended abnormally");
        }
        let tasks = {
            let mut registry = self.shared.registry();
            // Already done by a dispatcher that ended normally; needed if it did not.
            registry.closed = true;
            registry.by_topic.clear();
            std::mem::take(&mut registry.tasks)
        };
        for task in tasks {
            if let Err(err) = task.await {
                tracing::error!(%err, "event subscriber ended abnormally");
            }
        }
    }
}
