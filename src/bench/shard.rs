//! `--shard auto`: the slice of a sweep from the batch system that started this process — a
//! Slurm job array or a Kubernetes Indexed Job.

use super::Shard;
use crate::error::Error;

impl Shard {
    /// The shard of this process from its environment (`get` looks a variable up):
    ///
    /// - **Slurm job array** (`sbatch --array=A-B[:S]`): `SLURM_ARRAY_TASK_ID`, with
    ///   `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_MAX` and `SLURM_ARRAY_TASK_STEP` (default 1),
    ///   or `SLURM_ARRAY_TASK_COUNT` with the ids counted from `SLURM_ARRAY_TASK_MIN` (default 0):
    ///   the shard is (ID − MIN) / STEP + 1 of (MAX − MIN) / STEP + 1.
    /// - **Kubernetes Indexed Job**: `JOB_COMPLETION_INDEX` (from 0) + 1 of `count`, which
    ///   Kubernetes does not export (the Job's `completions`, given as `--shard-count`).
    ///
    /// `count`, when given with Slurm, must agree with the array. Neither variable set, a
    /// value that is not a number, or an id outside the array is an error that says so.
    ///
    /// ```
    /// use hetsched::bench::Shard;
    /// let env = |k: &str| match k {
    ///     "SLURM_ARRAY_TASK_ID" => Some("3".to_string()),
    ///     "SLURM_ARRAY_TASK_MIN" => Some("1".to_string()),
    ///     "SLURM_ARRAY_TASK_MAX" => Some("8".to_string()),
    ///     _ => None,
    /// };
    /// let s = Shard::from_environment(env, None).unwrap();
    /// assert_eq!((s.index, s.count), (3, 8));
    /// ```
    pub fn from_environment(
        get: impl Fn(&str) -> Option<String>,
        count: Option<usize>,
    ) -> Result<Shard, Error> {
        let number = |name: &str| -> Result<Option<i64>, Error> {
            match get(name) {
                None => Ok(None),
                Some(v) if v.trim().is_empty() => Ok(None),
                Some(v) => v.trim().parse::<i64>().map(Some).map_err(|_| {
                    Error::Usage(format!("--shard auto: {name} is '{v}', not a whole number"))
                }),
            }
        };
        if count == Some(0) {
            return Err(Error::Usage("--shard-count must be at least 1".into()));
        }
        let shard = if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1);
            if step < 1 {
                return Err(Error::Usage(format!(
                    "--shard auto: SLURM_ARRAY_TASK_STEP is {step}, expected at least 1"
                )));
            }
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let slots = match (
                number("SLURM_ARRAY_TASK_MAX")?,
                number("SLURM_ARRAY_TASK_COUNT")?,
            ) {
                (Some(max), _) => (max - min) / step + 1,
                (None, Some(n)) => n,
                (None, None) => match count {
                    Some(n) => n as i64,
                    None => {
                        return Err(Error::Usage(
                            "--shard auto: SLURM_ARRAY_TASK_ID is set but neither \
                             SLURM_ARRAY_TASK_MAX nor SLURM_ARRAY_TASK_COUNT: give the number \
                             of shards with --shard-count N"
                                .into(),
                        ));
                    }
                },
            };
            if (id - min) % step != 0 || id < min || (id - min) / step >= slots {
                return Err(Error::Usage(format!(
                    "--shard auto: SLURM_ARRAY_TASK_ID {id} is not in the array \
                     (from {min}, step {step}, {slots} tasks)"
                )));
            }
            let s = Shard {
                index: ((id - min) / step + 1) as usize,
                count: slots as usize,
            };
            if let Some(n) = count
                && n != s.count
            {
                return Err(Error::Usage(format!(
                    "--shard-count {n} disagrees with the Slurm array of {} tasks",
                    s.count
                )));
            }
            s
        } else if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            let Some(n) = count else {
                return Err(Error::Usage(
                    "--shard auto in a Kubernetes Indexed Job needs --shard-count N (the Job's \
                     completions): Kubernetes exports JOB_COMPLETION_INDEX but not the count"
                        .into(),
                ));
            };
            if index < 0 || index as usize >= n {
                return Err(Error::Usage(format!(
                    "--shard auto: JOB_COMPLETION_INDEX {index} is outside 0..{n} (--shard-count {n})"
                )));
            }
            Shard {
                index: index as usize + 1,
                count: n,
            }
        } else {
            return Err(Error::Usage(
                "--shard auto needs SLURM_ARRAY_TASK_ID (a Slurm job array) or \
                 JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), and neither is set; \
                 use --shard I/N to give the slice by hand"
                    .into(),
            ));
        };
        Ok(shard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    fn shard(vars: &[(&str, &str)], count: Option<usize>) -> Result<(usize, usize), String> {
        Shard::from_environment(env(vars), count)
            .map(|s| (s.index, s.count))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn slurm_arrays_with_min_max_step_or_count() {
        let a = [
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "3"),
        ];
        assert_eq!(shard(&a, None), Ok((1, 4)));
        let a = [
            ("SLURM_ARRAY_TASK_ID", "12"),
            ("SLURM_ARRAY_TASK_MIN", "4"),
            ("SLURM_ARRAY_TASK_MAX", "16"),
            ("SLURM_ARRAY_TASK_STEP", "4"),
        ];
        assert_eq!(shard(&a, None), Ok((3, 4)));
        assert_eq!(shard(&a, Some(4)), Ok((3, 4)));
        assert!(shard(&a, Some(5)).unwrap_err().contains("disagrees"));
        let a = [
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ];
        assert_eq!(shard(&a, None), Ok((6, 8)));
        let a = [
            ("SLURM_ARRAY_TASK_ID", "8"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ];
        assert!(shard(&a, None).unwrap_err().contains("not in the array"));
        let a = [("SLURM_ARRAY_TASK_ID", "x")];
        assert!(shard(&a, None).unwrap_err().contains("not a whole number"));
        let a = [("SLURM_ARRAY_TASK_ID", "2")];
        assert!(shard(&a, None).unwrap_err().contains("--shard-count"));
        assert_eq!(shard(&a, Some(3)), Ok((3, 3)));
    }

    #[test]
    fn kubernetes_indexed_jobs_need_the_count() {
        let k = [("JOB_COMPLETION_INDEX", "0")];
        assert_eq!(shard(&k, Some(5)), Ok((1, 5)));
        assert!(shard(&k, None).unwrap_err().contains("--shard-count"));
        let k = [("JOB_COMPLETION_INDEX", "5")];
        assert!(shard(&k, Some(5)).unwrap_err().contains("outside"));
        // Slurm wins when both are set (a Slurm job never sets the Kubernetes variable).
        let both = [
            ("JOB_COMPLETION_INDEX", "0"),
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
        ];
        assert_eq!(shard(&both, None), Ok((2, 2)));
    }

    #[test]
    fn neither_is_an_error_that_names_both() {
        let e = shard(&[], Some(3)).unwrap_err();
        assert!(
            e.contains("SLURM_ARRAY_TASK_ID") && e.contains("JOB_COMPLETION_INDEX"),
            "{e}"
        );
    }
}
