//! Reading a task's `times` and `costs` maps fast: the entries are collected and the ordered map
//! is built in one pass (entries come sorted from files this crate writes), instead of one
//! ordered-map insertion per entry — a 5000-task × 64-device file has 320,000 of them.

use serde::de::{Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// `Option<BTreeMap<String, f64>>` as serde would read it; a key given twice keeps its last
/// value, as before.
pub(super) fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<BTreeMap<String, f64>>, D::Error> {
    deserializer.deserialize_option(OptionalKeyed)
}

struct OptionalKeyed;

impl<'de> Visitor<'de> for OptionalKeyed {
    type Value = Option<BTreeMap<String, f64>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map from device ids or kinds to numbers")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(Keyed).map(Some)
    }
}

struct Keyed;

impl<'de> Visitor<'de> for Keyed {
    type Value = BTreeMap<String, f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map from device ids or kinds to numbers")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries: Vec<(String, f64)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(entry) = map.next_entry::<String, f64>()? {
            entries.push(entry);
        }
        // A stable sort then a bulk build that keeps the last of equal keys.
        Ok(entries.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Task;

    #[test]
    fn reads_as_an_ordered_map_with_the_last_of_repeated_keys() {
        let t: Task =
            serde_json::from_str(r#"{"id": "a", "times": {"z": 1, "b": 2, "z": 3}}"#).unwrap();
        let times = t.times.unwrap();
        assert_eq!(
            times.into_iter().collect::<Vec<_>>(),
            [("b".into(), 2.0), ("z".into(), 3.0)]
        );
        let t: Task = serde_json::from_str(r#"{"id": "a", "costs": null}"#).unwrap();
        assert_eq!(t.costs, None);
        let t: Task = toml::from_str("id = \"a\"\n[times]\ngpu = 2.5\n").unwrap();
        assert_eq!(t.times.unwrap()["gpu"], 2.5);
        let e = serde_json::from_str::<Task>(r#"{"id": "a", "times": [1]}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("a map from device ids or kinds to numbers"),
            "{e}"
        );
    }
}
