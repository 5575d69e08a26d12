#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod batch;
pub mod bench;
pub mod error;
pub mod generate;
pub mod io;
pub mod learn;
pub mod memory;
pub mod model;
mod order;
pub mod plot;
pub mod schedule;
pub mod sim;
pub mod solve;

pub use error::{Error, Result, ValidationReport};
pub use model::{After, Device, Instance, InstanceData, Network, Objective, Task};
pub use schedule::{Assignment, Schedule, Violation};
pub use solve::{SolveOptions, SolveReport, Solver, Status};
