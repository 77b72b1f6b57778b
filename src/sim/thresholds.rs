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
    /// Density proportional to h(x) · e^(−(x − a)/mean) on [a, b) (a < b, b finite), h linear
    /// with h(a) = `fa`, h(b) = `fb` (both ≥ 0, not both 0); `mean` = ∞ for a linear (or
    /// constant) density. The time of the first of a queue race's two durations when they are
    /// not both exponential and neither is fixed ([`race`]): on each piece between the
    /// uniforms' ends, f_P · S_W (abandon) and f_W · S_P (answer) are of this form.
    Lin { a: f64, b: f64, fa: f64, fb: f64, mean: f64 },
}

/// The integrals over t in [0, 1) of (1 − t), t, t (1 − t) and t² times e^(−r t) (r ≥ 0): with
/// x = lo + d t, r = d / mean, a linear h with h(lo) = g0, h(lo + d) = g1 has
/// ∫ h(x) e^(−(x − lo)/mean) dx = d (g0 A + g1 B) and ∫ (x − lo) h(x) … dx = d² (g0 C + g1 D)
/// over [lo, lo + d): sums of non-negative terms, so no cancellation between them. For r < 2,
/// the power series Σ (−r)^k / k! · ∫ t^k p(t) dt (the closed forms below cancel as r → 0); else
/// A = (r − 1 + e^(−r)) / r², B = (1 − e^(−r) (1 + r)) / r², C = (r − 2 + e^(−r) (r + 2)) / r³,
/// D = (2 − e^(−r) (r² + 2r + 2)) / r³.
fn moments(r: f64) -> [f64; 4] {
    if r < 2.0 {
        let mut out = [0.0; 4];
        // term = (−r)^k / k!
        let mut term = 1.0f64;
        for k in 0..64 {
            let k1 = f64::from(k);
            out[0] += term / ((k1 + 1.0) * (k1 + 2.0));
            out[1] += term / (k1 + 2.0);
            out[2] += term / ((k1 + 2.0) * (k1 + 3.0));
            out[3] += term / (k1 + 3.0);
            term *= -r / (k1 + 1.0);
            if term.abs() < 1e-20 {
                break;
            }
        }
        out
    } else {
        let e = (-r).exp();
        let (r2, r3) = (r * r, r * r * r);
        [
            (r - 1.0 + e) / r2,
            (1.0 - e * (1.0 + r)) / r2,
            (r - 2.0 + e * (r + 2.0)) / r3,
            (2.0 - e * (r2 + 2.0 * r + 2.0)) / r3,
        ]
    }
}

impl Law {
    /// A [`Law::Lin`]'s h at x (a ≤ x ≤ b): the interpolation of its end values, a sum of
    /// non-negative terms.
    fn h(fa: f64, fb: f64, a: f64, b: f64, x: f64) -> f64 {
        ((fa * (b - x) + fb * (x - a)) / (b - a)).max(0.0)
    }

