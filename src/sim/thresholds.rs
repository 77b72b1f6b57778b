//! Threshold splitting of random durations for exact analysis (`simulate --exact`,
//! docs/exact.md "Random durations: threshold splitting"; SEMANTICS A-29).
//!
//! A random duration matters to the engine only through the comparisons it makes with it: the
//! caller's patience against the queue wait, the answer against the hold loop's next action,
//! the talk against the R12 short-call threshold and the ONANSWER actions. Exact analysis keeps
//! such a duration *symbolic*: a [`Cell`] — "X ~ law, conditioned on lo ≤ X < hi" — and at each
//! comparison with a fixed time c it branches on "X < c" with the closed-form conditional
//! probability (F(c) − F(lo)) / (F(hi) − F(lo)), narrowing the cell on each side. When the event
//! fires, the engine needs a clock value: the cell's conditional mean, rounded to the ms (exact
//! in expectation for rewards affine in X, such as recorded seconds, up to that rounding).
//!
//! The model is continuous time: durations are real numbers, ties have probability 0;
//! the sampled engine's whole-millisecond rounding is a sampling artefact.
//!
//! Probabilities are fractions where every input is one (two exponentials race with
//! λp / (λw + λp), a uniform against a fixed time is linear); an exponential's CDF is not, and
//! is evaluated in f64 ([`Prob::exact`] is then `None`).

use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};

use crate::model::Dist;

/// A random duration's law, in ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Law {
    /// Exponential with this mean.
    Exp { mean: f64 },
    /// Uniform on [a, b) (a < b).
    Uniform { a: f64, b: f64 },
}

/// The law of `d` in ms, or `None` when it is a fixed duration (a degenerate uniform or a
/// non-positive mean is one: the engine draws it but always gets the same value).
pub fn law(d: Dist) -> Option<Law> {
    match d {
        Dist::Fixed(_) => None,
        Dist::Exp(mean) if mean > 0.0 && mean.is_finite() => Some(Law::Exp { mean: mean * 1000.0 }),
        Dist::Uniform(a, b) if b > a => Some(Law::Uniform { a: a * 1000.0, b: b * 1000.0 }),
        _ => None,
    }
}

/// A duration as recflow's traffic writes it (`exp(30 s)`, `uniform(10, 60 s)`, `20 s`).
pub fn describe(d: Dist) -> String {
    match d {
        Dist::Fixed(s) => format!("{s} s"),
        Dist::Exp(m) => format!("exp({m} s)"),
        Dist::Uniform(a, b) => format!("uniform({a}, {b} s)"),
    }
}

/// A probability from a closed form: its f64, and the exact fraction when every input of the
/// closed form is one.
#[derive(Clone, Debug, PartialEq)]
pub struct Prob {
    pub f: f64,
    pub exact: Option<BigRational>,
}

impl Prob {
    fn zero() -> Prob {
        Prob { f: 0.0, exact: Some(BigRational::zero()) }
    }
    fn one() -> Prob {
        Prob { f: 1.0, exact: Some(BigRational::one()) }
    }
    /// 1 − self.
    pub fn complement(&self) -> Prob {
        Prob { f: 1.0 - self.f, exact: self.exact.as_ref().map(|q| BigRational::one() - q) }
    }
    /// The exact fraction `q` (and its f64).
    pub fn rational(q: BigRational) -> Prob {
        Prob { f: q.to_f64().unwrap_or(0.0), exact: Some(q) }
    }
}

/// The talk's uniform times (`engine::talk`): P(N = n) for n = 0..=m, N the number of m iid
/// times uniform on [lo, hi) that fall before c (lo < c < hi) — Binomial(m, (c − lo)/(hi − lo)),
/// exact fractions (whole ms).
pub fn binomial_below(m: u32, lo: u64, c: u64, hi: u64) -> Vec<Prob> {
    let q = BigRational::new((c - lo).into(), (hi - lo).into());
    let r = BigRational::one() - &q;
    let mut out = Vec::with_capacity(m as usize + 1);
    let mut choose = num_bigint::BigInt::one();
    for n in 0..=m {
        let p = BigRational::from_integer(choose.clone()) * pow(&q, n) * pow(&r, m - n);
        out.push(Prob::rational(p));
        // C(m, n + 1) = C(m, n) (m − n) / (n + 1).
        choose = choose * (m - n) / (n + 1);
    }
    out
}

fn pow(x: &BigRational, n: u32) -> BigRational {
    (0..n).fold(BigRational::one(), |a, _| a * x)
}

/// A decimal read back as its fraction (`sim::exact::rational`): ms of a decimal number of
/// seconds are the decimal's fraction.
fn frac(x: f64) -> BigRational {
    if x == 0.0 { BigRational::zero() } else { super::exact::rational(x, 1.0) }
}

