//! Time axes: "nice" tick positions (1, 2 or 5 times a power of ten) and labels written with the
//! step's number of decimals, so every label of an axis has the same form.

/// Ticks covering `[lo, hi]`: about `target` of them at a step of 1, 2 or 5 × 10^k, from the
/// first multiple of the step at or below `lo` to the first at or above `hi`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// Tick positions, increasing.
    pub values: Vec<f64>,
    /// Distance between ticks.
    pub step: f64,
}

impl Ticks {
    /// Nice ticks for `[lo, hi]` (an empty or degenerate range gets the range `[lo, lo + 1]`).
    pub fn new(lo: f64, hi: f64, target: usize) -> Ticks {
        let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
            (lo, hi)
        } else {
            let lo = if lo.is_finite() { lo } else { 0.0 };
            (lo, lo + 1.0)
        };
        let step = nice_step((hi - lo) / target.max(1) as f64);
        let first = (lo / step).floor() as i64;
        let last = (hi / step - 1e-9).ceil() as i64;
        let values = (first..=last.max(first + 1))
            .map(|k| clean(k as f64 * step))
            .collect();
        Ticks { values, step }
    }

    /// The first tick.
    pub fn first(&self) -> f64 {
        self.values[0]
    }

    /// The last tick.
    pub fn last(&self) -> f64 {
        self.values[self.values.len() - 1]
    }

    /// The label of tick value `x`: as many decimals as the step needs, thousands as `k`/`M`
    /// when the step is a multiple of them.
    pub fn label(&self, x: f64) -> String {
        let x = clean(x);
        if self.step >= 1e6 && (self.step / 1e6).fract() == 0.0 {
            return format!("{}M", x / 1e6);
        }
        if self.step >= 1e3 && (self.step / 1e3).fract() == 0.0 {
            return format!("{}k", x / 1e3);
        }
        let decimals = decimals(self.step);
        format!("{x:.decimals$}")
    }
}

/// The smallest 1, 2 or 5 × 10^k at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let raw = if raw > 0.0 && raw.is_finite() {
        raw
    } else {
        1.0
    };
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    clean(nice * mag)
}

/// Round away float noise (0.30000000000000004 → 0.3).
fn clean(x: f64) -> f64 {
    let r = (x * 1e9).round() / 1e9;
    if r == 0.0 { 0.0 } else { r }
}

/// Decimals needed to write multiples of `step` exactly.
fn decimals(step: f64) -> usize {
    (0..10)
        .find(|&d| {
            let s = step * 10f64.powi(d as i32);
            (s - s.round()).abs() < 1e-6
        })
        .unwrap_or(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_nice_and_cover_the_range() {
        let t = Ticks::new(0.0, 347.0, 8);
        assert_eq!(t.step, 50.0);
        assert_eq!(t.first(), 0.0);
        assert_eq!(t.last(), 350.0);
        assert_eq!(t.label(150.0), "150");
        let t = Ticks::new(0.0, 0.7, 7);
        assert_eq!(t.step, 0.1);
        assert_eq!(t.label(0.3), "0.3");
        assert_eq!(t.values.len(), 8);
        let t = Ticks::new(0.0, 52_000.0, 6);
        assert_eq!(t.step, 10_000.0);
        assert_eq!(t.label(20_000.0), "20k");
    }

    #[test]
    fn degenerate_ranges_still_get_ticks() {
        let t = Ticks::new(0.0, 0.0, 8);
        assert!(t.values.len() >= 2);
        let t = Ticks::new(f64::NAN, f64::INFINITY, 8);
        assert!(t.values.iter().all(|x| x.is_finite()));
    }
}
