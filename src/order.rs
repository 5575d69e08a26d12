//! Floating-point numbers as integers in the order of [`f64::total_cmp`], for keys that sort or
//! compare as plain integers (the simulator's waiting queue, the batch heuristics' heap).

/// `x` as an integer in the order of [`f64::total_cmp`]: the magnitude bits of a negative
/// value are flipped, so that integer order is `total_cmp`'s.
pub(crate) fn ordered(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::ordered;

    #[test]
    fn integer_order_is_total_cmp() {
        let values = [
            f64::NEG_INFINITY,
            -3.5,
            -1e-300,
            -0.0,
            0.0,
            1e-300,
            2.0,
            f64::MAX,
            f64::INFINITY,
        ];
        for &x in &values {
            for &y in &values {
                assert_eq!(
                    ordered(x).cmp(&ordered(y)),
                    x.total_cmp(&y),
                    "{x} against {y}"
                );
            }
        }
    }
}
