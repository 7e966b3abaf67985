//! Time series, key/value aggregates and date inputs (spec 01 §4.8).
//!
//! Bucketing happens in SQL (kyora-db); this module decides the granularity of a range, holds the
//! truncation rule the SQL must agree with, and labels the buckets.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bucket size of a time series; serialised as its integer code 0–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Granularity {
    Hourly = 0,
    Daily = 1,
    Weekly = 2,
    Monthly = 3,
    Quarterly = 4,
    Yearly = 5,
}

impl Granularity {
    /// Every granularity, finest first.
    pub const ALL: [Self; 6] = [
        Self::Hourly,
        Self::Daily,
        Self::Weekly,
        Self::Monthly,
        Self::Quarterly,
        Self::Yearly,
    ];

    /// The granularity of the range `from..=to`; all boundaries are inclusive.
    pub fn for_range(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        let span = to - from;
        if span <= Duration::hours(48) {
            Self::Hourly
        } else if span <= Duration::days(45) {
            Self::Daily
        } else if span <= Duration::days(120) {
            Self::Weekly
        } else if span <= Duration::days(720) {
            Self::Monthly
        } else if span <= Duration::days(1800) {
            Self::Quarterly
        } else {
            Self::Yearly
        }
    }

    /// The SQL `date_trunc` unit.
    pub const fn sql_unit(self) -> &'static str {
        match self {
            Self::Hourly => "hour",
            Self::Daily => "day",
            Self::Weekly => "week",
            Self::Monthly => "month",
            Self::Quarterly => "quarter",
            Self::Yearly => "year",
        }
    }

    /// The start of the bucket holding `at` (weeks start on Monday, as ISO weeks do).
    pub fn truncate(self, at: DateTime<Utc>) -> DateTime<Utc> {
        let date = at.date_naive();
        let day = match self {
            Self::Hourly => {
                let hour = at
                    .with_minute(0)
                    .and_then(|t| t.with_second(0))
                    .and_then(|t| t.with_nanosecond(0));
                return hour.unwrap_or(at);
            }
            Self::Daily => Some(date),
            Self::Weekly => {
                Some(date - Duration::days(i64::from(date.weekday().num_days_from_monday())))
            }
            Self::Monthly => date.with_day(1),
            Self::Quarterly => NaiveDate::from_ymd_opt(date.year(), (date.month0() / 3) * 3 + 1, 1),
            Self::Yearly => NaiveDate::from_ymd_opt(date.year(), 1, 1),
        };
        day.map_or(at, |d| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)))
    }

    /// The label of the bucket starting at `at`; `include_year` when the series spans years.
    pub fn label(self, at: DateTime<Utc>, include_year: bool) -> String {
        let year = if include_year {
            format!(" {}", at.year())
        } else {
            String::new()
        };
        match self {
            Self::Hourly => at.format("%H:%M %-d %b").to_string(),
            Self::Daily => format!("{}{year}", at.format("%a %-d %b")),
            Self::Weekly => format!("Wk{} {}{year}", week_of_month(at), at.format("%b")),
            Self::Monthly => format!("{}{year}", at.format("%b")),
            Self::Quarterly => format!("Q{} {}", at.month0() / 3 + 1, at.year()),
            Self::Yearly => at.year().to_string(),
        }
    }
}

/// `⌊(day − 1 + shift) / 7⌋ + 1`, with `shift` the weekday of the 1st counted from Monday.
fn week_of_month(at: DateTime<Utc>) -> u32 {
    let first = at
        .date_naive()
        .with_day(1)
        .map_or(Weekday::Mon, |d| d.weekday());
    let shift = (first.num_days_from_sunday() + 6) % 7;
    (at.day() - 1 + shift) / 7 + 1
}

impl Serialize for Granularity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(*self as u8)
    }
}

/// One bucket of a time series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimePoint {
    /// Start of the bucket (UTC).
    pub timestamp: DateTime<Utc>,
    /// Human label of the bucket.
    pub label: String,
    /// The bucket's value, serialised as a JSON number.
    #[serde(with = "rust_decimal::serde::float")]
    pub value: Decimal,
}

/// A time series; only buckets with data are present.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeSeries {
    /// The bucket size.
    pub granularity: Granularity,
    /// The buckets in ascending time order.
    pub series: Vec<TimePoint>,
}

impl TimeSeries {
    /// Labels `(bucket start, value)` rows; `None` (JSON `null`) when there are no rows.
    pub fn from_buckets(
        granularity: Granularity,
        mut buckets: Vec<(DateTime<Utc>, Decimal)>,
    ) -> Option<Self> {
        buckets.sort_by_key(|(at, _)| *at);
        let first_year = buckets.first()?.0.year();
        let include_year = buckets
            .last()
            .is_some_and(|(at, _)| at.year() != first_year);
        let series = buckets
            .into_iter()
            .map(|(timestamp, value)| TimePoint {
                label: granularity.label(timestamp, include_year),
                timestamp,
                value,
            })
            .collect();
        Some(Self {
            granularity,
            series,
        })
    }
}

/// One row of a grouped aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyValue {
    /// The group key.
    pub key: String,
    /// The aggregate, serialised as a JSON number.
    #[serde(with = "rust_decimal::serde::float")]
    pub value: Decimal,
}

/// A date query or body value: `YYYY-MM-DD` (midnight UTC) or RFC 3339; `null`/`""` is unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateInput(pub Option<DateTime<Utc>>);

