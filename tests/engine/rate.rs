//! Send rates hold across concurrent reservers on one database, as several daemons make them.

use crate::common;

use std::sync::Arc;

use briefcast::store::SendLimit;
use chrono::TimeDelta;
use common::now;

each_backend! {
    async fn concurrent_reservations_never_exceed_a_window(b) {
        let limits = [
            SendLimit {
                span_seconds: 1,
                max: 10,
            },
            SendLimit {
                span_seconds: 3600,
                max: 25,
            },
        ];
        // Twenty reservers at once, three sends each, all in the same second: ten granted in all.
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let store = Arc::clone(&b.store);
            tasks.push(tokio::spawn(async move {
                store.reserve_sends("smtp", 3, &limits, now()).await.unwrap()
            }));
        }
        let mut granted = 0;
        for task in tasks {
            granted += task.await.unwrap();
        }
        assert_eq!(granted, 10, "{}: the per-second window", b.name);
        assert_eq!(
            b.store.reserve_sends("smtp", 3, &limits, now()).await.unwrap(),
            0,
            "the second is full"
        );
        // Another transport has its own windows.
        assert_eq!(b.store.reserve_sends("http-api", 3, &limits, now()).await.unwrap(), 3);

        // The next seconds open again, until the hour's 25 are used.
        let next = now() + TimeDelta::seconds(1);
        assert_eq!(b.store.reserve_sends("smtp", 10, &limits, next).await.unwrap(), 10);
        let later = now() + TimeDelta::seconds(2);
        assert_eq!(
            b.store.reserve_sends("smtp", 10, &limits, later).await.unwrap(),
            5,
            "{}: the hour's 25",
            b.name
        );

        // Sends reserved but not made are given back.
        b.store.release_sends("smtp", 4, &limits, later).await.unwrap();
        assert_eq!(b.store.reserve_sends("smtp", 10, &limits, later).await.unwrap(), 4);

        // Without limits nothing is counted.
        assert_eq!(b.store.reserve_sends("smtp", 1000, &[], later).await.unwrap(), 1000);
    }
}