/// "X ~ law, conditioned on lo ≤ X < hi", X in ms from the moment it was drawn; `hi` may be
/// infinite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub law: Law,
    pub lo: f64,
    pub hi: f64,
}

impl Cell {
    /// The whole law: X ≥ 0.
    pub fn of(law: Law) -> Cell {
        Cell { law, lo: 0.0, hi: f64::INFINITY }
    }

    /// For a uniform law, the cell's bounds inside its support.
    fn support(&self) -> (f64, f64) {
        match self.law {
            Law::Exp { .. } => (self.lo, self.hi),
            Law::Uniform { a, b } => (self.lo.max(a), self.hi.min(b)),
        }
    }

    /// P(X < c | lo ≤ X < hi), closed form.
    pub fn below(&self, c: f64) -> Prob {
        let (lo, hi) = self.support();
        if c <= lo {
            return Prob::zero();
        }
        if c >= hi {
            return Prob::one();
        }
        match self.law {
            // (F(c) − F(lo)) / (F(hi) − F(lo)) with F(x) = 1 − e^(−x/m): memoryless, so only
            // the distances from lo count.
            Law::Exp { mean } => {
                let num = -(-(c - lo) / mean).exp_m1();
                let den = if hi.is_finite() { -(-(hi - lo) / mean).exp_m1() } else { 1.0 };
                let f = if den > 0.0 { (num / den).clamp(0.0, 1.0) } else { 1.0 };
                Prob { f, exact: None }
            }
            Law::Uniform { .. } => {
                let f = (c - lo) / (hi - lo);
                Prob { f, exact: Some((frac(c) - frac(lo)) / (frac(hi) - frac(lo))) }
            }
        }
    }

    /// E[X | lo ≤ X < hi], closed form.
    pub fn mean(&self) -> f64 {
        let (lo, hi) = self.support();
        match self.law {
            Law::Exp { mean } if hi.is_finite() => {
                // lo + m − d / (e^(d/m) − 1), d = hi − lo (→ lo + d/2 as d/m → 0).
                let d = hi - lo;
                let r = d / mean;
                if r < 1e-6 { lo + d / 2.0 } else { lo + mean - d / r.exp_m1() }
            }
            Law::Exp { mean } => lo + mean,
            Law::Uniform { .. } => (lo + hi) / 2.0,
        }
    }

    /// The clock value the engine uses when the event fires: the conditional mean rounded to
    /// the ms, kept inside the cell (so every comparison already made stays true).
    pub fn representative(&self) -> u64 {
        let (lo, hi) = self.support();
        let first = lo.max(0.0).ceil();
        let last = if hi.is_finite() { (hi.ceil() - 1.0).max(first) } else { f64::MAX };
        let m = self.mean().round().clamp(first, last);
        if m >= crate::source::MAX_MS as f64 { crate::source::MAX_MS } else { m as u64 }
    }
}

/// When a queued contact's fate (answer or abandon) happens: at a fixed time, or at a time
/// with a known conditional law.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum When {
    At(u64),
    Random(Cell),
}

/// The queue race of REQAGENT: W (queue wait) against P (patience); the caller abandons when
/// P < W (a tie goes to the answer; probability 0 in continuous time).
#[derive(Clone, Debug, PartialEq)]
pub struct Race {
    /// P(P < W).
    pub abandon: Prob,
    /// When the caller abandons (given that they do): P, conditioned on P < W.
    pub abandon_at: When,
    /// When an agent answers (given that one does): W, conditioned on W ≤ P.
    pub answer_at: When,
}

