//! FNV-1a 64: the one tiny, fixed, platform-independent hash recflow uses — for digests of
//! tenant / traffic files (stable across versions and platforms) and for the simulator's draw
//! purposes (hashed once at compile time, never per contact).

/// 64-bit FNV-1a of a byte string.
pub const fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

/// A fast, non-cryptographic hasher for in-memory maps that are never iterated (so the hash
/// cannot reach any output): lint's pair index, the exact analysis's class index. Integers are
/// mixed one word at a time; byte strings (e.g. a `[u64]` key) eight bytes at a time.
#[derive(Default)]
pub struct FxHasher(u64);

/// `HashMap<K, V, FxBuild>` uses [`FxHasher`].
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Whole words by a fixed-size load (a copy of variable length was a `memcpy` call per
        // word: most of the cost of hashing exact analysis's state encodings); the tail padded
        // with zeros. The same values as eight-byte chunks of the bytes.
        let mut words = bytes.chunks_exact(8);
        for c in &mut words {
            self.write_u64(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let mut w = [0u8; 8];
            w[..tail.len()].copy_from_slice(tail);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64);
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    /// Bytes hash as their eight-byte little-endian words, the tail zero-padded: the same
    /// values whatever the length (whole words, a tail, empty).
    #[test]
    fn bytes_hash_as_their_words() {
        use std::hash::Hasher;
        let bytes: Vec<u8> = (0..29u8).map(|b| b.wrapping_mul(37)).collect();
        for n in [0, 1, 7, 8, 9, 16, 29] {
            let (mut a, mut b) = (super::FxHasher::default(), super::FxHasher::default());
            a.write(&bytes[..n]);
            for c in bytes[..n].chunks(8) {
                let mut w = [0u8; 8];
                w[..c.len()].copy_from_slice(c);
                b.write_u64(u64::from_le_bytes(w));
            }
            assert_eq!(a.finish(), b.finish(), "{n} bytes");
        }
    }

    #[test]
    fn fnv_known_values() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(super::fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(super::fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    }
}
