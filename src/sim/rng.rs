//! Keyed random draws: every draw of a contact is addressed by *(seed, contact, purpose,
//! occurrence)*, never by the order in which the script consumes draws.
//!
//! Why: `diff` compares contact *i* of two script versions. If draws were taken in consumption
//! order, adding a PLAY before a MENU would hand that MENU a different random number and
//! reshuffle every caller. Here the MENU `consent` always reads its own slot of the contact's
//! stream, whatever runs before it.
//!
//! Layout: one ChaCha8 stream per contact (`set_stream(contact)`) supplies the contact's
//! 128-bit key; the n-th draw of a purpose is a keyed hash of (key, FNV-1a(purpose), n) through
//! the murmur3 64-bit finaliser. Why not seek the ChaCha stream per draw: every seek makes
//! rand_chacha regenerate a 4-block buffer (256 bytes) for 8 bytes used, which made the RNG most
//! of a contact's cost; one ChaCha refill per contact plus a few multiply-xorshifts per draw
//! keeps the per-contact loop above a million contacts per second per core.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A draw purpose, resolved at compile time: the FNV-1a hash of its key string (`"queue_wait"`,
/// `"menu:consent"`, `"policy:Sales QA"`...) and the index of its occurrence counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Purpose {
    pub(crate) hash: u64,
    pub(crate) counter: u32,
}

/// Interns purpose keys into [`Purpose`]s with dense counter indices.
#[derive(Debug, Default, Clone)]
pub struct Purposes {
    keys: Vec<String>,
    /// Key → counter: interning stays O(1) per key with thousands of MENUs / policies.
    index: std::collections::HashMap<String, usize>,
}

impl Purposes {
    pub fn intern(&mut self, key: &str) -> Purpose {
        let counter = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.keys.push(key.to_string());
                self.index.insert(key.to_string(), self.keys.len() - 1);
                self.keys.len() - 1
            }
        };
        Purpose { hash: crate::source::fnv1a64(key.as_bytes()), counter: counter as u32 }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The random source of one contact. Reused across contacts by a worker (`reset`).
pub struct Draws {
    rng: ChaCha8Rng,
    key: (u64, u64),
    counters: Vec<u32>,
}

/// murmur3's 64-bit finaliser: full avalanche of every input bit.
fn fmix64(mut z: u64) -> u64 {
    z ^= z >> 33;
    z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
    z ^= z >> 33;
    z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    z ^ (z >> 33)
}

impl Draws {
    pub fn new(seed: u64, purposes: usize) -> Self {
        Draws { rng: ChaCha8Rng::seed_from_u64(seed), key: (0, 0), counters: vec![0; purposes] }
    }

    /// Start contact `contact`: its own stream, every occurrence counter back to 0.
    pub fn reset(&mut self, contact: u64) {
        // Word position first: `set_stream` on a half-used buffer re-seeks, which makes
        // rand_chacha regenerate the 4-block buffer only to throw it away (it was a fifth of the
        // run time). Rewinding first empties the buffer, so the only refill is the one the key
        // draw below needs. Same stream, same words: the output is unchanged.
        self.rng.set_word_pos(0);
        self.rng.set_stream(contact);
        self.key = (self.rng.next_u64(), self.rng.next_u64());
        self.counters.iter_mut().for_each(|c| *c = 0);
    }

    /// The next raw 64-bit draw of `p` for this contact.
    pub fn next_u64(&mut self, p: Purpose) -> u64 {
        let c = &mut self.counters[p.counter as usize];
        let n = *c;
        *c = c.wrapping_add(1);
        let occurrence = fmix64(self.key.1 ^ u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        fmix64(self.key.0 ^ p.hash ^ occurrence)
    }

    /// Uniform in [0, 1), 53 bits.
    pub fn unit(&mut self, p: Purpose) -> f64 {
        // Through i64 (the value fits in 53 bits): one conversion instruction, same value.
        ((self.next_u64(p) >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1): never exactly 0 (for `ln`, and open talk intervals).
    pub fn open_unit(&mut self, p: Purpose) -> f64 {
        (((self.next_u64(p) >> 11) as i64) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `prob` (0 never, 1 always).
    pub fn chance(&mut self, p: Purpose, prob: f64) -> bool {
        if prob <= 0.0 {
            return false;
        }
        if prob >= 1.0 {
            return true;
        }
        self.unit(p) < prob
    }

    /// Uniform index in 0..n (n > 0), by multiply-shift (unbiased enough for n ≪ 2^32).
    pub fn index(&mut self, p: Purpose, n: usize) -> usize {
        ((u128::from(self.next_u64(p)) * n as u128) >> 64) as usize
    }

    /// Index into cumulative weights (last = total).
    pub fn weighted(&mut self, p: Purpose, cumulative: &[f64]) -> usize {
        let total = *cumulative.last().unwrap_or(&0.0);
        let x = self.unit(p) * total;
        cumulative.iter().position(|&c| x < c).unwrap_or(cumulative.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purpose_reads_the_same_values_whatever_was_drawn_before() {
        let mut ps = Purposes::default();
        let menu = ps.intern("menu:consent");
        let talk = ps.intern("talk");
        let mut a = Draws::new(7, ps.len());
        let mut b = Draws::new(7, ps.len());
        a.reset(3);
        b.reset(3);
        let _ = b.next_u64(talk);
        let _ = b.next_u64(talk);
        assert_eq!(a.next_u64(menu), b.next_u64(menu));
        assert_eq!(a.next_u64(menu), b.next_u64(menu));
        b.reset(4);
        a.reset(3);
        assert_ne!(a.next_u64(menu), b.next_u64(menu), "contacts have their own streams");
    }
}
