//! Process measurements read from the kernel: resident memory, CPU time of the process
//! and of its named threads, the open-file limit.

use std::time::Duration;

/// Resident set size of this process in KiB (`VmRSS` of /proc/self/status).
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// User + system CPU time of the whole process so far (getrusage).
pub fn process_cpu() -> Duration {
    // SAFETY: getrusage only writes into the zeroed struct we own; RUSAGE_SELF is valid.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU time spent so far by the live threads of this process whose name starts with
/// `prefix` (first field of /proc/self/task/*/schedstat, in ns). Used to take the
/// embedded server's share out of the process total.
pub fn threads_cpu(prefix: &str) -> Duration {
    let mut total = Duration::ZERO;
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return total;
    };
    for task in tasks.flatten() {
        let dir = task.path();
        let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if !name.trim_end().starts_with(prefix) {
            continue;
        }
        let sched = std::fs::read_to_string(dir.join("schedstat")).unwrap_or_default();
        if let Some(ns) = sched.split_whitespace().next().and_then(|v| v.parse().ok()) {
            total += Duration::from_nanos(ns);
        }
    }
    total
}

/// Raises the soft open-file limit to `want` (or the hard limit if lower); returns the
/// soft limit now in force. Children spawned afterwards inherit it.
pub fn raise_nofile(want: u64) -> u64 {
    // SAFETY: getrlimit/setrlimit read and write only the struct we own.
    unsafe {
        let mut lim: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        let target = want.min(lim.rlim_max);
        if lim.rlim_cur < target {
            lim.rlim_cur = target;
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                let _ = libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
            }
        }
        lim.rlim_cur
    }
}

/// Name prefix of the embedded dev server's threads (their CPU is not the clients').
pub const SERVER_THREADS: &str = "devserver";

/// CPU used between [`CpuMeter::start`] and [`CpuMeter::stop`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Cpu {
    /// The whole benchmark process (getrusage), embedded server included.
    pub process: Duration,
    /// The process minus the embedded server's threads.
    pub clients: Duration,
}

pub struct CpuMeter {
    process: Duration,
    server: Duration,
}

impl CpuMeter {
    pub fn start() -> CpuMeter {
        CpuMeter {
            process: process_cpu(),
            server: threads_cpu(SERVER_THREADS),
        }
    }

    pub fn stop(&self) -> Cpu {
        let process = process_cpu().saturating_sub(self.process);
        let server = threads_cpu(SERVER_THREADS).saturating_sub(self.server);
        Cpu {
            process,
            clients: process.saturating_sub(server),
        }
    }
}