impl DateInput {
    /// Parses the shared date format.
    ///
    /// # Errors
    /// Returns the offending text when it is neither a date nor an RFC 3339 timestamp.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Self(None));
        }
        if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            return Ok(Self(Some(
                Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)),
            )));
        }
        DateTime::parse_from_rfc3339(raw)
            .map(|at| Self(Some(at.with_timezone(&Utc))))
            .map_err(|_| raw.to_owned())
    }
}

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Option<String> = Option::deserialize(deserializer)?;
        raw.map_or(Ok(Self(None)), |raw| {
            Self::parse(&raw).map_err(|bad| serde::de::Error::custom(format!("invalid date {bad}")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn granularity_boundaries_are_inclusive() {
        let from = at("2024-01-01T00:00:00Z");
        let cases = [
            (Duration::hours(48), Granularity::Hourly),
            (
                Duration::hours(48) + Duration::seconds(1),
                Granularity::Daily,
            ),
            (Duration::days(45), Granularity::Daily),
            (Duration::days(46), Granularity::Weekly),
            (Duration::days(120), Granularity::Weekly),
            (Duration::days(121), Granularity::Monthly),
            (Duration::days(720), Granularity::Monthly),
            (Duration::days(1800), Granularity::Quarterly),
            (Duration::days(1801), Granularity::Yearly),
        ];
        for (span, expected) in cases {
            assert_eq!(
                Granularity::for_range(from, from + span),
                expected,
                "{span}"
            );
        }
    }

    #[test]
    fn truncation_matches_date_trunc() {
        let t = at("2024-08-15T13:45:12Z"); // a Thursday
        assert_eq!(Granularity::Hourly.truncate(t), at("2024-08-15T13:00:00Z"));
        assert_eq!(Granularity::Daily.truncate(t), at("2024-08-15T00:00:00Z"));
        assert_eq!(Granularity::Weekly.truncate(t), at("2024-08-12T00:00:00Z"));
        assert_eq!(Granularity::Monthly.truncate(t), at("2024-08-01T00:00:00Z"));
        assert_eq!(
            Granularity::Quarterly.truncate(t),
            at("2024-07-01T00:00:00Z")
        );
        assert_eq!(Granularity::Yearly.truncate(t), at("2024-01-01T00:00:00Z"));
        // A Sunday belongs to the week that started the Monday before.
        assert_eq!(
            Granularity::Weekly.truncate(at("2024-09-01T10:00:00Z")),
            at("2024-08-26T00:00:00Z")
        );
    }

    #[test]
    fn labels_follow_the_contract() {
        let t = at("2024-01-02T15:00:00Z"); // Tuesday 2 Jan
        assert_eq!(Granularity::Hourly.label(t, false), "15:00 2 Jan");
        assert_eq!(Granularity::Daily.label(t, false), "Tue 2 Jan");
        assert_eq!(Granularity::Daily.label(t, true), "Tue 2 Jan 2024");
        assert_eq!(Granularity::Monthly.label(t, false), "Jan");
        assert_eq!(Granularity::Monthly.label(t, true), "Jan 2024");
        assert_eq!(
            Granularity::Quarterly.label(at("2024-08-01T00:00:00Z"), false),
            "Q3 2024"
        );
        assert_eq!(Granularity::Yearly.label(t, false), "2024");
    }

    #[test]
    fn week_labels_count_weeks_from_the_first_monday_shift() {
        // 1 Sep 2024 is a Sunday: shift = 6, so the 1st is already in week 1 and the 2nd in week 2.
        assert_eq!(
            Granularity::Weekly.label(at("2024-09-01T00:00:00Z"), false),
            "Wk1 Sep"
        );
        assert_eq!(
            Granularity::Weekly.label(at("2024-09-02T00:00:00Z"), false),
            "Wk2 Sep"
        );
        // 1 Jan 2024 is a Monday: shift = 0.
        assert_eq!(
            Granularity::Weekly.label(at("2024-01-08T00:00:00Z"), true),
            "Wk2 Jan 2024"
        );
    }

    #[test]
    fn series_labels_include_the_year_only_across_years() {
        let same = TimeSeries::from_buckets(
            Granularity::Monthly,
            vec![
                (at("2024-03-01T00:00:00Z"), dec!(2)),
                (at("2024-01-01T00:00:00Z"), dec!(1.5)),
            ],
        )
        .unwrap();
        assert_eq!(same.series[0].label, "Jan");
        assert_eq!(same.series[1].label, "Mar");
        let across = TimeSeries::from_buckets(
            Granularity::Monthly,
            vec![
                (at("2023-12-01T00:00:00Z"), dec!(1)),
                (at("2024-01-01T00:00:00Z"), dec!(1)),
            ],
        )
        .unwrap();
        assert_eq!(across.series[0].label, "Dec 2023");
        let json = serde_json::to_value(&same).unwrap();
        assert_eq!(json["granularity"], 3);
        assert_eq!(json["series"][0]["value"], 1.5);
        assert!(TimeSeries::from_buckets(Granularity::Daily, vec![]).is_none());
    }

    #[test]
    fn date_inputs_accept_dates_and_timestamps() {
        assert_eq!(
            DateInput::parse("2024-05-06").unwrap().0,
            Some(at("2024-05-06T00:00:00Z"))
        );
        assert_eq!(
            DateInput::parse("2024-05-06T10:00:00+02:00").unwrap().0,
            Some(at("2024-05-06T08:00:00Z"))
        );
        assert_eq!(DateInput::parse("").unwrap().0, None);
        assert!(DateInput::parse("06/05/2024").is_err());
        let parsed: DateInput = serde_json::from_str("null").unwrap();
        assert_eq!(parsed.0, None);
    }
}
