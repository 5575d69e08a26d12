//! The communication-to-computation ratio (CCR) of an instance, and scaling a network's
//! bandwidths to reach a given ratio.
//!
//! CCR = mean communication cost of the edges that carry data ÷ mean computation cost of the
//! tasks, with Topcuoglu et al.'s mean costs (the ones HEFT ranks by): an edge's mean cost is
//! L̄ + data / B̄ (mean latency and bandwidth over the ordered pairs of distinct devices) and a
//! task's is its mean processing time over its eligible devices. A CCR of 1 means moving a
//! task's output between two devices takes, on average, as long as running a task.

use super::{Instance, InstanceData, Network};
use crate::error::Error;

impl Instance {
    /// The instance's communication-to-computation ratio (see `model::ccr`); `None` when no
    /// edge carries data or every task takes no time.
    ///
    /// ```
    /// let inst = hetsched::Instance::new(serde_json::from_str(r#"{
    ///     "network": {"bandwidth": 10},
    ///     "devices": [{"id": "a"}, {"id": "b"}],
    ///     "tasks": [{"id": "x", "work": 4}, {"id": "y", "work": 2, "after": [{"task": "x", "data": 30}]}]
    /// }"#).unwrap()).unwrap();
    /// assert_eq!(inst.ccr(), Some(1.0)); // one edge of 30 / 10 = 3 against tasks of 3 on average
    /// ```
    pub fn ccr(&self) -> Option<f64> {
        let (comm, computation) = self.ccr_parts()?;
        Some((comm.latency + comm.per_data * comm.data) / computation)
    }

    /// The mean communication cost's parts and the mean computation cost.
    fn ccr_parts(&self) -> Option<(MeanComm, f64)> {
        let x = self.transfers.as_ref().filter(|x| x.any_data)?;
        let (mut sum, mut edges) = (0.0, 0usize);
        for t in 0..self.num_tasks() {
            for k in 0..self.preds(t).len() {
                if let Some(data) = self.edge_data(t, k) {
                    sum += data;
                    edges += 1;
                }
            }
        }
        let n = self.num_tasks() as f64;
        let computation = (0..self.num_tasks())
            .map(|t| self.mean_ptime(t))
            .sum::<f64>()
            / n;
        if computation <= 0.0 || !computation.is_finite() {
            return None;
        }
        let latency = x.mean_time(0.0);
        Some((
            MeanComm {
                latency,
                per_data: x.mean_time(1.0) - latency,
                data: sum / edges as f64,
            },
            computation,
        ))
    }
}

/// The mean communication cost of the edges with data: latency + per_data × data.
struct MeanComm {
    /// Mean latency L̄.
    latency: f64,
    /// 1 / B̄.
    per_data: f64,
    /// Mean data of an edge.
    data: f64,
}

