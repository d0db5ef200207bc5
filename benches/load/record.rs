//! Latency recording: one `Run` per phase, its requests' latencies and failures.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::monitor::{Mark, Monitor, Usage};

#[derive(Default)]
pub struct ActionRaw {
    pub lat_us: Vec<u64>,
    pub errors: BTreeMap<String, u64>,
    /// The first reply body seen for each kind of error, as evidence.
    pub samples: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub ok: usize,
    pub errors: BTreeMap<String, u64>,
    pub samples: BTreeMap<String, String>,
    pub per_sec: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Stats {
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
    pub fn server_errors(&self) -> u64 {
        self.errors
            .iter()
            .filter(|(k, _)| k.starts_with("HTTP 5"))
            .map(|(_, n)| n)
            .sum()
    }
}

/// A failed request: its kind ("HTTP 503", "timeout", ...) and what came back.
#[derive(Debug)]
pub struct Failure {
    pub kind: String,
    pub detail: String,
}

impl Failure {
    pub fn new(kind: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            detail: detail.into(),
        }
    }
}

pub struct Run {
    pub phase: String,
    pub note: String,
    pub mark: Mark,
    pub actions: Mutex<BTreeMap<String, ActionRaw>>,
    /// Requests slower than `SLOW`: (action, when they began in seconds into the phase).
    pub slow: Mutex<Vec<(String, f64)>>,
}

/// A request this slow is listed with the moment it began, to show when stalls happen.
pub const SLOW: Duration = Duration::from_secs(1);

#[derive(Clone, Debug)]
pub struct RunReport {
    pub phase: String,
    pub note: String,
    pub usage: Usage,
    pub actions: Vec<(String, Stats)>,
    pub slow: Vec<(String, f64)>,
}

impl RunReport {
    pub fn stats(&self, action: &str) -> Stats {
        self.actions
            .iter()
            .find(|(a, _)| a == action)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }
}

impl Run {
    pub fn start(mon: &Monitor, phase: &str, note: impl Into<String>) -> Arc<Run> {
        println!("  - {phase}");
        Arc::new(Run {
            phase: phase.to_string(),
            note: note.into(),
            mark: mon.mark(),
            actions: Mutex::new(BTreeMap::new()),
            slow: Mutex::new(Vec::new()),
        })
    }

    /// Records one request that began at `since` (its scheduled time in open-loop runs).
    pub fn record<T>(&self, action: &str, since: Instant, result: &Result<T, Failure>) {
        let took = since.elapsed();
        let micros = took.as_micros() as u64;
        if took >= SLOW {
            let at = since.saturating_duration_since(self.mark.at).as_secs_f64();
            self.slow.lock().unwrap().push((action.to_string(), at));
        }
        let mut actions = self.actions.lock().unwrap();
        let a = actions.entry(action.to_string()).or_default();
        match result {
            Ok(_) => a.lat_us.push(micros),
            Err(f) => {
                *a.errors.entry(f.kind.clone()).or_default() += 1;
                a.samples
                    .entry(f.kind.clone())
                    .or_insert_with(|| f.detail.chars().take(240).collect());
            }
        }
    }

    pub async fn timed<T>(
        &self,
        action: &str,
        fut: impl Future<Output = Result<T, Failure>>,
    ) -> Result<T, Failure> {
        let t = Instant::now();
        let r = fut.await;
        self.record(action, t, &r);
        r
    }

    pub fn finish(&self, mon: &Monitor) -> RunReport {
        let usage = mon.usage(&self.mark);
        let mut actions = self.actions.lock().unwrap();
        let stats = actions
            .iter_mut()
            .map(|(name, raw)| {
                raw.lat_us.sort_unstable();
                let pick = |p: f64| -> f64 {
                    if raw.lat_us.is_empty() {
                        return 0.0;
                    }
                    let i = ((p * raw.lat_us.len() as f64).ceil() as usize)
                        .clamp(1, raw.lat_us.len())
                        - 1;
                    raw.lat_us[i] as f64 / 1000.0
                };
                let stats = Stats {
                    ok: raw.lat_us.len(),
                    errors: raw.errors.clone(),
                    samples: raw.samples.clone(),
                    per_sec: raw.lat_us.len() as f64 / usage.wall,
                    p50: pick(0.50),
                    p95: pick(0.95),
                    p99: pick(0.99),
                    max: pick(1.0),
                };
                (name.clone(), stats)
            })
            .collect();
        RunReport {
            phase: self.phase.clone(),
            note: self.note.clone(),
            usage,
            actions: stats,
            slow: std::mem::take(&mut *self.slow.lock().unwrap()),
        }
    }
}