    /// The same as a fraction (every input read back as its decimal, as [`frac`] does).
    fn h_exact(fa: f64, fb: f64, a: f64, b: f64, x: f64) -> BigRational {
        let (a, b, x) = (frac(a), frac(b), frac(x));
        if b <= a {
            return BigRational::zero();
        }
        (frac(fa) * (&b - &x) + frac(fb) * (x - &a)) / (b - a)
    }
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
    /// The values X can take: the cell cut to the law's support.
    pub fn support(&self) -> (f64, f64) {
        match self.law {
            Law::Exp { .. } => (self.lo, self.hi),
            Law::Uniform { a, b } | Law::Lin { a, b, .. } => (self.lo.max(a), self.hi.min(b)),
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
            // ∫ from lo to c over ∫ from lo to hi, both relative to lo (`moments`); a linear
            // density (mean ∞) is a fraction: (c − lo)(h(lo) + h(c)) / ((hi − lo)(h(lo) + h(hi))).
            Law::Lin { a, b, fa, fb, mean } => {
                let h = |x: f64| Law::h(fa, fb, a, b, x);
                let part = |x: f64| {
                    let d = x - lo;
                    let [ma, mb, ..] = moments(d / mean);
                    d * (h(lo) * ma + h(x) * mb)
                };
                let (num, den) = (part(c), part(hi));
                // Only a degenerate law (an astronomically small mean) leaves no room here: its
                // mass is then all at lo.
                let f = if den > 0.0 && num.is_finite() && den.is_finite() {
                    (num / den).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                let exact = mean.is_infinite().then(|| {
                    let g = |x: f64| Law::h_exact(fa, fb, a, b, x);
                    let (g0, gc, gh) = (g(lo), g(c), g(hi));
                    let den = (frac(hi) - frac(lo)) * (&g0 + gh);
                    // (Zero only for times no decimal reads back: then the f64.)
                    (den > BigRational::zero()).then(|| (frac(c) - frac(lo)) * (g0 + gc) / den)
                });
                match exact.flatten() {
                    Some(q) if q >= BigRational::zero() && q <= BigRational::one() => Prob::rational(q),
                    _ => Prob { f, exact: None },
                }
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
            // lo + d (g0 C + g1 D) / (g0 A + g1 B) (`moments`).
            Law::Lin { a, b, fa, fb, mean } => {
                let (g0, g1) = (Law::h(fa, fb, a, b, lo), Law::h(fa, fb, a, b, hi));
                let d = hi - lo;
                let [ma, mb, mc, md] = moments(d / mean);
                let den = g0 * ma + g1 * mb;
                let x = lo + d * (g0 * mc + g1 * md) / den;
                if den > 0.0 && x.is_finite() { x.clamp(lo, hi) } else { lo }
            }
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
pub enum Race {
    /// One comparison: one of the two is fixed, or both are exponential.
    Binary {
        /// P(P < W).
        abandon: Prob,
        /// When the caller abandons (given that they do): P, conditioned on P < W.
        abandon_at: When,
        /// When an agent answers (given that one does): W, conditioned on W ≤ P.
        answer_at: When,
    },
    /// A uniform against an exponential or another uniform: the first of the two, on each
    /// piece between the uniforms' ends, and which of them it is — outcomes whose
    /// probabilities sum to 1, each with its time's law on its piece ([`Law::Lin`]).
    Pieces(Vec<Piece>),
}

/// One outcome of a [`Race::Pieces`]: the caller abandons (or is answered) at a time in `at`,
/// with probability `p`.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub abandon: bool,
    pub p: Prob,
    pub at: Cell,
}

/// The queue race in closed form; `None` when both durations are fixed (the engine compares
/// them itself).
pub fn race(wait: Dist, patience: Dist) -> Option<Race> {
    let fixed = |d: Dist| match d {
        Dist::Fixed(s) | Dist::Uniform(s, _) => super::compile::secs_to_ms(s),
        // A non-positive mean: the engine's draw is 0 ms.
        Dist::Exp(_) => 0,
    };
    match (law(wait), law(patience)) {
        (None, None) => None,
        // A fixed wait w: abandon iff P < w, at P (given P < w); otherwise answered at w.
        (None, Some(lp)) => {
            let w = fixed(wait);
            let cell = Cell::of(lp);
            Some(Race::Binary {
                abandon: cell.below(w as f64),
                abandon_at: When::Random(Cell { hi: w as f64, ..cell }),
                answer_at: When::At(w),
            })
        }
        // A fixed patience p: abandon iff W > p, at p; otherwise answered at W (given W ≤ p).
        (Some(lw), None) => {
            let p = fixed(patience);
            let cell = Cell::of(lw);
            Some(Race::Binary {
                abandon: cell.below(p as f64).complement(),
                abandon_at: When::At(p),
                answer_at: When::Random(Cell { hi: p as f64, ..cell }),
            })
        }
        // Two exponentials: P wins with λp / (λw + λp) = mw / (mw + mp), and the first of
        // them is exponential with rate λw + λp, whichever won (memorylessness).
        (Some(Law::Exp { mean: mw }), Some(Law::Exp { mean: mp })) => {
            let f = mw / (mw + mp);
            let exact = Some(frac(mw) / (frac(mw) + frac(mp)));
            let first = Cell::of(Law::Exp { mean: mw * mp / (mw + mp) });
            Some(Race::Binary {
                abandon: Prob { f, exact },
                abandon_at: When::Random(first),
                answer_at: When::Random(first),
            })
        }
        (Some(lw), Some(lp)) => Some(Race::Pieces(pieces(lw, lp))),
    }
}

/// The race of two laws of which at least one is uniform, piece by piece (docs/exact.md
/// "Random durations: threshold splitting"). The caller abandons at x with density
/// f_P(x) S_W(x) and is answered at x with f_W(x) S_P(x) (S = 1 − F). Between consecutive
/// ends of the uniforms, each is h(x) e^(−x/m) with h linear, m the exponential's mean (∞ when
/// both are uniform): a uniform U(a, b) has f = 1/(b − a) and S = (b − x)/(b − a) on [a, b),
/// f = 0 and S = 1 before a; an exponential f = e^(−x/m)/m, S = e^(−x/m). Scaled by
/// N = (b − a) or m per law, every h is a difference of times in ms: f̃ = 1 (or 0 outside a
/// uniform), S̃ = b − x clamped to [0, b − a], S̃ = m for the exponential. A piece [x0, x1)
/// then has probability e^(−x0/m) (x1 − x0) (h(x0) A + h(x1) B) / N (`moments`), and with two
/// uniforms (x1 − x0)(h(x0) + h(x1)) / (2N), a fraction; past the first uniform's end, nothing
/// is left. Outcomes in time order, the abandonment first within a piece; those of probability
/// 0 are left out.
fn pieces(lw: Law, lp: Law) -> Vec<Piece> {
    // Each law as (is it uniform, a, b, scale N): an exponential has no ends.
    let parts = |l: Law| match l {
        Law::Uniform { a, b } => (true, a, b, b - a),
        Law::Exp { mean } => (false, 0.0, f64::INFINITY, mean),
        // Not a traffic law (`law` never gives it).
        Law::Lin { a, b, .. } => (true, a, b, b - a),
    };
    let (w, p) = (parts(lw), parts(lp));
    let mean = match (lw, lp) {
        (Law::Exp { mean }, _) | (_, Law::Exp { mean }) => mean,
        _ => f64::INFINITY,
    };
    let end = w.2.min(p.2);
    let mut cuts: Vec<f64> = [0.0, w.1, w.2, p.1, p.2].into_iter().filter(|x| *x <= end).collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    // f̃ on the piece [x0, x1) and S̃ at x, as fractions (ms read back as decimals) and f64.
    let f_of = |l: (bool, f64, f64, f64), x0: f64, x1: f64| !l.0 || (l.1 <= x0 && x1 <= l.2);
    let s_of = |l: (bool, f64, f64, f64), x: f64| -> (f64, BigRational) {
        if l.0 {
            let v = (l.2 - x).clamp(0.0, l.3);
            let q = (frac(l.2) - frac(x)).clamp(BigRational::zero(), frac(l.2) - frac(l.1));
            (v, q)
        } else {
            (l.3, frac(l.3))
        }
    };
    let n = w.3 * p.3;
    let n_exact = frac(w.3) * frac(p.3);
    let mut out = Vec::new();
    for win in cuts.windows(2) {
        let (x0, x1) = (win[0], win[1]);
        let d = x1 - x0;
        let [ma, mb, ..] = moments(d / mean);
        let decay = if mean.is_finite() { (-x0 / mean).exp() } else { 1.0 };
        // (abandon, f̃ of the winner, S̃ of the other)
        for (abandon, winner, other) in [(true, p, w), (false, w, p)] {
            if !f_of(winner, x0, x1) {
                continue;
            }
            let ((h0, g0), (h1, g1)) = (s_of(other, x0), s_of(other, x1));
            if h0 <= 0.0 && h1 <= 0.0 {
                continue;
            }
            let prob = if mean.is_finite() {
                Prob { f: (decay * d * (h0 * ma + h1 * mb) / n).clamp(0.0, 1.0), exact: None }
            } else {
                Prob::rational(
                    (frac(x1) - frac(x0)) * (g0 + g1) / (BigRational::from_integer(2.into()) * &n_exact),
                )
            };
            if prob.f <= 0.0 && prob.exact.as_ref().is_none_or(Zero::is_zero) {
                continue;
            }
            let law = Law::Lin { a: x0, b: x1, fa: h0, fb: h1, mean };
            out.push(Piece { abandon, p: prob, at: Cell { law, lo: x0, hi: x1 } });
        }
    }
    // With an exponential the pieces' f64s sum to 1 up to rounding: scaled so they do (the
    // exploring source gives the last outcome the rest of the mass exactly, `Source::split`).
    let total: f64 = out.iter().map(|o| o.p.f).sum();
    if mean.is_finite() && total > 0.0 {
        out.iter_mut().for_each(|o| o.p.f /= total);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_exponentials_race_with_the_ratio_of_their_means() {
        let Some(Race::Binary { abandon, answer_at, .. }) = race(Dist::Exp(30.0), Dist::Exp(300.0)) else {
            panic!()
        };
        assert_eq!(abandon.exact, Some(BigRational::new(1.into(), 11.into())));
        assert!((abandon.f - 1.0 / 11.0).abs() < 1e-16);
        // The first of the two: exponential with mean 1 / (1/30 + 1/300) s = 300/11 s.
        let When::Random(c) = answer_at else { panic!() };
        assert!((c.mean() - 300_000.0 / 11.0).abs() < 1e-9);
    }

    #[test]
    fn a_fixed_wait_against_exponential_patience_is_its_cdf() {
        let Some(Race::Binary { abandon, abandon_at, answer_at }) = race(Dist::Fixed(30.0), Dist::Exp(300.0))
        else {
            panic!()
        };
        assert!((abandon.f - (1.0 - (-0.1f64).exp())).abs() < 1e-15);
        assert_eq!(abandon.exact, None);
        assert_eq!(answer_at, When::At(30_000));
        // Abandon: P given P < 30 s, mean below 15 s (the exponential leans to 0).
        let When::Random(c) = abandon_at else { panic!() };
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
    fn two_fixed_durations_are_compared_by_the_engine() {
        assert_eq!(race(Dist::Fixed(30.0), Dist::Fixed(300.0)), None);
    }

    /// ∫ from lo to x of the law's density (up to its constant), by Simpson's rule over `n`
    /// intervals, relative to lo (the constant factor e^(−lo/m) cancels in every ratio).
    fn simpson(law: Law, lo: f64, x: f64, moment: bool) -> f64 {
        let Law::Lin { a, b, fa, fb, mean } = law else { panic!() };
        let g = |y: f64| {
            let h = (fa * (b - y) + fb * (y - a)) / (b - a);
            h * (-(y - lo) / mean).exp() * if moment { y - lo } else { 1.0 }
        };
        let n = 200_000;
        let step = (x - lo) / f64::from(n);
        let mut sum = g(lo) + g(x);
        for k in 1..n {
            sum += g(lo + step * f64::from(k)) * if k % 2 == 1 { 4.0 } else { 2.0 };
        }
        sum * step / 3.0
    }

    fn close(x: f64, want: f64, rel: f64) {
        assert!((x - want).abs() <= rel * want.abs(), "{x} vs {want} (relative {:e})", (x - want) / want);
    }

    #[test]
    fn an_exponential_times_linear_cells_cdf_and_mean_match_numeric_integration() {
        // (a, b, h(a), h(b), mean) in ms: decreasing, increasing, constant; the exponential
        // mild, steep (r = d/m up to 10 over the law), nearly flat, and absent (linear).
        let laws = [
            (10_000.0, 60_000.0, 50_000.0, 0.0, 300_000.0),
            (10_000.0, 60_000.0, 0.0, 50_000.0, 300_000.0),
            (0.0, 60_000.0, 60_000.0, 60_000.0, 6_000.0),
            (0.0, 60_000.0, 60_000.0, 1.0, 6_000.0),
            (20_000.0, 200_000.0, 180_000.0, 40_000.0, 18_000.0),
            (0.0, 1_000.0, 3.0, 7.0, 1e15),
            (20_000.0, 60_000.0, 40_000.0, 0.0, f64::INFINITY),
        ];
        for (a, b, fa, fb, mean) in laws {
            let law = Law::Lin { a, b, fa, fb, mean };
            for (lo, hi) in [
                (a, b),
                (a + (b - a) / 3.0, b),
                (a, a + (b - a) * 0.7),
                (a + (b - a) * 0.45, a + (b - a) * 0.55),
            ] {
                let cell = Cell { law, lo, hi };
                for t in [0.001, 0.2, 0.5, 0.93] {
                    let c = lo + (hi - lo) * t;
                    let want = simpson(law, lo, c, false) / simpson(law, lo, hi, false);
                    close(cell.below(c).f, want, 1e-12);
                }
                let want = lo + simpson(law, lo, hi, true) / simpson(law, lo, hi, false);
                close(cell.mean(), want, 1e-12);
            }
        }
    }

    #[test]
    fn a_linear_cell_is_a_fraction_and_its_mean_is_a_third_of_the_way() {
        // Density ∝ 60 − x (s) on [20, 60): ∫20^40 / ∫20^60 = 600 / 800 = 3/4, mean 20 + 40/3.
        let c = Cell {
            law: Law::Lin { a: 20_000.0, b: 60_000.0, fa: 40_000.0, fb: 0.0, mean: f64::INFINITY },
            lo: 20_000.0,
            hi: 60_000.0,
        };
        assert_eq!(c.below(40_000.0).exact, Some(BigRational::new(3.into(), 4.into())));
        close(c.mean(), 20_000.0 + 40_000.0 / 3.0, 1e-15);
        assert_eq!(c.representative(), 33_333);
    }

    #[test]
    fn extreme_cells_give_no_nan_and_probabilities_in_0_1() {
        // Tiny intervals (cancellation in 1 − e^(−r)(1 + r)), a huge mean, a tiny one, far in
        // the tail (lo/m = 10⁴: e^(−lo/m) underflows, but everything is relative to lo).
        let means = [1e-300, 1e-3, 1.0, 300_000.0, 1e15, 1e300, f64::INFINITY];
        let spans = [(0.0, 1e-9), (0.0, 1.0), (5.0, 6.0), (0.0, 60_000.0), (3e9, 3e9 + 1.0), (1e12, 2e12)];
        for mean in means {
            for (a, b) in spans {
                for (fa, fb) in [(1.0, 0.0), (0.0, 1.0), (b - a, b - a), (1e-300, 1e300)] {
                    let law = Law::Lin { a, b, fa, fb, mean };
                    for (lo, hi) in [(a, b), (a + (b - a) * 1e-12, b), (a, a + (b - a) * 1e-9)] {
                        if hi <= lo {
                            continue;
                        }
                        let cell = Cell { law, lo, hi };
                        for t in [1e-15, 1e-6, 0.5, 1.0 - 1e-12] {
                            let p = cell.below(lo + (hi - lo) * t).f;
                            assert!((0.0..=1.0).contains(&p), "{cell:?} at {t}: {p}");
                        }
                        let m = cell.mean();
                        assert!(m >= lo && m <= hi, "{cell:?}: mean {m}");
                    }
                }
            }
        }
        // A tiny interval (1 µs) of a mild exponential, where the antiderivative
        // −m e^(−x/m)(α + βx + βm) cancels in all but a few digits: still to 1e-12, and
        // within r = d/m of the linear law.
        let exp =
            Cell { law: Law::Lin { a: 0.0, b: 1e-3, fa: 2.0, fb: 1.0, mean: 300_000.0 }, lo: 0.0, hi: 1e-3 };
        let want = simpson(exp.law, 0.0, 4e-4, false) / simpson(exp.law, 0.0, 1e-3, false);
        close(exp.below(4e-4).f, want, 1e-12);
        close(exp.mean(), simpson(exp.law, 0.0, 1e-3, true) / simpson(exp.law, 0.0, 1e-3, false), 1e-12);
        let lin = Cell { law: Law::Lin { a: 0.0, b: 1e-3, fa: 2.0, fb: 1.0, mean: f64::INFINITY }, ..exp };
        close(exp.below(4e-4).f, lin.below(4e-4).f, 1e-8);
        // The linear law's CDF at c: (c − lo)(h(lo) + h(c)) / ((hi − lo)(h(lo) + h(hi))).
        close(lin.below(4e-4).f, 0.4 * (2.0 + 1.6) / 3.0, 1e-15);
    }

    fn race_pieces(w: Dist, p: Dist) -> Vec<Piece> {
        let Some(Race::Pieces(pieces)) = race(w, p) else { panic!("{w:?} {p:?}") };
        let sum: f64 = pieces.iter().map(|o| o.p.f).sum();
        assert!((sum - 1.0).abs() < 1e-15, "{sum}");
        pieces
    }

    #[test]
    fn a_uniform_wait_against_exponential_patience_abandons_with_its_closed_form() {
        // W ~ U(0, 60 s), P ~ exp(300 s): P(abandon) = ∫0^60 (1/60)(1 − e^(−x/300)) dx
        // = 1 − 5 (1 − e^(−0.2)). One piece [0, 60 s): abandon, answer.
        let o = race_pieces(Dist::Uniform(0.0, 60.0), Dist::Exp(300.0));
        assert_eq!(o.iter().map(|o| o.abandon).collect::<Vec<_>>(), vec![true, false]);
        close(o[0].p.f, 1.0 - 5.0 * (1.0 - (-0.2f64).exp()), 1e-12);
        assert!(o[0].p.exact.is_none());
        // The answer's time: W given W ≤ P, density ∝ e^(−x/300) on [0, 60): a truncated
        // exponential, mean m − d / (e^(d/m) − 1).
        let m = 300_000.0;
        close(o[1].at.mean(), m - 60_000.0 / 0.2f64.exp_m1(), 1e-12);
        // W ~ U(10, 60 s): abandons before 10 s with 1 − e^(−10/300); in [10, 60) with
        // ∫ (60 − x)/50 · e^(−x/m)/m dx = e^(−a/m) − (m/(b − a))(e^(−a/m) − e^(−b/m)); answered
        // with ∫ e^(−x/m)/50 dx = (m/(b − a))(e^(−a/m) − e^(−b/m)).
        let o = race_pieces(Dist::Uniform(10.0, 60.0), Dist::Exp(300.0));
        assert_eq!(o.iter().map(|o| o.abandon).collect::<Vec<_>>(), vec![true, true, false]);
        let (a, b, m) = (10.0f64, 60.0f64, 300.0f64);
        let (ea, eb) = ((-a / m).exp(), (-b / m).exp());
        close(o[0].p.f, 1.0 - ea, 1e-12);
        close(o[1].p.f, ea - m / (b - a) * (ea - eb), 1e-12);
        close(o[2].p.f, m / (b - a) * (ea - eb), 1e-12);
        assert_eq!((o[0].at.lo, o[0].at.hi, o[1].at.lo, o[1].at.hi), (0.0, 10_000.0, 10_000.0, 60_000.0));
    }

    #[test]
    fn an_exponential_wait_against_uniform_patience_is_the_mirror_image() {
        // W ~ exp(30 s), P ~ U(10, 120 s): answered before 10 s with 1 − e^(−10/30); answered
        // in [10, 120) with e^(−a/m) − (m/(b − a))(e^(−a/m) − e^(−b/m)); abandons with
        // (m/(b − a))(e^(−a/m) − e^(−b/m)).
        let o = race_pieces(Dist::Exp(30.0), Dist::Uniform(10.0, 120.0));
        assert_eq!(o.iter().map(|o| o.abandon).collect::<Vec<_>>(), vec![false, true, false]);
        let (a, b, m) = (10.0f64, 120.0f64, 30.0f64);
        let (ea, eb) = ((-a / m).exp(), (-b / m).exp());
        close(o[0].p.f, 1.0 - ea, 1e-12);
        close(o[1].p.f, m / (b - a) * (ea - eb), 1e-12);
        close(o[2].p.f, ea - m / (b - a) * (ea - eb), 1e-12);
    }

    #[test]
    fn two_uniforms_race_in_fractions() {
        // W ~ U(0, 60 s), P ~ U(20, 200 s). On [0, 20): answered, 20/60 = 1/3. On [20, 60):
        // abandons with ∫ (1/180)(60 − x)/60 dx = (40²/2)/10800 = 2/27, answered with
        // ∫ (1/60)(200 − x)/180 dx = (200·40 − (60² − 20²)/2)/10800 = 6400/10800 = 16/27.
        let o = race_pieces(Dist::Uniform(0.0, 60.0), Dist::Uniform(20.0, 200.0));
        let r = |n: i64, d: i64| Some(BigRational::new(n.into(), d.into()));
        assert_eq!(
            o.iter().map(|o| (o.abandon, o.p.exact.clone())).collect::<Vec<_>>(),
            vec![(false, r(1, 3)), (true, r(2, 27)), (false, r(16, 27))]
        );
        // The abandonment's time: density ∝ 60 − x on [20, 60): before 40 s with 3/4.
        assert_eq!(o[1].at.below(40_000.0).exact, r(3, 4));
        // The two the other way round: W ~ U(20, 200 s), P ~ U(0, 60 s): P(abandon) = 1 − 2/27.
        let o = race_pieces(Dist::Uniform(20.0, 200.0), Dist::Uniform(0.0, 60.0));
        let abandon: BigRational = o.iter().filter(|o| o.abandon).map(|o| o.p.exact.clone().unwrap()).sum();
        assert_eq!(Some(abandon), r(25, 27));
    }
}
