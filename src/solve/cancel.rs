//! Cancellation: a flag a caller sets (from another thread, a signal handler, a portfolio) to
//! ask running solvers to stop and return the best schedule they have.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A request to stop, shared by a caller and the solvers it runs ([`crate::SolveOptions::cancel`]).
///
/// Clones share the flag. A [`Cancel::child`] has a flag of its own and also sees its parent's:
/// a portfolio gives its components a child, so that it can stop one component without stopping
/// the caller's other work, while the caller's request still reaches every component.
///
/// ```
/// use hetsched::solve::Cancel;
/// let caller = Cancel::new();
/// let component = caller.child();
/// component.cancel();
/// assert!(component.is_cancelled() && !caller.is_cancelled());
/// let other = caller.child();
/// caller.cancel();
/// assert!(other.is_cancelled());
/// ```
#[derive(Debug, Clone)]
pub struct Cancel {
    /// This token's own flag first, then its ancestors' flags.
    flags: Vec<Arc<AtomicBool>>,
}

impl Cancel {
    /// A new, unset request.
    pub fn new() -> Self {
        Cancel {
            flags: vec![Arc::new(AtomicBool::new(false))],
        }
    }

    /// A token with a flag of its own that is also set when `self` is.
    pub fn child(&self) -> Self {
        let mut flags = Vec::with_capacity(self.flags.len() + 1);
        flags.push(Arc::new(AtomicBool::new(false)));
        flags.extend(self.flags.iter().cloned());
        Cancel { flags }
    }

    /// Ask every holder of this token (and of its children) to stop.
    pub fn cancel(&self) {
        if let Some(own) = self.flags.first() {
            own.store(true, Ordering::Relaxed);
        }
    }

    /// True once this token or one of its ancestors was cancelled.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.flags.iter().any(|f| f.load(Ordering::Relaxed))
    }
}

impl Default for Cancel {
    /// A new, unset request (as [`Cancel::new`]).
    fn default() -> Self {
        Cancel::new()
    }
}

impl From<Arc<AtomicBool>> for Cancel {
    /// A token on an existing flag (set it to cancel).
    fn from(flag: Arc<AtomicBool>) -> Self {
        Cancel { flags: vec![flag] }
    }
}
