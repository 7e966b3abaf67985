//! A consistent-hash ring: each server owns many virtual points on a 64-bit circle and a key
//! belongs to the first point at or after its hash. Adding a server moves only the keys that
//! now fall on its points; every other key keeps its server.

use sha2::{Digest, Sha256};

/// Virtual points per server; enough for an even spread over a handful of servers.
const POINTS_PER_NODE: usize = 160;

/// Maps keys to node indexes (positions in the list the ring was built from).
#[derive(Debug, Clone)]
pub(crate) struct HashRing {
    points: Vec<(u64, usize)>,
}

fn hash(bytes: &[u8]) -> u64 {
    let digest = Sha256::digest(bytes);
    let mut first = [0_u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

impl HashRing {
    /// Builds the ring; a node's points depend only on its name, not on its position.
    pub(crate) fn new<S: AsRef<str>>(nodes: &[S]) -> Self {
        let mut points = Vec::with_capacity(nodes.len() * POINTS_PER_NODE);
        for (index, node) in nodes.iter().enumerate() {
            for point in 0..POINTS_PER_NODE {
                let label = format!("{}#{point}", node.as_ref());
                points.push((hash(label.as_bytes()), index));
            }
        }
        points.sort_unstable();
        Self { points }
    }

    /// The node owning `key`; `None` only for an empty ring.
    pub(crate) fn node_for(&self, key: &str) -> Option<usize> {
        let h = hash(key.as_bytes());
        let at = self.points.partition_point(|(point, _)| *point < h);
        self.points
            .get(at)
            .or_else(|| self.points.first())
            .map(|(_, node)| *node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> impl Iterator<Item = String> {
        (0..3_000).map(|i| format!("rl:auth:login:user{i}@example.com:10.0.0.{}", i % 255))
    }

    #[test]
    fn an_empty_ring_owns_nothing() {
        assert_eq!(HashRing::new::<&str>(&[]).node_for("k"), None);
    }

    #[test]
    fn one_node_owns_every_key() {
        let ring = HashRing::new(&["a:1"]);
        assert!(keys().all(|k| ring.node_for(&k) == Some(0)));
    }

    #[test]
    fn keys_spread_roughly_evenly_over_three_nodes() {
        let ring = HashRing::new(&["10.0.0.1:11211", "10.0.0.2:11211", "10.0.0.3:11211"]);
        let mut counts = [0_usize; 3];
        for key in keys() {
            counts[ring.node_for(&key).unwrap()] += 1;
        }
        for count in counts {
            assert!((600..=1_400).contains(&count), "{counts:?}");
        }
    }

    #[test]
    fn adding_a_node_moves_only_the_keys_it_takes_over() {
        let before = HashRing::new(&["a:11211", "b:11211"]);
        let after = HashRing::new(&["a:11211", "b:11211", "c:11211"]);
        let mut moved = 0;
        for key in keys() {
            let new = after.node_for(&key).unwrap();
            if new == 2 {
                moved += 1;
            } else {
                assert_eq!(Some(new), before.node_for(&key), "{key} changed server");
            }
        }
        assert!((600..=1_400).contains(&moved), "{moved} keys moved");
    }

    #[test]
    fn the_mapping_does_not_depend_on_the_order_of_the_hosts() {
        let forward = HashRing::new(&["a:11211", "b:11211"]);
        let reverse = HashRing::new(&["b:11211", "a:11211"]);
        for key in keys() {
            assert_eq!(
                forward.node_for(&key).unwrap(),
                1 - reverse.node_for(&key).unwrap()
            );
        }
    }
}
