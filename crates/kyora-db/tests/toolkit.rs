//! The repository toolkit on SQLite and PostgreSQL: every scope, modifier, operation,
//! aggregate and time series, with identical assertions on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

#[macro_use]
mod common;

use chrono::{DateTime, Duration, Utc};
use common::{BIZ, OTHER_BIZ, OTHER_WS, WS, at, base_time, insert, tag, widget};
use futures::FutureExt;
use kyora_core::RepoError;
use kyora_core::ports::{TxOptions, atomic};
use kyora_core::shared::list::{ListRequest, PageSizeRule};
use kyora_core::shared::timeseries::Granularity;
use kyora_db::Database;
use kyora_db::repo::{Lock, Measure, Query, RangeEnd, Scope, create, create_many};
use kyora_db::sea_orm::ActiveValue::Set;
use kyora_db::sea_orm::prelude::Decimal;
use kyora_db::sea_orm::sea_query::{Expr, ExprTrait};
use kyora_db::sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, Order, QueryTrait, RelationTrait,
};
use rust_decimal_macros::dec;

type W = Query<widget::Entity>;

fn names(rows: &[widget::Model]) -> Vec<String> {
    let mut names: Vec<String> = rows.iter().map(|w| w.name.clone()).collect();
    names.sort();
    names
}

fn ordered_names(rows: &[widget::Model]) -> Vec<&str> {
    rows.iter().map(|w| w.name.as_str()).collect()
}

async fn matching(db: &Database, query: W) -> Vec<String> {
    names(&query.all(db).await.unwrap())
}

fn request(page: i64, size: i64, order: &[&str]) -> ListRequest {
    let order: Vec<String> = order.iter().map(|s| (*s).to_owned()).collect();
    ListRequest::new(Some(page), Some(size), &order, None, PageSizeRule::STANDARD)
}

