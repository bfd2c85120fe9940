// The series store keeps a day of history in bounded memory: recent points as written, older
// ones one a minute then one every five minutes; stale series go; the budget holds.

#include "store/seriesstore.h"

#include <QTest>

using namespace fleetscope::store;

class TestSeriesStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void internAndFind()
    {
        SeriesStore store;
        const auto a = store.intern("nrt|invocations");
        const auto b = store.intern("iad|invocations");
        QVERIFY(a != b);
        QCOMPARE(store.intern("nrt|invocations"), a);
        QCOMPARE(store.find("iad|invocations"), b);
        QCOMPARE(store.find("nope"), SeriesStore::kNoSeries);
        QCOMPARE(store.key(a), std::string("nrt|invocations"));
        QCOMPARE(store.keysWithPrefix("nrt|"), std::vector<std::string> { "nrt|invocations" });
    }

    void dayOfHistoryIsDownsampled()
    {
        SeriesStore store;
        const auto id = store.intern("s");
        const double t0 = 1'700'000'000;
        const double step = 5;
        const int n = int(25 * 3600 / step); // 25 hours every 5 s
        for (int i = 0; i <= n; ++i)
            store.append(id, t0 + i * step, double(i)); // a counter: value = index
        const double now = t0 + n * step;
        const Series all = store.query(id, 0, now);
        // raw hour (720 points) + 5 h a minute (300) + 18 h every 5 minutes (216), about.
        QVERIFY2(all.size() > 1150 && all.size() < 1300, qPrintable(QString::number(all.size())));
        for (std::size_t i = 1; i < all.size(); ++i)
            QVERIFY(all[i].t > all[i - 1].t);
        // Nothing older than the retention.
        QVERIFY(all.front().t >= now - 24 * 3600 - 300);
        // The last hour is exact; a coarse point is the last value of its minute.
        QCOMPARE(all.back().t, now);
        QCOMPARE(all.back().v, double(n));
        // (the minute at the raw boundary is still being folded: leave it out)
        const Series hourAgo = store.query(id, now - 2 * 3600, now - 3600 - 120);
        QVERIFY(!hourAgo.empty());
        for (const auto &p : hourAgo) {
            QCOMPARE(p.v, (p.t - t0) / step); // still the value written at that time
            QCOMPARE(std::fmod(p.t + step, 60.0), 0.0); // the last point of its clock minute
        }
        const StoreStats st = store.stats();
        QCOMPARE(st.series, 1u);
        QCOMPARE(st.points, all.size());
        QVERIFY2(st.bytesPerPoint() < 64, qPrintable(QString::number(st.bytesPerPoint())));
    }

    void outOfOrderIgnored()
    {
        SeriesStore store;
        const auto id = store.intern("s");
        store.append(id, 10, 1);
        store.append(id, 5, 2);
        store.append(id, 10, 3);
        store.append(id, 20, 4);
        const Series s = store.query(id, 0, 100);
        QCOMPARE(s.size(), 2u);
        QCOMPARE(s[1].v, 4.0);
        QCOMPARE(store.last(id)->v, 4.0);
    }

    void staleSeriesEvicted()
    {
        SeriesStore store;
        const auto a = store.intern("a");
        const auto b = store.intern("b");
        store.append(a, 100, 1);
        store.append(b, 100, 1);
        store.append(b, 1000, 2);
        QCOMPARE(store.evictStale(1000), 1u); // a: nothing for 900 s > 600 s
        QCOMPARE(store.find("a"), SeriesStore::kNoSeries);
        QCOMPARE(store.find("b"), b);
        QCOMPARE(store.stats().evictedStale, 1u);
        // The freed id is reused for a new series, and the old data is gone.
        const auto c = store.intern("c");
        QVERIFY(store.query(c, 0, 1e12).empty());
    }

    void budgetHolds()
    {
        StoreOptions o;
        o.memoryBudgetBytes = 64 * 1024;
        SeriesStore store(o);
        for (int s = 0; s < 200; ++s) {
            const auto id = store.intern("series-" + std::to_string(s));
            for (int i = 0; i < 50; ++i)
                store.append(id, 1000 + s * 100 + i, i);
            QVERIFY(store.stats().bytes <= o.memoryBudgetBytes + 4096);
        }
        const StoreStats st = store.stats();
        QVERIFY(st.evictedForBudget > 0);
        // The newest series survive; the least recently updated went first.
        QVERIFY(store.find("series-199") != SeriesStore::kNoSeries);
        QCOMPARE(store.find("series-0"), SeriesStore::kNoSeries);
    }
};

QTEST_GUILESS_MAIN(TestSeriesStore)
#include "tst_seriesstore.moc"
