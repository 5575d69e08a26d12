//! Where jobs may start: per device class, a segment tree over the class's devices of what
//! each has left, so that the first device (by index) with room for a job is found in about
//! log(devices) steps however many devices are busy.

use super::{DeviceState, TOLERANCE};
use crate::model::Instance;

/// Per device class, a max segment tree over its devices (in index order) of
/// `[open, left of resource 0, left of resource 1, …]`: `open` is 0 for a device that is up
/// and not full, −∞ otherwise; what a resource has left is its capacity less what the jobs on
/// the device hold. A node holds the maximum of each value over its leaves, so a subtree
/// whose maxima cannot hold a job has no device for it.
#[derive(Debug, Clone)]
pub(super) struct Room {
    /// Values per node: 1 + resources.
    width: usize,
    classes: Vec<Tree>,
    /// Per device, its leaf among its class's.
    leaf: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Tree {
    /// The class's devices, ascending.
    devices: Vec<usize>,
    /// Leaves (a power of two ≥ the devices).
    size: usize,
    /// Node i (1 is the root, leaves from `size`) holds `values[i * width..(i + 1) * width]`.
    values: Vec<f64>,
}

impl Room {
    /// Every device closed.
    pub(super) fn new(inst: &Instance) -> Room {
        let width = 1 + inst.num_resources();
        let mut members = vec![Vec::new(); inst.num_device_classes()];
        let leaf: Vec<usize> = (0..inst.num_devices())
            .map(|d| {
                let c = inst.device_class(d);
                members[c].push(d);
                members[c].len() - 1
            })
            .collect();
        let classes = members
            .into_iter()
            .map(|devices| {
                let size = devices.len().next_power_of_two();
                Tree {
                    devices,
                    size,
                    values: vec![f64::NEG_INFINITY; 2 * size * width],
                }
            })
            .collect();
        Room {
            width,
            classes,
            leaf,
        }
    }

    /// Record device `d` as `dev` leaves it, open or not.
    pub(super) fn set(&mut self, inst: &Instance, d: usize, open: bool, dev: &DeviceState) {
        let w = self.width;
        let tree = &mut self.classes[inst.device_class(d)];
        let mut node = tree.size + self.leaf[d];
        let values = &mut tree.values[node * w..(node + 1) * w];
        if open {
            values[0] = 0.0;
            for (k, (value, held)) in values[1..].iter_mut().zip(&dev.held).enumerate() {
                *value = inst.resource_capacity(d, k) - held;
            }
        } else {
            values.fill(f64::NEG_INFINITY);
        }
        while node > 1 {
            node /= 2;
            let (left, right) = (2 * node, 2 * node + 1);
            for k in 0..w {
                tree.values[node * w + k] =
                    tree.values[left * w + k].max(tree.values[right * w + k]);
            }
        }
    }

    /// The first device of class `c` (by index) that is open, has `need(k)` of every resource
    /// k left, and that `accept` takes.
    pub(super) fn first(
        &self,
        c: usize,
        need: impl Fn(usize) -> f64,
        mut accept: impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        let w = self.width;
        let tree = &self.classes[c];
        let admits = |node: usize| {
            let values = &tree.values[node * w..(node + 1) * w];
            values[0] == 0.0
                && values[1..]
                    .iter()
                    .enumerate()
                    .all(|(k, &left)| left + TOLERANCE >= need(k))
        };
        // Depth-first, left child first, without a stack: from a node that cannot hold the job
        // (or a leaf not taken), climb while it is a right child, then go to its right sibling.
        let mut node = 1;
        loop {
            if admits(node) {
                if node < tree.size {
                    node *= 2;
                    continue;
                }
                let i = node - tree.size;
                if i < tree.devices.len() && accept(tree.devices[i]) {
                    return Some(tree.devices[i]);
                }
            }
            while node % 2 == 1 {
                node /= 2;
                if node == 0 {
                    return None;
                }
            }
            node += 1;
        }
    }
}
