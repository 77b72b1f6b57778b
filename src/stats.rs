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

/// The change of one contact share between two runs on the *same* contacts (`diff`: contact
/// *i* meets the same caller in both), as a 2×2 table of paired outcomes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paired {
    /// Contacts counted in the old run.
    pub old: u64,
    /// Contacts counted in the new run.
    pub new: u64,
    /// Contacts counted in the old run only (they moved out).
    pub old_only: u64,
    /// Contacts counted in the new run only (they moved in).
    pub new_only: u64,
    /// All contacts.
    pub n: u64,
}

impl Paired {
    /// 95% interval of `new/n − old/n` in percentage points: Newcombe's hybrid score interval
    /// for the difference of paired proportions (Newcombe 1998, "Improved confidence intervals
    /// for the difference between binomial proportions based on paired data", Statistics in
    /// Medicine 17:2635–2650, method 10): the two Wilson intervals combined by square-and-add,
    /// with the correlation φ of the paired outcomes (numerator corrected towards 0 by n/2 as
    /// Newcombe does). Rounded to 3 decimals.
    pub fn ci95(&self) -> Ci {
        let [lo, hi] = newcombe_paired(self, Z95);
        [round3(100.0 * lo), round3(100.0 * hi)]
    }

    /// The change is within sampling noise: its 95% interval contains 0.
    pub fn within_noise(&self) -> bool {
        let [lo, hi] = newcombe_paired(self, Z95);
        lo <= 0.0 && 0.0 <= hi
    }

    /// McNemar's exact test (two-sided): the probability, if moving in and moving out were
    /// equally likely, of a split at least as uneven as `old_only` : `new_only`.
    pub fn mcnemar_p(&self) -> f64 {
        mcnemar_exact(self.old_only, self.new_only)
    }
}

/// Unrounded [`Paired::ci95`] as fractions, for quantile `z`.
pub fn newcombe_paired(t: &Paired, z: f64) -> [f64; 2] {
    let n = t.n;
    if n == 0 {
        return [-1.0, 1.0];
    }
    let nf = n as f64;
    // 2×2 table: a both, b new only, c old only, d neither ("1" = new, "2" = old).
    let (b, c) = (t.new_only as f64, t.old_only as f64);
    let a = t.old.saturating_sub(t.old_only) as f64;
    let d = (nf - a - b - c).max(0.0);
    let (p1, p2) = ((a + b) / nf, (a + c) / nf);
    let [l1, u1] = wilson_raw(t.new, n, z);
    let [l2, u2] = wilson_raw(t.old, n, z);
    let (e, f, g, h) = (a + b, c + d, a + c, b + d);
    let denom = (e * f * g * h).sqrt();
    let num = a * d - b * c;
    // Newcombe's correction of φ: a positive numerator is reduced by n/2 (not below 0).
    let num = if num > 0.0 { (num - nf / 2.0).max(0.0) } else { num };
    let phi = if denom > 0.0 { num / denom } else { 0.0 };
    let theta = p1 - p2;
    let (dl1, du1, dl2, du2) = (p1 - l1, u1 - p1, p2 - l2, u2 - p2);
    let lo = theta - (dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2).max(0.0).sqrt();
    let hi = theta + (du1 * du1 - 2.0 * phi * du1 * dl2 + dl2 * dl2).max(0.0).sqrt();
    [lo.max(-1.0), hi.min(1.0)]
}

/// McNemar's exact test, two-sided: `min(1, 2 · P(X ≤ min(b, c)))` for X ~ Binomial(b + c, ½).
/// Summed in log space, so millions of discordant pairs neither underflow nor overflow.
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    let m = b + c;
    if m == 0 {
        return 1.0;
    }
    let k = b.min(c);
    let mf = m as f64;
    // ln P(X = 0) = m ln ½; P(X = j+1) = P(X = j) · (m − j) / (j + 1).
    let mut ln_p = mf * 0.5f64.ln();
    let mut terms = Vec::with_capacity(k as usize + 1);
    terms.push(ln_p);
    for j in 0..k {
        ln_p += ((m - j) as f64).ln() - ((j + 1) as f64).ln();
        terms.push(ln_p);
    }
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ln_sum = max + terms.iter().map(|t| (t - max).exp()).sum::<f64>().ln();
    (2.0 * ln_sum.exp()).min(1.0)
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

    fn moved(old_only: u64, new_only: u64) -> Paired {
        // 1000 contacts, 500 counted in the old run.
        Paired { old: 500, new: 500 - old_only + new_only, old_only, new_only, n: 1000 }
    }

    #[test]
    fn twenty_of_a_thousand_moving_one_way_is_not_noise() {
        let t = moved(20, 0);
        assert!(!t.within_noise(), "{:?}", t.ci95());
        let [lo, hi] = t.ci95();
        assert!(lo < -2.0 && hi < 0.0, "{lo} {hi}");
        // McNemar exact: 2 · ½^20.
        assert!((t.mcnemar_p() - 2.0 * 0.5f64.powi(20)).abs() < 1e-12);
        // The old comparison called this noise: the two Wilson intervals overlap.
        assert!(wilson(500, 1000)[0] < wilson(480, 1000)[1]);
    }

    #[test]
    fn two_of_a_thousand_is_within_noise() {
        let t = moved(2, 0);
        assert!(t.within_noise(), "{:?}", t.ci95());
        assert!((t.mcnemar_p() - 0.5).abs() < 1e-12);
        // Moving both ways in equal numbers: no change, within noise, p = 1.
        let t = moved(30, 30);
        assert!(t.within_noise());
        assert_eq!(t.mcnemar_p(), 1.0);
    }

    #[test]
    fn newcombe_matches_the_reference_algorithm() {
        // Altman et al. (2000), "Statistics with confidence", Table 6.2: [[14, 5], [0, 22]]
        // (rows old yes / no, columns new yes / no). Method 10 with the φ correction, as in the
        // reference R code (biostatUZH `confIntPairedProportion`), evaluated independently:
        // old − new = 0.12195, interval [0.011483, 0.226493].
        let t = Paired { old: 19, new: 14, old_only: 5, new_only: 0, n: 41 };
        let [lo, hi] = newcombe_paired(&t, Z95);
        // Our difference is new − old: the interval mirrored.
        assert!((lo + 0.226_493).abs() < 1e-5, "{lo}");
        assert!((hi + 0.011_483).abs() < 1e-5, "{hi}");
    }

    #[test]
    fn mcnemar_handles_many_pairs() {
        let p = mcnemar_exact(1_000_000, 1_000_000);
        assert!((p - 1.0).abs() < 1e-9, "{p}");
        assert!(mcnemar_exact(0, 5_000) < 1e-300 || mcnemar_exact(0, 5_000) == 0.0);
    }

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
}
