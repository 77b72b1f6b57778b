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

/// A confidence interval for the mean of independent values in `[0, 1]` that holds for any
/// number of samples (`simulate --exact` with sampled durations: each sample's value is an
/// exact probability, and a run may hold only a few samples). Coverage at least `1 - delta`,
/// whatever the values' distribution, as the intersection of two bounds, each given
/// `delta / 2` (so both hold together with probability `1 - delta`):
///
/// - the **Chernoff–Hoeffding (Kullback–Leibler) bound** (Hoeffding 1963, Theorem 1):
///   `P(mean ≥ μ + t) ≤ exp(-n · kl(μ + t ‖ μ))` for values in `[0, 1]`, and the same below;
///   its interval `{μ : n · kl(mean ‖ μ) ≤ ln(4 / delta)}` stays in `[0, 1]` and is not empty at
///   mean 0: no sample showed the outcome still gives the upper end `1 - (delta / 4)^(1/n)`;
/// - the **empirical Bernstein bound** (Maurer & Pontil 2009, Theorem 4): each side
///   `sqrt(2 V ln(8 / delta) / n) + 7 ln(8 / delta) / (3 (n - 1))` with `V` the sample
///   variance (unbiased), narrow when the values vary little (many samples of a probability
///   the durations barely move). Needs `n ≥ 2`.
///
/// `n == 0`: nothing is known, `[0, 1]`.
pub fn mean_interval_01(values: &[f64], delta: f64) -> [f64; 2] {
    let n = values.len();
    if n == 0 {
        return [0.0, 1.0];
    }
    let nf = n as f64;
    let mean = (values.iter().sum::<f64>() / nf).clamp(0.0, 1.0);
    let [mut lo, mut hi] = kl_interval(mean, (4.0 / delta).ln() / nf);
    if n >= 2 {
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (nf - 1.0);
        let l = (8.0 / delta).ln();
        let half = (2.0 * var * l / nf).sqrt() + 7.0 * l / (3.0 * (nf - 1.0));
        lo = lo.max(mean - half);
        hi = hi.min(mean + half);
    }
    [lo.clamp(0.0, mean), hi.clamp(mean, 1.0)]
}

/// `kl(p ‖ q)` of two Bernoulli distributions (nats).
fn kl(p: f64, q: f64) -> f64 {
    let term = |a: f64, b: f64| if a <= 0.0 { 0.0 } else { a * (a / b).ln() };
    term(p, q) + term(1.0 - p, 1.0 - q)
}

/// `{q : kl(mean ‖ q) ≤ level}` by bisection (kl grows as `q` moves away from `mean`).
fn kl_interval(mean: f64, level: f64) -> [f64; 2] {
    let solve = |mut inside: f64, mut outside: f64| {
        for _ in 0..100 {
            let mid = 0.5 * (inside + outside);
            if kl(mean, mid) <= level {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        inside
    };
    let lo = if mean <= 0.0 || kl(mean, 0.0) <= level { 0.0 } else { solve(mean, 0.0) };
    let hi = if mean >= 1.0 || kl(mean, 1.0) <= level { 1.0 } else { solve(mean, 1.0) };
    [lo, hi]
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

    /// Issue 23: with 8 samples, an outcome no sample showed still has an upper end above 0 —
    /// the closed form `1 - (delta / 4)^(1/n)` of the KL bound at mean 0.
    #[test]
    fn mean_interval_of_eight_zeros_is_not_a_point() {
        let [lo, hi] = mean_interval_01(&[0.0; 8], 0.001);
        assert_eq!(lo, 0.0);
        assert!((hi - (1.0 - 0.00025f64.powf(1.0 / 8.0))).abs() < 1e-9, "{hi}");
        assert!(hi > 0.6 && hi < 0.7, "{hi}");
        // One sample: the KL bound alone.
        let [lo, hi] = mean_interval_01(&[0.5], 0.001);
        assert!(lo > 0.0 && lo < 0.01 && hi > 0.99 && hi < 1.0, "[{lo}, {hi}]");
        assert_eq!(mean_interval_01(&[], 0.001), [0.0, 1.0]);
    }

    /// Many samples of a value the durations do not move: the empirical Bernstein side keeps the
    /// interval narrow (± 2.1 points over 1 000 samples; the KL side alone would be ± 5).
    #[test]
    fn mean_interval_of_steady_values_is_narrow() {
        let v = vec![0.535; 1000];
        let [lo, hi] = mean_interval_01(&v, 0.001);
        assert!(lo < 0.535 && hi > 0.535 && hi - lo < 0.045, "[{lo}, {hi}]");
        let [klo, khi] = kl_interval(0.535, (4.0f64 / 0.001).ln() / 1000.0);
        assert!(khi - klo > 0.09, "[{klo}, {khi}]");
    }

    /// Never outside [0, 1], always around the mean, and at least the nominal coverage: 4 000
    /// trials of 8 values in [0, 1] (a rare outcome, as hybrid runs meet them) at delta = 0.1.
    #[test]
    fn mean_interval_stays_in_range_and_covers() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        };
        // Bernoulli values (the widest a [0, 1] variable can spread) and uniform ones on
        // [0, 2 truth]; both have mean `truth`.
        for (truth, n, bernoulli) in [
            (0.02, 8, true),
            (0.3, 8, true),
            (0.97, 20, true),
            (0.5, 2, true),
            (0.01, 8, false),
            (0.4, 30, false),
        ] {
            let mut missed = 0;
            for _ in 0..4000 {
                let v: Vec<f64> = (0..n)
                    .map(|_| match bernoulli {
                        true => f64::from(u8::from(next() < truth)),
                        false => 2.0 * truth * next(),
                    })
                    .collect();
                let mean = v.iter().sum::<f64>() / n as f64;
                let [lo, hi] = mean_interval_01(&v, 0.1);
                assert!((0.0..=mean).contains(&lo) && (mean..=1.0).contains(&hi), "{v:?}: [{lo}, {hi}]");
                missed += usize::from(!(lo..=hi).contains(&truth));
            }
            assert!(missed <= 400, "{truth} over {n}: missed {missed} of 4000");
        }
    }

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
