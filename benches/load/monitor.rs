//! CPU and memory of the server, the harness, Postgres and the machine, from /proc.

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// utime + stime of a process, in clock ticks, and its command name.
pub fn proc_ticks(pid: &str) -> Option<(String, u64)> {
    proc_times(pid).map(|(comm, own, _)| (comm, own))
}

/// A process's command name, its own CPU ticks and those of its children that exited.
pub fn proc_times(pid: &str) -> Option<(String, u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat[open + 1..close].to_string();
    let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
    let field = |i: usize| -> Option<u64> { fields.get(i)?.parse().ok() };
    Some((comm, field(11)? + field(12)?, field(13)? + field(14)?))
}

/// CPU ticks of every Postgres process (the database's share of the work), including the
/// backends and parallel workers that exited (counted in their parent's children's time).
pub fn postgres_ticks() -> u64 {
    std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    name.bytes().all(|b| b.is_ascii_digit()).then_some(name)
                })
                .filter_map(|pid| proc_times(&pid))
                .filter(|(comm, _, _)| comm == "postgres")
                .map(|(_, own, children)| own + children)
                .sum()
        })
        .unwrap_or(0)
}

/// (busy, iowait, total) ticks of the whole machine.
pub fn machine_ticks() -> (u64, u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = stat.lines().next().unwrap_or_default();
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    if v.len() < 5 {
        return (0, 0, 1);
    }
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let total: u64 = v.iter().take(8).sum();
    let idle = v[3];
    let iowait = v[4];
    (total - idle - iowait, iowait, total)
}

/// A field of /proc/<pid>/status in kB (VmRSS, VmHWM).
pub fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[derive(Clone)]
pub struct Monitor {
    pub server_pid: u32,
    pub postgres: bool,
    pub ticks_per_sec: f64,
}

pub struct Mark {
    pub at: Instant,
    pub server: u64,
    pub harness: u64,
    pub postgres: u64,
    pub machine: (u64, u64, u64),
    pub rss_max: Arc<AtomicU64>,
    pub stop: Arc<AtomicBool>,
}

#[derive(Clone, Debug, Default)]
pub struct Usage {
    pub wall: f64,
    /// CPU time over wall time, in percent of one core.
    pub server_cpu: f64,
    pub harness_cpu: f64,
    pub postgres_cpu: f64,
    /// Share of the whole machine busy / waiting for I/O, in percent of all cores.
    pub machine_busy: f64,
    pub iowait: f64,
    /// CPU used by everything else on the machine (other builds would skew the figures).
    pub others_cpu: f64,
    pub rss_max_mb: f64,
}

impl Monitor {
    pub fn server_ticks(&self) -> u64 {
        proc_ticks(&self.server_pid.to_string())
            .map(|(_, t)| t)
            .unwrap_or(0)
    }

    pub fn mark(&self) -> Mark {
        let rss_max = Arc::new(AtomicU64::new(status_kb(self.server_pid, "VmRSS")));
        let stop = Arc::new(AtomicBool::new(false));
        let (pid, max, halt) = (self.server_pid, rss_max.clone(), stop.clone());
        tokio::spawn(async move {
            while !halt.load(Ordering::Relaxed) {
                max.fetch_max(status_kb(pid, "VmRSS"), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        Mark {
            at: Instant::now(),
            server: self.server_ticks(),
            harness: proc_ticks("self").map(|(_, t)| t).unwrap_or(0),
            postgres: if self.postgres { postgres_ticks() } else { 0 },
            machine: machine_ticks(),
            rss_max,
            stop,
        }
    }

    pub fn usage(&self, m: &Mark) -> Usage {
        m.stop.store(true, Ordering::Relaxed);
        let wall = m.at.elapsed().as_secs_f64().max(1e-9);
        let pct = |ticks: u64| ticks as f64 / self.ticks_per_sec / wall * 100.0;
        let machine = machine_ticks();
        let total = (machine.2.saturating_sub(m.machine.2)).max(1) as f64;
        let rss_now = status_kb(self.server_pid, "VmRSS");
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let mut u = Usage {
            wall,
            server_cpu: pct(self.server_ticks().saturating_sub(m.server)),
            harness_cpu: pct(proc_ticks("self")
                .map(|(_, t)| t)
                .unwrap_or(0)
                .saturating_sub(m.harness)),
            postgres_cpu: if self.postgres {
                pct(postgres_ticks().saturating_sub(m.postgres))
            } else {
                0.0
            },
            machine_busy: machine.0.saturating_sub(m.machine.0) as f64 / total * 100.0,
            others_cpu: 0.0,
            iowait: machine.1.saturating_sub(m.machine.1) as f64 / total * 100.0,
            rss_max_mb: m.rss_max.load(Ordering::Relaxed).max(rss_now) as f64 / 1024.0,
        };
        u.others_cpu =
            (u.machine_busy * cores - u.server_cpu - u.harness_cpu - u.postgres_cpu).max(0.0);
        u
    }
}