impl InstanceData {
    /// Scale every bandwidth of the network (the default and each link's) by one factor so that
    /// the instance's [CCR](Instance::ccr) becomes `ccr`; latencies are kept. An instance
    /// without a network gets one. Returns the factor.
    ///
    /// Errors ([`Error::Usage`]): `ccr` not finite and > 0; an invalid instance; no edge with
    /// data (or only edges of data 0); tasks that all take no time; a mean latency that alone
    /// reaches the ratio.
    ///
    /// ```
    /// let mut data: hetsched::InstanceData = serde_json::from_str(r#"{
    ///     "devices": [{"id": "a"}, {"id": "b", "speed": 2}],
    ///     "tasks": [{"id": "x", "work": 4}, {"id": "y", "work": 2, "after": [{"task": "x", "data": 30}]}]
    /// }"#).unwrap();
    /// data.set_ccr(0.5).unwrap();
    /// let ccr = hetsched::Instance::new(data).unwrap().ccr().unwrap();
    /// assert!((ccr - 0.5).abs() < 1e-12);
    /// ```
    pub fn set_ccr(&mut self, ccr: f64) -> Result<f64, Error> {
        if !(ccr.is_finite() && ccr > 0.0) {
            return Err(Error::Usage(format!(
                "the communication-to-computation ratio must be a finite number > 0, got {ccr}"
            )));
        }
        let inst = Instance::new(self.clone())?;
        let Some((comm, computation)) = inst.ccr_parts() else {
            return Err(Error::Usage(
                "no communication-to-computation ratio to reach: no edge carries data, or every \
                 task takes no time"
                    .into(),
            ));
        };
        if comm.data <= 0.0 {
            return Err(Error::Usage(
                "no communication-to-computation ratio to reach by bandwidth: every edge carries \
                 data 0"
                    .into(),
            ));
        }
        // (L̄ + data / (f · B̄)) / computation = ccr  ⇒  f = data / (B̄ · (ccr · computation − L̄)).
        let room = ccr * computation - comm.latency;
        if room <= 0.0 {
            return Err(Error::Usage(format!(
                "the mean latency alone gives a communication-to-computation ratio of {} ≥ {ccr}: \
                 lower the latencies",
                comm.latency / computation
            )));
        }
        let factor = comm.per_data * comm.data / room;
        let network = self.network.get_or_insert_with(Network::default);
        network.bandwidth *= factor;
        for link in &mut network.links {
            if let Some(b) = &mut link.bandwidth {
                *b *= factor;
            }
        }
        Ok(factor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(json: &str) -> InstanceData {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn links_scale_together_and_latency_is_kept() {
        let mut d = data(
            r#"{"network": {"bandwidth": 2, "latency": 0.1,
                            "links": [{"between": ["g", "g"], "bandwidth": 20}, {"between": ["c", "g"]}]},
                "devices": [{"id": "g0", "kind": "g", "speed": 4}, {"id": "g1", "kind": "g", "speed": 4},
                            {"id": "c0", "kind": "c"}],
                "tasks": [{"id": "a", "work": 8}, {"id": "b", "work": 3, "after": [{"task": "a", "data": 5}, "c"]},
                          {"id": "c", "work": 1}]}"#,
        );
        for target in [0.1, 1.0, 10.0] {
            let before = d.network.clone().unwrap();
            let f = d.set_ccr(target).unwrap();
            let net = d.network.as_ref().unwrap();
            assert_eq!(net.latency, 0.1);
            assert!((net.links[0].bandwidth.unwrap() / net.bandwidth - 10.0).abs() < 1e-9);
            assert_eq!(net.links[1].bandwidth, None);
            assert!((net.bandwidth / before.bandwidth - f).abs() < 1e-9 * f);
            let ccr = Instance::new(d.clone()).unwrap().ccr().unwrap();
            assert!((ccr - target).abs() < 1e-9 * target, "{ccr} vs {target}");
        }
        // The latency alone: a mean computation of 2 against a latency of 100.
        d.network.as_mut().unwrap().latency = 100.0;
        let err = d.set_ccr(0.5).unwrap_err().to_string();
        assert!(err.contains("latency alone"), "{err}");
    }

    #[test]
    fn no_data_no_ratio() {
        let mut d = data(
            r#"{"devices": [{"id": "a"}], "tasks": [{"id": "x", "work": 1}, {"id": "y", "work": 1, "after": ["x"]}]}"#,
        );
        assert_eq!(Instance::new(d.clone()).unwrap().ccr(), None);
        assert!(d.set_ccr(1.0).unwrap_err().to_string().contains("no edge"));
        assert!(d.set_ccr(0.0).unwrap_err().to_string().contains("> 0"));
        let mut zero = data(
            r#"{"devices": [{"id": "a"}, {"id": "b"}],
                "tasks": [{"id": "x", "work": 1}, {"id": "y", "work": 1, "after": [{"task": "x", "data": 0}]}]}"#,
        );
        assert_eq!(Instance::new(zero.clone()).unwrap().ccr(), Some(0.0));
        assert!(
            zero.set_ccr(1.0)
                .unwrap_err()
                .to_string()
                .contains("data 0")
        );
    }
}
