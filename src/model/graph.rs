//! The precedence graph of an instance's tasks: its edges from the `after` lists, and a
//! topological order (or a cycle, to name in the validation report).

use super::Task;
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Per task, its predecessors and successors (by index) and each predecessor edge's data
/// (`None`: a plain precedence), from the tasks' `after` lists (ids known to `index`):
/// repeated edges merged, keeping the largest data.
#[allow(clippy::type_complexity)]
pub(super) fn precedence(
    tasks: &[Task],
    index: &FxHashMap<String, usize>,
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>, Vec<Vec<Option<f64>>>) {
    let n = tasks.len();
    let mut preds = vec![Vec::new(); n];
    let mut succs = vec![Vec::new(); n];
    let mut pred_data: Vec<Vec<Option<f64>>> = vec![Vec::new(); n];
    for (t, task) in tasks.iter().enumerate() {
        for p in &task.after {
            let pi = index[&p.task];
            match preds[t].iter().position(|&q| q == pi) {
                Some(k) => {
                    let old = pred_data[t][k];
                    pred_data[t][k] = match (old, p.data) {
                        (Some(x), Some(y)) => Some(x.max(y)),
                        (x, y) => x.or(y),
                    };
                }
                None => {
                    preds[t].push(pi);
                    succs[pi].push(t);
                    pred_data[t].push(p.data);
                }
            }
        }
    }
    (preds, succs, pred_data)
}

/// Kahn's algorithm with ties broken by index; on a cycle, returns the tasks on one cycle.
pub(super) fn topological_order(
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
) -> Result<Vec<usize>, Vec<usize>> {
    let n = preds.len();
    let mut indeg: Vec<usize> = preds.iter().map(|p| p.len()).collect();
    let mut heap: BinaryHeap<Reverse<usize>> =
        (0..n).filter(|&t| indeg[t] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(t)) = heap.pop() {
        order.push(t);
        for &s in &succs[t] {
            indeg[s] -= 1;
            if indeg[s] == 0 {
                heap.push(Reverse(s));
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    // Every task left has a predecessor left: walk predecessors until a task repeats.
    let left: Vec<bool> = indeg.iter().map(|&k| k > 0).collect();
    let start = (0..n).find(|&t| left[t]).expect("a task is left");
    let mut seen_at = vec![usize::MAX; n];
    let mut path = Vec::new();
    let mut t = start;
    while seen_at[t] == usize::MAX {
        seen_at[t] = path.len();
        path.push(t);
        t = *preds[t]
            .iter()
            .find(|&&p| left[p])
            .expect("left task has a left predecessor");
    }
    let mut cycle = path[seen_at[t]..].to_vec();
    cycle.reverse(); // predecessor-first: a -> b means b is after a
    Err(cycle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_by_index_and_a_cycle_is_returned_predecessor_first() {
        // 2 -> 0, 1 free: 1 and 2 are ready, 1 first.
        let preds = vec![vec![2], vec![], vec![]];
        let succs = vec![vec![], vec![], vec![0]];
        assert_eq!(topological_order(&preds, &succs), Ok(vec![1, 2, 0]));
        // 0 -> 1 -> 2 -> 0
        let preds = vec![vec![2], vec![0], vec![1]];
        let succs = vec![vec![1], vec![2], vec![0]];
        let cycle = topological_order(&preds, &succs).unwrap_err();
        assert_eq!(cycle.len(), 3);
        let at = cycle.iter().position(|&t| t == 0).unwrap();
        assert_eq!(cycle[(at + 1) % 3], 1);
    }
}