async fn created_rows_come_back_as_stored(db: &Database) {
    let model = common::widget("alpha", dec!(12.3456), base_time());
    let created = create(db, model).await.unwrap();
    assert_eq!(created.name, "alpha");
    assert_eq!(created.amount, dec!(12.3456));
    assert_eq!(created.created_at, base_time());
    assert_eq!(W::new().get_by_id(db, &created.id).await.unwrap(), created);

    let many = create_many(
        db,
        [
            common::widget("bravo", dec!(1), base_time()),
            common::widget("charlie", dec!(2), base_time()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(ordered_names(&many), vec!["bravo", "charlie"]);
    let none: Vec<widget::Model> = create_many(db, Vec::<widget::ActiveModel>::new())
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(W::new().count(db).await.unwrap(), 3);
}

async fn scopes_filter_by_tenant_id_and_values(db: &Database) {
    let a = insert(db, common::widget("a", dec!(1), base_time())).await;
    let b = insert(
        db,
        widget::ActiveModel {
            business_id: Set(OTHER_BIZ.into()),
            quantity: Set(5),
            status: Set("archived".into()),
            note: Set(Some("x".into())),
            ..common::widget("b", dec!(2), base_time())
        },
    )
    .await;
    let c = insert(
        db,
        widget::ActiveModel {
            workspace_id: Set(OTHER_WS.into()),
            ..common::widget("c", dec!(3), base_time())
        },
    )
    .await;
    use widget::Column as C;
    let cases: Vec<(W, Vec<&str>)> = vec![
        (W::new().workspace(WS), vec!["a", "b"]),
        (W::new().business(BIZ), vec!["a", "c"]),
        (W::new().workspace(WS).business(BIZ), vec!["a"]),
        (W::new().id(&a.id), vec!["a"]),
        (W::new().workspace(OTHER_WS).id(&a.id), vec![]),
        (W::new().ids([a.id.clone(), c.id.clone()]), vec!["a", "c"]),
        (W::new().ids(Vec::<String>::new()), vec![]),
        (W::new().equals(C::Status, "archived"), vec!["b"]),
        (
            W::new().scope(Scope::not_equals(C::Status, "active")),
            vec!["b"],
        ),
        (W::new().is_in(C::Status, ["active"]), vec!["a", "c"]),
        (W::new().is_in(C::Status, Vec::<String>::new()), vec![]),
        (W::new().not_in(C::Status, ["archived"]), vec!["a", "c"]),
        (
            W::new().not_in(C::Status, Vec::<String>::new()),
            vec!["a", "b", "c"],
        ),
        (
            W::new().scope(Scope::gt(C::Amount, dec!(1))),
            vec!["b", "c"],
        ),
        (
            W::new().scope(Scope::gte(C::Amount, dec!(2))),
            vec!["b", "c"],
        ),
        (W::new().scope(Scope::lt(C::Amount, dec!(2))), vec!["a"]),
        (
            W::new().scope(Scope::lte(C::Amount, dec!(2))),
            vec!["a", "b"],
        ),
        (W::new().scope(Scope::gt(C::Quantity, 1)), vec!["b"]),
        (
            W::new().scope(Scope::between(C::Amount, dec!(1.5), dec!(3))),
            vec!["b", "c"],
        ),
        (W::new().scope(Scope::is_null(C::Note)), vec!["a", "c"]),
        (W::new().scope(Scope::is_not_null(C::Note)), vec!["b"]),
        (W::new().filter(C::Name.eq("c")), vec!["c"]),
        (
            W::new().scopes([Scope::workspace(WS), Scope::equals(C::Quantity, 5)]),
            vec!["b"],
        ),
    ];
    for (index, (query, expected)) in cases.into_iter().enumerate() {
        assert_eq!(matching(db, query).await, expected, "case {index}");
    }
    assert!(W::new().id(&b.id).exists(db).await.unwrap());
    assert!(!W::new().id("missing").exists(db).await.unwrap());
}

async fn time_ranges_include_the_end_only_when_asked(db: &Database) {
    let t = base_time();
    for (name, offset) in [
        ("before", -1),
        ("start", 0),
        ("middle", 30),
        ("end", 60),
        ("after", 61),
    ] {
        insert(
            db,
            common::widget(name, dec!(1), t + Duration::minutes(offset)),
        )
        .await;
    }
    let end = t + Duration::minutes(60);
    let inclusive = W::new().time_range(
        widget::Column::CreatedAt,
        Some(t),
        Some(end),
        RangeEnd::Inclusive,
    );
    assert_eq!(
        matching(db, inclusive).await,
        vec!["end", "middle", "start"]
    );
    let exclusive = W::new().scope(Scope::created_between(
        Some(t),
        Some(end),
        RangeEnd::Exclusive,
    ));
    assert_eq!(matching(db, exclusive).await, vec!["middle", "start"]);
    let open_start = W::new().scope(Scope::created_between(None, Some(t), RangeEnd::Inclusive));
    assert_eq!(matching(db, open_start).await, vec!["before", "start"]);
    let open_end = W::new().scope(Scope::created_between(Some(end), None, RangeEnd::Exclusive));
    assert_eq!(matching(db, open_end).await, vec!["after", "end"]);
    // Sub-second precision survives storage and comparison.
    let precise = t + Duration::microseconds(1_500_250);
    insert(db, common::widget("precise", dec!(1), precise)).await;
    let exact = W::new().time_range(
        widget::Column::CreatedAt,
        Some(precise),
        Some(precise),
        RangeEnd::Inclusive,
    );
    assert_eq!(matching(db, exact).await, vec!["precise"]);
}

async fn search_is_case_insensitive_over_several_columns_and_escapes_wildcards(db: &Database) {
    for (name, note) in [
        ("Red Shoe", None),
        ("blue hat", None),
        ("50% off", None),
        ("under_score", None),
        (r"back\slash", None),
        ("plain", Some("deep RED")),
        ("50x off", None),
        ("underXscore", None),
    ] {
        insert(
            db,
            widget::ActiveModel {
                note: Set(note.map(str::to_owned)),
                ..common::widget(name, dec!(1), base_time())
            },
        )
        .await;
    }
    let columns = [widget::Column::Name, widget::Column::Note];
    let search = |term: &str| W::new().search(columns, term);
    assert_eq!(matching(db, search("red")).await, vec!["Red Shoe", "plain"]);
    assert_eq!(
        matching(db, search("  RED   shoe ")).await,
        vec!["Red Shoe"]
    );
    assert_eq!(matching(db, search("%")).await, vec!["50% off"]);
    assert_eq!(matching(db, search("_")).await, vec!["under_score"]);
    assert_eq!(matching(db, search(r"\")).await, vec![r"back\slash"]);
    assert_eq!(matching(db, search("   ")).await.len(), 8);
    assert_eq!(
        matching(db, W::new().search([widget::Column::Name], "deep")).await,
        Vec::<String>::new()
    );
}

async fn soft_deleted_rows_are_invisible_unless_asked_for(db: &Database) {
    let kept = insert(db, common::widget("kept", dec!(1), base_time())).await;
    let gone = insert(db, common::widget("gone", dec!(10), base_time())).await;
    let now = base_time() + Duration::hours(1);
    W::new()
        .workspace(WS)
        .soft_delete_by_id(db, &gone.id, now)
        .await
        .unwrap();

    assert_eq!(W::new().find_by_id(db, &gone.id).await.unwrap(), None);
    assert_eq!(
        W::new().get_by_id(db, &gone.id).await,
        Err(RepoError::NotFound)
    );
    assert_eq!(W::new().count(db).await.unwrap(), 1);
    assert_eq!(matching(db, W::new()).await, vec!["kept"]);
    assert_eq!(
        W::new().sum(db, widget::Column::Amount).await.unwrap(),
        dec!(1)
    );
    assert_eq!(
        W::new().avg(db, widget::Column::Amount).await.unwrap(),
        dec!(1)
    );
    assert_eq!(
        W::new().count_by(db, widget::Column::Status).await.unwrap()[0].value,
        dec!(1)
    );

    let deleted = W::new()
        .with_deleted()
        .get_by_id(db, &gone.id)
        .await
        .unwrap();
    assert_eq!(deleted.deleted_at, Some(now));
    assert_eq!(deleted.updated_at, now);
    assert_eq!(deleted.created_at, base_time());
    assert_eq!(W::new().with_deleted().count(db).await.unwrap(), 2);
    assert_eq!(
        W::new()
            .with_deleted()
            .sum(db, widget::Column::Amount)
            .await
            .unwrap(),
        dec!(11)
    );

    // Deleting again, or updating a deleted row, finds nothing.
    assert_eq!(
        W::new().soft_delete_by_id(db, &gone.id, now).await,
        Err(RepoError::NotFound)
    );
    let rename = widget::ActiveModel {
        name: Set("back".into()),
        ..Default::default()
    };
    assert_eq!(
        W::new().update_by_id(db, &gone.id, rename, now).await,
        Err(RepoError::NotFound)
    );
    // Soft delete of many returns how many rows it deleted.
    insert(db, common::widget("third", dec!(1), base_time())).await;
    assert_eq!(
        W::new().workspace(WS).soft_delete(db, now).await.unwrap(),
        2
    );
    assert_eq!(W::new().count(db).await.unwrap(), 0);
    assert_eq!(
        W::new()
            .with_deleted()
            .id(&kept.id)
            .count(db)
            .await
            .unwrap(),
        1
    );
}

async fn a_unique_name_is_reusable_after_soft_delete(db: &Database) {
    let first = insert(db, common::widget("unique", dec!(1), base_time())).await;
    let duplicate = create(db, common::widget("unique", dec!(2), base_time())).await;
    let Err(RepoError::Conflict(constraint)) = duplicate else {
        panic!("expected a conflict, got {duplicate:?}");
    };
    assert!(
        constraint.contains("idx_widgets_workspace_name") || constraint.contains("widgets.name"),
        "{constraint}"
    );
    // The same name in another workspace is fine.
    create(
        db,
        widget::ActiveModel {
            workspace_id: Set(OTHER_WS.into()),
            ..common::widget("unique", dec!(3), base_time())
        },
    )
    .await
    .unwrap();
    W::new()
        .soft_delete_by_id(db, &first.id, base_time())
        .await
        .unwrap();
    let reused = create(db, common::widget("unique", dec!(4), base_time()))
        .await
        .unwrap();
    assert_eq!(reused.amount, dec!(4));
}

async fn list_pages_carry_totals_and_follow_the_requested_order(db: &Database) {
    let t = base_time();
    for (minute, (name, amount)) in [
        ("delta", dec!(4)),
        ("alpha", dec!(1)),
        ("charlie", dec!(3)),
        ("bravo", dec!(2)),
        ("echo", dec!(5)),
    ]
    .into_iter()
    .enumerate()
    {
        let minute = i64::try_from(minute).unwrap();
        insert(
            db,
            common::widget(name, amount, t + Duration::minutes(minute)),
        )
        .await;
    }
    let list =
        |req: ListRequest| async move { W::new().workspace(WS).page(db, &req).await.unwrap() };

    let first = list(request(1, 2, &["name"])).await;
    assert_eq!(ordered_names(&first.items), vec!["alpha", "bravo"]);
    assert_eq!(
        (first.total_count, first.total_pages, first.has_more),
        (5, 3, true)
    );
    assert_eq!((first.page, first.page_size), (1, 2));
    let last = list(request(3, 2, &["name"])).await;
    assert_eq!(ordered_names(&last.items), vec!["echo"]);
    assert_eq!((last.total_count, last.has_more), (5, false));
    let beyond = list(request(4, 2, &["name"])).await;
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total_count, 5);
    let single = list(request(1, 30, &[])).await;
    assert_eq!(single.total_count, 5);
    assert_eq!(
        ordered_names(&single.items),
        vec!["echo", "bravo", "charlie", "alpha", "delta"],
        "the default order is -createdAt"
    );
    let by_amount = list(request(1, 30, &["-amount"])).await;
    assert_eq!(
        ordered_names(&by_amount.items),
        vec!["echo", "delta", "charlie", "bravo", "alpha"]
    );
    let unknown_ignored = list(request(1, 30, &["bogus", "name", "-deletedAt"])).await;
    assert_eq!(
        ordered_names(&unknown_ignored.items),
        vec!["alpha", "bravo", "charlie", "delta", "echo"]
    );
    // With only unknown names the id tiebreak alone orders the rows.
    let only_unknown = list(request(1, 30, &["bogus"])).await;
    let mut ids: Vec<String> = only_unknown.items.iter().map(|w| w.id.clone()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    // Equal keys are ordered by id, in the direction of the last term.
    let by_quantity = list(request(1, 30, &["-quantity"])).await;
    ids = by_quantity.items.iter().map(|w| w.id.clone()).collect();
    sorted.reverse();
    assert_eq!(ids, sorted);
    // Search and page together.
    let searched = W::new()
        .workspace(WS)
        .search([widget::Column::Name], "a")
        .page(db, &request(1, 2, &["name"]))
        .await
        .unwrap();
    assert_eq!(ordered_names(&searched.items), vec!["alpha", "bravo"]);
    assert_eq!(searched.total_count, 4);
}

async fn modifiers_limit_offset_order_and_lock(db: &Database) {
    let t = base_time();
    for (i, name) in ["a", "b", "c", "d"].into_iter().enumerate() {
        let i = i64::try_from(i).unwrap();
        insert(db, common::widget(name, dec!(1), t + Duration::seconds(i))).await;
    }
    let rows = W::new()
        .order_by(widget::Column::Name, Order::Desc)
        .offset(1)
        .limit(2)
        .all(db)
        .await
        .unwrap();
    assert_eq!(ordered_names(&rows), vec!["c", "b"]);
    let first = W::new()
        .order_by(widget::Column::CreatedAt, Order::Asc)
        .one(db)
        .await
        .unwrap();
    assert_eq!(first.map(|w| w.name), Some("a".to_owned()));

    let id = W::new()
        .equals(widget::Column::Name, "d")
        .get(db)
        .await
        .unwrap()
        .id;
    let locked = atomic(db, TxOptions::default(), move |tx| {
        let id = id.clone();
        async move {
            let conn = Database::of(tx)?;
            let row = W::new().id(&id).lock(Lock::Update).get(conn).await?;
            let shared = W::new().id(&id).lock(Lock::Share).all(conn).await?;
            Ok((row.name, shared.len()))
        }
        .boxed()
    })
    .await
    .unwrap();
    assert_eq!(locked, ("d".to_owned(), 1));
    let sql = W::new()
        .lock(Lock::Update)
        .select(db.get_database_backend())
        .build(db.get_database_backend())
        .to_string();
    assert_eq!(
        sql.contains("FOR UPDATE"),
        db.backend() == kyora_db::Backend::Postgres,
        "{sql}"
    );
}

async fn updates_touch_only_matching_live_rows(db: &Database) {
    let created = base_time();
    let later = created + Duration::days(1);
    let alpha = insert(db, common::widget("alpha", dec!(1), created)).await;
    insert(db, common::widget("beta", dec!(2), created)).await;

    let renamed = W::new()
        .workspace(WS)
        .update_by_id(
            db,
            &alpha.id,
            widget::ActiveModel {
                name: Set("renamed".into()),
                quantity: Set(5),
                created_at: Set(later),
                ..Default::default()
            },
            later,
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "renamed");
    assert_eq!(renamed.quantity, 5);
    assert_eq!(renamed.updated_at, later);
    assert_eq!(renamed.created_at, created, "created_at is never rewritten");
    assert_eq!(W::new().get_by_id(db, &alpha.id).await.unwrap(), renamed);

    let other_tenant = W::new()
        .workspace(OTHER_WS)
        .update_by_id(
            db,
            &alpha.id,
            widget::ActiveModel {
                name: Set("x".into()),
                ..Default::default()
            },
            later,
        )
        .await;
    assert_eq!(other_tenant, Err(RepoError::NotFound));
    let clash = W::new()
        .update_by_id(
            db,
            &alpha.id,
            widget::ActiveModel {
                name: Set("beta".into()),
                ..Default::default()
            },
            later,
        )
        .await;
    assert!(matches!(clash, Err(RepoError::Conflict(_))), "{clash:?}");

    // The atomic conditional decrement: stock - 2 where stock >= 2.
    let take_two = || async {
        W::new()
            .id(&alpha.id)
            .scope(Scope::gte(widget::Column::Quantity, 2))
            .update_many(
                db,
                [(
                    widget::Column::Quantity,
                    Expr::col(widget::Column::Quantity).sub(2),
                )],
                later,
            )
            .await
    };
    assert_eq!(take_two().await.unwrap(), 1);
    assert_eq!(take_two().await.unwrap(), 1);
    assert_eq!(take_two().await.unwrap(), 0, "only 1 left");
    assert_eq!(W::new().get_by_id(db, &alpha.id).await.unwrap().quantity, 1);

    let archived = W::new()
        .workspace(WS)
        .update_many_returning(db, [(widget::Column::Status, Expr::val("archived"))], later)
        .await
        .unwrap();
    assert_eq!(archived.len(), 2);
    assert!(
        archived
            .iter()
            .all(|w| w.status == "archived" && w.updated_at == later)
    );
}

async fn hard_delete_removes_rows_for_good(db: &Database) {
    let a = insert(db, common::widget("a", dec!(1), base_time())).await;
    insert(db, common::widget("b", dec!(1), base_time())).await;
    W::new()
        .soft_delete_by_id(db, &a.id, base_time())
        .await
        .unwrap();
    assert_eq!(W::new().hard_delete(db).await.unwrap(), 1, "live rows only");
    assert_eq!(W::new().with_deleted().count(db).await.unwrap(), 1);
    assert_eq!(W::new().with_deleted().hard_delete(db).await.unwrap(), 1);
    assert_eq!(W::new().with_deleted().count(db).await.unwrap(), 0);
}

async fn sums_and_averages_are_exact_and_skip_other_rows(db: &Database) {
    for (name, amount, quantity, status) in [
        ("a", dec!(0.1), 1, "active"),
        ("b", dec!(0.2), 2, "active"),
        ("c", dec!(10.0005), 3, "archived"),
    ] {
        insert(
            db,
            widget::ActiveModel {
                quantity: Set(quantity),
                status: Set(status.into()),
                note: Set((status == "archived").then(|| "x".to_owned())),
                ..common::widget(name, amount, base_time())
            },
        )
        .await;
    }
    let deleted = insert(db, common::widget("deleted", dec!(100), base_time())).await;
    W::new()
        .soft_delete_by_id(db, &deleted.id, base_time())
        .await
        .unwrap();
    insert(
        db,
        widget::ActiveModel {
            workspace_id: Set(OTHER_WS.into()),
            ..common::widget("elsewhere", dec!(1000), base_time())
        },
    )
    .await;
    // Ten dimes sum to exactly one in a workspace of their own.
    for i in 0..10 {
        insert(
            db,
            widget::ActiveModel {
                workspace_id: Set("wrk_dimes".into()),
                ..common::widget(&format!("dime{i}"), dec!(0.1), base_time())
            },
        )
        .await;
    }
    use widget::Column as C;
    let ws = || W::new().workspace(WS);
    assert_eq!(ws().sum(db, C::Amount).await.unwrap(), dec!(10.3005));
    assert_eq!(
        ws().sum(db, C::Amount).await.unwrap().to_string(),
        "10.3005"
    );
    assert_eq!(ws().avg(db, C::Amount).await.unwrap(), dec!(3.4335));
    assert_eq!(ws().sum(db, C::Quantity).await.unwrap(), dec!(6));
    assert_eq!(ws().avg(db, C::Quantity).await.unwrap(), dec!(2));
    assert_eq!(
        W::new()
            .workspace("wrk_dimes")
            .sum(db, C::Amount)
            .await
            .unwrap()
            .to_string(),
        "1"
    );
    assert_eq!(
        W::new().workspace("none").sum(db, C::Amount).await.unwrap(),
        Decimal::ZERO
    );
    assert_eq!(
        W::new().workspace("none").avg(db, C::Amount).await.unwrap(),
        Decimal::ZERO
    );
    let third = ws()
        .equals(C::Status, "active")
        .scope(Scope::lt(C::Quantity, 3));
    assert_eq!(third.avg(db, C::Amount).await.unwrap(), dec!(0.15));

    let pairs = |kv: Vec<kyora_core::shared::timeseries::KeyValue>| {
        kv.into_iter()
            .map(|kv| (kv.key, kv.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        pairs(ws().sum_by(db, C::Status, C::Amount).await.unwrap()),
        vec![
            ("active".into(), dec!(0.3)),
            ("archived".into(), dec!(10.0005))
        ]
    );
    assert_eq!(
        pairs(ws().count_by(db, C::Status).await.unwrap()),
        vec![("active".into(), dec!(2)), ("archived".into(), dec!(1))]
    );
    assert_eq!(
        pairs(ws().avg_by(db, C::Status, C::Quantity).await.unwrap()),
        vec![("active".into(), dec!(1.5)), ("archived".into(), dec!(3))]
    );
    assert_eq!(
        pairs(ws().count_by(db, C::Note).await.unwrap()),
        vec![(String::new(), dec!(2)), ("x".into(), dec!(1))],
        "a null key groups as the empty string"
    );
    assert!(
        W::new()
            .workspace("none")
            .sum_by(db, C::Status, C::Amount)
            .await
            .unwrap()
            .is_empty()
    );
}

struct SeriesCase {
    granularity: Granularity,
    from: &'static str,
    to: &'static str,
    rows: &'static [(&'static str, i64)],
    expected: &'static [(&'static str, &'static str, i64)],
}

const SERIES: &[SeriesCase] = &[
    SeriesCase {
        granularity: Granularity::Hourly,
        from: "2024-03-01T00:00:00Z",
        to: "2024-03-02T00:00:00Z",
        rows: &[
            ("2024-02-29T23:59:59Z", 100),
            ("2024-03-01T00:00:00Z", 1),
            ("2024-03-01T10:15:00Z", 2),
            ("2024-03-01T10:45:30.5Z", 4),
            ("2024-03-01T13:00:00Z", 8),
            ("2024-03-02T00:00:00Z", 16),
            ("2024-03-02T00:00:01Z", 200),
        ],
        expected: &[
            ("2024-03-01T00:00:00Z", "00:00 1 Mar", 1),
            ("2024-03-01T10:00:00Z", "10:00 1 Mar", 6),
            ("2024-03-01T13:00:00Z", "13:00 1 Mar", 8),
            ("2024-03-02T00:00:00Z", "00:00 2 Mar", 16),
        ],
    },
    SeriesCase {
        granularity: Granularity::Daily,
        from: "2023-12-30T00:00:00Z",
        to: "2024-01-08T00:00:00Z",
        rows: &[
            ("2023-12-31T23:59:59Z", 1),
            ("2024-01-01T00:00:00Z", 2),
            ("2024-01-01T12:00:00Z", 4),
        ],
        expected: &[
            ("2023-12-31T00:00:00Z", "Sun 31 Dec 2023", 1),
            ("2024-01-01T00:00:00Z", "Mon 1 Jan 2024", 6),
        ],
    },
    SeriesCase {
        granularity: Granularity::Weekly,
        from: "2024-08-01T00:00:00Z",
        to: "2024-10-01T00:00:00Z",
        rows: &[
            ("2024-08-15T13:45:12Z", 1),
            ("2024-08-18T23:59:59Z", 2),
            ("2024-09-01T10:00:00Z", 4),
            ("2024-09-02T00:00:00Z", 8),
        ],
        expected: &[
            ("2024-08-12T00:00:00Z", "Wk3 Aug", 3),
            ("2024-08-26T00:00:00Z", "Wk5 Aug", 4),
            ("2024-09-02T00:00:00Z", "Wk2 Sep", 8),
        ],
    },
    SeriesCase {
        granularity: Granularity::Monthly,
        from: "2024-01-01T00:00:00Z",
        to: "2024-12-31T00:00:00Z",
        rows: &[
            ("2024-01-31T23:59:59Z", 1),
            ("2024-02-01T00:00:00Z", 2),
            ("2024-02-29T12:00:00Z", 4),
        ],
        expected: &[
            ("2024-01-01T00:00:00Z", "Jan", 1),
            ("2024-02-01T00:00:00Z", "Feb", 6),
        ],
    },
    SeriesCase {
        granularity: Granularity::Quarterly,
        from: "2023-01-01T00:00:00Z",
        to: "2026-01-01T00:00:00Z",
        rows: &[
            ("2023-03-31T23:00:00Z", 1),
            ("2023-04-01T00:00:00Z", 2),
            ("2024-08-15T00:00:00Z", 4),
            ("2025-12-31T23:59:00Z", 8),
        ],
        expected: &[
            ("2023-01-01T00:00:00Z", "Q1 2023", 1),
            ("2023-04-01T00:00:00Z", "Q2 2023", 2),
            ("2024-07-01T00:00:00Z", "Q3 2024", 4),
            ("2025-10-01T00:00:00Z", "Q4 2025", 8),
        ],
    },
    SeriesCase {
        granularity: Granularity::Yearly,
        from: "2015-01-01T00:00:00Z",
        to: "2024-12-31T00:00:00Z",
        rows: &[
            ("2015-06-01T00:00:00Z", 1),
            ("2015-12-31T23:59:59Z", 2),
            ("2024-02-29T00:00:00Z", 4),
        ],
        expected: &[
            ("2015-01-01T00:00:00Z", "2015", 3),
            ("2024-01-01T00:00:00Z", "2024", 4),
        ],
    },
];

async fn time_series_buckets_match_date_trunc_for_every_granularity(db: &Database) {
    for (case_index, case) in SERIES.iter().enumerate() {
        let workspace = format!("wrk_series_{case_index}");
        for (row_index, (created, amount)) in case.rows.iter().enumerate() {
            insert(
                db,
                widget::ActiveModel {
                    workspace_id: Set(workspace.clone()),
                    ..common::widget(
                        &format!("w{row_index}"),
                        Decimal::from(*amount),
                        at(created),
                    )
                },
            )
            .await;
        }
        // A deleted row in the window never counts.
        let deleted = insert(
            db,
            widget::ActiveModel {
                workspace_id: Set(workspace.clone()),
                ..common::widget("deleted", dec!(1000), at(case.from))
            },
        )
        .await;
        W::new()
            .soft_delete_by_id(db, &deleted.id, at(case.from))
            .await
            .unwrap();

        let (from, to) = (at(case.from), at(case.to));
        assert_eq!(Granularity::for_range(from, to), case.granularity);
        let query = W::new().workspace(&workspace);
        let sums = query
            .time_series(
                db,
                widget::Column::CreatedAt,
                Measure::Sum(widget::Column::Amount),
                from,
                to,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sums.granularity, case.granularity, "case {case_index}");
        let got: Vec<(DateTime<Utc>, String, Decimal)> = sums
            .series
            .iter()
            .map(|p| (p.timestamp, p.label.clone(), p.value))
            .collect();
        let expected: Vec<(DateTime<Utc>, String, Decimal)> = case
            .expected
            .iter()
            .map(|(ts, label, value)| (at(ts), (*label).to_owned(), Decimal::from(*value)))
            .collect();
        assert_eq!(got, expected, "case {case_index} ({:?})", case.granularity);
        for point in &sums.series {
            assert_eq!(case.granularity.truncate(point.timestamp), point.timestamp);
        }

        let counts = query
            .time_series(db, widget::Column::CreatedAt, Measure::Count, from, to)
            .await
            .unwrap()
            .unwrap();
        let total: Decimal = counts.series.iter().map(|p| p.value).sum();
        let in_window = case
            .rows
            .iter()
            .filter(|(created, _)| (from..=to).contains(&at(created)))
            .count();
        assert_eq!(total, Decimal::from(in_window), "case {case_index}");
    }
    let empty = W::new()
        .workspace("wrk_nothing")
        .time_series(
            db,
            widget::Column::CreatedAt,
            Measure::Count,
            at("2024-01-01T00:00:00Z"),
            at("2024-02-01T00:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(empty, None);
}

async fn joins_and_the_exposed_select_reach_related_tables(db: &Database) {
    let alpha = insert(db, common::widget("alpha", dec!(1), base_time())).await;
    let beta = insert(db, common::widget("beta", dec!(1), base_time())).await;
    for (widget_id, label, deleted) in [
        (&alpha.id, "red", false),
        (&beta.id, "blue", false),
        (&alpha.id, "green", true),
    ] {
        kyora_db::repo::create(
            db,
            tag::ActiveModel {
                id: Set(kyora_core::shared::id::new_id(
                    kyora_core::shared::id::IdPrefix::Category,
                )),
                widget_id: Set(widget_id.clone()),
                label: Set(label.into()),
                created_at: Set(base_time()),
                updated_at: Set(base_time()),
                deleted_at: Set(deleted.then(base_time)),
            },
        )
        .await
        .unwrap();
    }
    let red = W::new()
        .join(JoinType::InnerJoin, widget::Relation::Tags.def())
        .filter(tag::Column::Label.eq("red"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(ordered_names(&red), vec!["alpha"]);
    assert_eq!(
        W::new()
            .join(JoinType::InnerJoin, widget::Relation::Tags.def())
            .filter(tag::Column::Label.eq("red"))
            .count(db)
            .await
            .unwrap(),
        1
    );

    let backend = db.get_database_backend();
    let with_tags = W::new()
        .id(&alpha.id)
        .select(backend)
        .find_with_related(tag::Entity)
        .all(db)
        .await
        .unwrap();
    assert_eq!(with_tags.len(), 1);
    let mut labels: Vec<&str> = with_tags[0].1.iter().map(|t| t.label.as_str()).collect();
    labels.sort_unstable();
    assert_eq!(labels, vec!["green", "red"]);
    let live_tags = Query::<tag::Entity>::new()
        .equals(tag::Column::WidgetId, alpha.id.clone())
        .all(db)
        .await
        .unwrap();
    assert_eq!(live_tags.len(), 1);
    assert_eq!(tag::Entity::find().all(db).await.unwrap().len(), 3);
}

on_both_backends!(
    both: [
        created_rows_come_back_as_stored,
        scopes_filter_by_tenant_id_and_values,
        time_ranges_include_the_end_only_when_asked,
        search_is_case_insensitive_over_several_columns_and_escapes_wildcards,
        soft_deleted_rows_are_invisible_unless_asked_for,
        a_unique_name_is_reusable_after_soft_delete,
        list_pages_carry_totals_and_follow_the_requested_order,
        modifiers_limit_offset_order_and_lock,
        updates_touch_only_matching_live_rows,
        hard_delete_removes_rows_for_good,
        sums_and_averages_are_exact_and_skip_other_rows,
        time_series_buckets_match_date_trunc_for_every_granularity,
        joins_and_the_exposed_select_reach_related_tables,
    ],
    postgres_only: [],
);
