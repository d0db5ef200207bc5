//! The server's clock. Services read time only from here, so tests can move it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    /// Added to the system time; zero in production, moved forward by tests.
    offset_ms: Arc<AtomicI64>,
    /// When non-zero, the time stands still at this moment (tests that need two events in
    /// the same millisecond); `advance` moves it.
    frozen_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.frozen_ms.load(Ordering::Relaxed) {
            0 => {
                Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
            }
            frozen => from_ms(frozen),
        }
    }

    pub fn advance(&self, by: chrono::Duration) {
        let by = by.num_milliseconds();
        if self.frozen_ms.load(Ordering::Relaxed) != 0 {
            self.frozen_ms.fetch_add(by, Ordering::Relaxed);
        } else {
            self.offset_ms.fetch_add(by, Ordering::Relaxed);
        }
    }

    /// Stops the time at the present moment; only `advance` moves it from then on.
    pub fn freeze(&self) {
        self.frozen_ms.store(to_ms(self.now()), Ordering::Relaxed);
    }
}

pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
