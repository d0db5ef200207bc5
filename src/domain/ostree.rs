//! An ordered set that also counts: insert, remove, "how many keys are below this one" and
//! the first n keys, each in O(log n) expected time. A treap (a binary search tree whose
//! nodes also obey a heap order on random priorities) kept in one vector, with the size of
//! every subtree. The live leaderboard keeps each round's entries in one, so a new entry
//! moves into place without ranking everyone again.

const NIL: u32 = u32::MAX;

#[derive(Clone, Debug)]
struct Node<K> {
    key: K,
    priority: u32,
    left: u32,
    right: u32,
    size: u32,
}

#[derive(Clone, Debug)]
pub struct OsTree<K> {
    nodes: Vec<Node<K>>,
    free: Vec<u32>,
    root: u32,
    seed: u64,
}

impl<K: Ord> Default for OsTree<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Ord> OsTree<K> {
    pub fn new() -> Self {
        Self {
            nodes: Vec::new(),
            free: Vec::new(),
            root: NIL,
            seed: 0x9E37_79B9_7F4A_7C15,
        }
    }

    pub fn with_capacity(n: usize) -> Self {
        let mut t = Self::new();
        t.nodes.reserve(n);
        t
    }

    pub fn len(&self) -> usize {
        self.size(self.root) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.root == NIL
    }

    fn size(&self, n: u32) -> u32 {
        if n == NIL {
            0
        } else {
            self.nodes[n as usize].size
        }
    }

    fn fix(&mut self, n: u32) {
        let (l, r) = {
            let node = &self.nodes[n as usize];
            (node.left, node.right)
        };
        self.nodes[n as usize].size = 1 + self.size(l) + self.size(r);
    }

