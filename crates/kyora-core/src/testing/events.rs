use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use crate::ports::events::{Event, EventBus, EventHandler, Subscription, Topic};

type Handlers = Arc<Mutex<Vec<(u64, Topic, EventHandler)>>>;

/// An [`EventBus`] that records every event and runs the handlers inline, before `emit` returns,
/// so service tests can assert on their effects without waiting.
#[derive(Default)]
pub struct RecordingEventBus {
    events: Mutex<Vec<Event>>,
    handlers: Handlers,
    next_id: Mutex<u64>,
}

impl RecordingEventBus {
    /// The events emitted so far.
    pub fn events(&self) -> Vec<Event> {
        self.events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

#[async_trait]
impl EventBus for RecordingEventBus {
    async fn emit(&self, event: Event) {
        self.events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(event.clone());
        let handlers: Vec<EventHandler> = self
            .handlers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter(|(_, topic, _)| *topic == event.topic())
            .map(|(_, _, handler)| Arc::clone(handler))
            .collect();
        for handler in handlers {
            handler(event.clone()).await;
        }
    }

    fn listen(&self, topic: Topic, handler: EventHandler) -> Subscription {
        let id = {
            let mut next = self
                .next_id
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *next += 1;
            *next
        };
        self.handlers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((id, topic, handler));
        let handlers = Arc::clone(&self.handlers);
        Subscription::new(move || {
            handlers
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .retain(|(other, _, _)| *other != id);
        })
    }

    async fn shutdown(&self) {}
}