/// The queue race in closed form: `Ok(None)` when both durations are fixed (the engine
/// compares them itself), `Err(why)` when the first of the two has no closed form here.
pub fn race(wait: Dist, patience: Dist) -> Result<Option<Race>, String> {
    let fixed = |d: Dist| match d {
        Dist::Fixed(s) | Dist::Uniform(s, _) => super::compile::secs_to_ms(s),
        // A non-positive mean: the engine's draw is 0 ms.
        Dist::Exp(_) => 0,
    };
    match (law(wait), law(patience)) {
        (None, None) => Ok(None),
        // A fixed wait w: abandon iff P < w, at P (given P < w); otherwise answered at w.
        (None, Some(lp)) => {
            let w = fixed(wait);
            let cell = Cell::of(lp);
            Ok(Some(Race {
                abandon: cell.below(w as f64),
                abandon_at: When::Random(Cell { hi: w as f64, ..cell }),
                answer_at: When::At(w),
            }))
        }
        // A fixed patience p: abandon iff W > p, at p; otherwise answered at W (given W ≤ p).
        (Some(lw), None) => {
            let p = fixed(patience);
            let cell = Cell::of(lw);
            Ok(Some(Race {
                abandon: cell.below(p as f64).complement(),
                abandon_at: When::At(p),
                answer_at: When::Random(Cell { hi: p as f64, ..cell }),
            }))
        }
        // Two exponentials: P wins with λp / (λw + λp) = mw / (mw + mp), and the first of
        // them is exponential with rate λw + λp, whichever won (memorylessness).
        (Some(Law::Exp { mean: mw }), Some(Law::Exp { mean: mp })) => {
            let f = mw / (mw + mp);
            let exact = Some(frac(mw) / (frac(mw) + frac(mp)));
            let first = Cell::of(Law::Exp { mean: mw * mp / (mw + mp) });
            Ok(Some(Race {
                abandon: Prob { f, exact },
                abandon_at: When::Random(first),
                answer_at: When::Random(first),
            }))
        }
        _ => Err(format!(
            "the queue wait {} races the patience {}: which comes first has a closed form, but the \
             time of the first of the two does not have one recflow uses (it does when one of them \
             is fixed, or both are exponential)",
            describe(wait),
            describe(patience)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_exponentials_race_with_the_ratio_of_their_means() {
        let r = race(Dist::Exp(30.0), Dist::Exp(300.0)).unwrap().unwrap();
        assert_eq!(r.abandon.exact, Some(BigRational::new(1.into(), 11.into())));
        assert!((r.abandon.f - 1.0 / 11.0).abs() < 1e-16);
        // The first of the two: exponential with mean 1 / (1/30 + 1/300) s = 300/11 s.
        let When::Random(c) = r.answer_at else { panic!() };
        assert!((c.mean() - 300_000.0 / 11.0).abs() < 1e-9);
    }

    #[test]
    fn a_fixed_wait_against_exponential_patience_is_its_cdf() {
        let r = race(Dist::Fixed(30.0), Dist::Exp(300.0)).unwrap().unwrap();
        assert!((r.abandon.f - (1.0 - (-0.1f64).exp())).abs() < 1e-15);
        assert_eq!(r.abandon.exact, None);
        assert_eq!(r.answer_at, When::At(30_000));
        // Abandon: P given P < 30 s, mean below 15 s (the exponential leans to 0).
        let When::Random(c) = r.abandon_at else { panic!() };
        let m = c.mean();
        assert!(m > 14_000.0 && m < 15_000.0, "{m}");
        assert!(c.representative() < 30_000);
    }

    #[test]
    fn a_uniform_against_a_fixed_time_is_linear_and_rational() {
        let c = Cell::of(Law::Uniform { a: 10_000.0, b: 60_000.0 });
        assert_eq!(c.below(20_000.0).exact, Some(BigRational::new(1.into(), 5.into())));
        assert_eq!(c.below(5_000.0), Prob::zero());
        assert_eq!(c.below(70_000.0), Prob::one());
        let narrowed = Cell { lo: 20_000.0, ..c };
        assert_eq!(narrowed.below(30_000.0).exact, Some(BigRational::new(1.into(), 4.into())));
        assert_eq!(narrowed.representative(), 40_000);
    }

    #[test]
    fn a_bounded_exponential_cells_mean_stays_inside_it() {
        let c = Cell { law: Law::Exp { mean: 300_000.0 }, lo: 0.0, hi: 30_000.0 };
        // By hand: m − d / (e^(d/m) − 1) with d/m = 0.1.
        let want = 300_000.0 - 30_000.0 / 0.1f64.exp_m1();
        assert!((c.mean() - want).abs() < 1e-6);
        let tiny = Cell { law: Law::Exp { mean: 300_000.0 }, lo: 5.0, hi: 6.0 };
        assert_eq!(tiny.representative(), 5);
    }

    #[test]
    fn the_talks_times_split_binomially_in_fractions() {
        // Two uniform times on [0, 240 s) against 60 s: none, one, both before it.
        let q = binomial_below(2, 0, 60_000, 240_000);
        let r = |n: i64, d: i64| Some(BigRational::new(n.into(), d.into()));
        assert_eq!(q.iter().map(|p| p.exact.clone()).collect::<Vec<_>>(), vec![r(9, 16), r(6, 16), r(1, 16)]);
        let sum: f64 = binomial_below(7, 1_000, 1_003, 1_010).iter().map(|p| p.f).sum();
        assert!((sum - 1.0).abs() < 1e-15, "{sum}");
    }

    #[test]
    fn uniform_against_exponential_has_no_closed_form_here() {
        let why = race(Dist::Uniform(10.0, 60.0), Dist::Exp(300.0)).unwrap_err();
        assert!(why.contains("uniform(10, 60 s)") && why.contains("exp(300 s)"), "{why}");
        assert_eq!(race(Dist::Fixed(30.0), Dist::Fixed(300.0)), Ok(None));
    }
}
