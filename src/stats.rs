//! Sampling uncertainty of the shares recflow reports.
//!
//! Every share is a proportion `k` of `n` contacts; its 95% interval is the **Wilson score
//! interval**. Wilson rather than the textbook normal ("Wald") interval because recflow's
//! shares are often near 0% or 100% (findings, DNR) where Wald collapses to a zero-width
//! interval or leaves [0, 100]; Wilson stays inside [0, 100] and keeps close to its nominal
//! 95% coverage even for small `n` (tests/sim_intervals.rs measures the coverage).

/// The 97.5% quantile of the standard normal distribution: a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A 95% interval in percent, `[lo, hi]`, rounded to 3 decimals like every percentage in the
/// report (stable text, no float noise in snapshots).
pub type Ci = [f64; 2];

/// Wilson score 95% interval of `k` successes in `n` trials, in percent. With `n == 0` nothing
/// is known: the interval is the whole range `[0, 100]`.
pub fn wilson(k: u64, n: u64) -> Ci {
    let [lo, hi] = wilson_raw(k, n, Z95);
    [round3(100.0 * lo), round3(100.0 * hi)]
}

/// Unrounded Wilson interval as fractions in [0, 1], for quantile `z`.
pub fn wilson_raw(k: u64, n: u64, z: f64) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let k = k.min(n);
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    // The exact endpoints at k = 0 / k = n are 0 and 1; clamp away rounding below 0 / above 1.
    let lo = if k == 0 { 0.0 } else { (centre - half).max(0.0) };
    let hi = if k == n { 1.0 } else { (centre + half).min(1.0) };
    [lo, hi]
}

/// Half the width of the 95% interval of `k` of `n`, in percentage points (unrounded): the
/// quantity `simulate --precision` drives below its target.
pub fn half_width_pp(k: u64, n: u64) -> f64 {
    let [lo, hi] = wilson_raw(k, n, Z95);
    50.0 * (hi - lo)
}

/// Do two intervals overlap (share at least one point)? `diff` calls a delta whose intervals
/// overlap sampling noise.
pub fn overlap(a: Ci, b: Ci) -> bool {
    a[0] <= b[1] && b[0] <= a[1]
}

/// `[46.6, 52.8]`: the human form, one decimal.
pub fn fmt_ci(c: Ci) -> String {
    format!("[{:.1}, {:.1}]", c[0], c[1])
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_published_value() {
        // 497 of 1000: p = 0.497, Wilson 95% = [0.4661, 0.5279] (computed independently with
        // the closed form; also what R's prop.test(correct = FALSE) prints).
        let [lo, hi] = wilson(497, 1000);
        assert!((lo - 46.61).abs() < 0.01, "{lo}");
        assert!((hi - 52.79).abs() < 0.01, "{hi}");
    }

    #[test]
    fn wilson_edges_stay_in_range() {
        assert_eq!(wilson(0, 0), [0.0, 100.0]);
        let [lo, hi] = wilson(0, 1000);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0 && hi < 1.0, "{hi}");
        let [lo, hi] = wilson(1000, 1000);
        assert_eq!(hi, 100.0);
        assert!(lo > 99.0 && lo < 100.0, "{lo}");
    }

    #[test]
    fn overlap_is_symmetric_and_touching_counts() {
        assert!(overlap([1.0, 2.0], [2.0, 3.0]));
        assert!(!overlap([1.0, 2.0], [2.5, 3.0]));
        assert!(!overlap([2.5, 3.0], [1.0, 2.0]));
    }
}