    fn next_priority(&mut self) -> u32 {
        // xorshift64*: the shape depends only on the order of operations, never on the keys.
        self.seed ^= self.seed >> 12;
        self.seed ^= self.seed << 25;
        self.seed ^= self.seed >> 27;
        (self.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }

    /// Splits the subtree `n` into the keys below `key` and the rest.
    fn split(&mut self, n: u32, key: &K) -> (u32, u32) {
        if n == NIL {
            return (NIL, NIL);
        }
        if self.nodes[n as usize].key < *key {
            let right = self.nodes[n as usize].right;
            let (a, b) = self.split(right, key);
            self.nodes[n as usize].right = a;
            self.fix(n);
            (n, b)
        } else {
            let left = self.nodes[n as usize].left;
            let (a, b) = self.split(left, key);
            self.nodes[n as usize].left = b;
            self.fix(n);
            (a, n)
        }
    }

    /// Joins two subtrees, every key of `a` below every key of `b`.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        if self.nodes[a as usize].priority > self.nodes[b as usize].priority {
            let right = self.nodes[a as usize].right;
            self.nodes[a as usize].right = self.merge(right, b);
            self.fix(a);
            a
        } else {
            let left = self.nodes[b as usize].left;
            self.nodes[b as usize].left = self.merge(a, left);
            self.fix(b);
            b
        }
    }

    fn find(&self, key: &K) -> bool {
        let mut n = self.root;
        while n != NIL {
            let node = &self.nodes[n as usize];
            match key.cmp(&node.key) {
                std::cmp::Ordering::Less => n = node.left,
                std::cmp::Ordering::Greater => n = node.right,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// Adds a key; false (and no change) when it is there already.
    pub fn insert(&mut self, key: K) -> bool {
        if self.find(&key) {
            return false;
        }
        let (a, b) = self.split(self.root, &key);
        let node = Node {
            key,
            priority: self.next_priority(),
            left: NIL,
            right: NIL,
            size: 1,
        };
        let n = match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        let left = self.merge(a, n);
        self.root = self.merge(left, b);
        true
    }

    /// Removes a key; false when it was not there.
    pub fn remove(&mut self, key: &K) -> bool {
        let (root, removed) = self.remove_in(self.root, key);
        self.root = root;
        removed
    }

    fn remove_in(&mut self, n: u32, key: &K) -> (u32, bool) {
        if n == NIL {
            return (NIL, false);
        }
        match key.cmp(&self.nodes[n as usize].key) {
            std::cmp::Ordering::Equal => {
                let (l, r) = (self.nodes[n as usize].left, self.nodes[n as usize].right);
                self.free.push(n);
                (self.merge(l, r), true)
            }
            std::cmp::Ordering::Less => {
                let left = self.nodes[n as usize].left;
                let (sub, removed) = self.remove_in(left, key);
                self.nodes[n as usize].left = sub;
                self.fix(n);
                (n, removed)
            }
            std::cmp::Ordering::Greater => {
                let right = self.nodes[n as usize].right;
                let (sub, removed) = self.remove_in(right, key);
                self.nodes[n as usize].right = sub;
                self.fix(n);
                (n, removed)
            }
        }
    }

    /// How many keys are strictly below `key`.
    pub fn count_below(&self, key: &K) -> usize {
        let mut n = self.root;
        let mut below = 0usize;
        while n != NIL {
            let node = &self.nodes[n as usize];
            if node.key < *key {
                below += self.size(node.left) as usize + 1;
                n = node.right;
            } else {
                n = node.left;
            }
        }
        below
    }

    /// The key with `i` keys below it.
    pub fn nth(&self, mut i: usize) -> Option<&K> {
        let mut n = self.root;
        while n != NIL {
            let node = &self.nodes[n as usize];
            let left = self.size(node.left) as usize;
            match i.cmp(&left) {
                std::cmp::Ordering::Less => n = node.left,
                std::cmp::Ordering::Equal => return Some(&node.key),
                std::cmp::Ordering::Greater => {
                    i -= left + 1;
                    n = node.right;
                }
            }
        }
        None
    }

    /// The first `n` keys, in order.
    pub fn first(&self, n: usize) -> Vec<&K> {
        let mut out = Vec::with_capacity(n.min(self.len()));
        let mut stack = Vec::new();
        let mut cur = self.root;
        while out.len() < n && (cur != NIL || !stack.is_empty()) {
            while cur != NIL {
                stack.push(cur);
                cur = self.nodes[cur as usize].left;
            }
            let Some(top) = stack.pop() else { break };
            out.push(&self.nodes[top as usize].key);
            cur = self.nodes[top as usize].right;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::test_rng::Lcg;

    #[test]
    fn counts_and_orders_like_a_sorted_list() {
        let mut g = Lcg(3);
        for size in [0u64, 1, 2, 7, 60, 400] {
            let mut tree = OsTree::new();
            let mut oracle: Vec<u64> = Vec::new();
            for _ in 0..size * 4 {
                let k = g.below(size.max(1) * 2);
                if g.below(3) == 0 {
                    let there = oracle.binary_search(&k);
                    assert_eq!(tree.remove(&k), there.is_ok(), "remove {k}");
                    if let Ok(i) = there {
                        oracle.remove(i);
                    }
                } else {
                    let there = oracle.binary_search(&k);
                    assert_eq!(tree.insert(k), there.is_err(), "insert {k}");
                    if let Err(i) = there {
                        oracle.insert(i, k);
                    }
                }
                assert_eq!(tree.len(), oracle.len());
                let probe = g.below(size.max(1) * 2 + 1);
                assert_eq!(
                    tree.count_below(&probe),
                    oracle.partition_point(|x| *x < probe),
                    "below {probe}"
                );
            }
            let firsts: Vec<u64> = tree.first(5).into_iter().copied().collect();
            assert_eq!(firsts, oracle.iter().take(5).copied().collect::<Vec<_>>());
            for (i, k) in oracle.iter().enumerate() {
                assert_eq!(tree.nth(i), Some(k), "nth {i}");
            }
            assert_eq!(tree.nth(oracle.len()), None);
            let all: Vec<u64> = tree.first(usize::MAX).into_iter().copied().collect();
            assert_eq!(all, oracle);
        }
    }

    #[test]
    fn edge_cases() {
        let mut t: OsTree<i32> = OsTree::new();
        assert!(t.is_empty() && t.first(3).is_empty() && t.count_below(&5) == 0);
        assert!(!t.remove(&1), "removing from an empty tree");
        assert!(t.insert(1) && !t.insert(1), "a key is kept once");
        assert_eq!(t.len(), 1);
        assert!(t.remove(&1) && t.is_empty());
        // Keys arriving in order (every new entry the worst) stay shallow: the priorities,
        // not the keys, decide the shape, so this takes milliseconds, not a quadratic walk.
        for k in 0..100_000 {
            t.insert(k);
        }
        assert_eq!(t.count_below(&50_000), 50_000);
        assert_eq!(t.first(2), [&0, &1]);
        for k in (0..100_000).step_by(2) {
            assert!(t.remove(&k));
        }
        assert_eq!(t.len(), 50_000);
        assert_eq!(t.count_below(&11), 5, "1, 3, 5, 7 and 9 are left below 11");
        assert!(t.insert(4), "a freed slot is reused");
        assert_eq!(t.nodes.len(), 100_000);
    }
}
