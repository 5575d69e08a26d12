//! Ctrl-C (SIGINT) and SIGTERM during `solve`, `bench` and `simulate`: the first signal asks the
//! running search to stop ([`hetsched::solve::Cancel`]) and the command writes what it has; a
//! second signal exits at once.
//!
//! Exit codes after an interruption: 130 (SIGINT) or 143 (SIGTERM), once the outputs are written.

use hetsched::solve::Cancel;
use signal_hook::consts::{SIGINT, SIGTERM};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, Ordering};

/// The first signal received (0: none).
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// The process's cancellation token, set by the first signal.
static CANCEL: OnceLock<Cancel> = OnceLock::new();

/// Catch SIGINT and SIGTERM from now on and return the token they set; later calls return the
/// same token. Until this is called the signals end the process as usual.
pub fn watch() -> Cancel {
    CANCEL
        .get_or_init(|| {
            let cancel = Cancel::new();
            match signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
                Ok(mut signals) => {
                    let token = cancel.clone();
                    std::thread::spawn(move || {
                        for signal in signals.forever() {
                            if RECEIVED
                                .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
                                .is_err()
                            {
                                eprintln!("\ninterrupted again: exiting at once");
                                std::process::exit(128 + signal);
                            }
                            eprintln!(
                                "\ninterrupted ({}): stopping the search and writing the best \
                                 found so far (again to exit at once)",
                                name(signal)
                            );
                            token.cancel();
                        }
                    });
                }
                Err(e) => eprintln!("warning: cannot catch Ctrl-C ({e}); it will end the run"),
            }
            cancel
        })
        .clone()
}

/// The exit code an interrupted run ends with (128 + the signal), or `None` when no signal came.
pub fn exit_code() -> Option<u8> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        signal => u8::try_from(128 + signal).ok(),
    }
}

fn name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "signal",
    }
}
