// BodyDecoder: identity and gzip bodies fed in pieces, the decompressed-size limit (a gzip bomb
// stops at the limit after reading only a little input), corrupt and truncated streams.

#include "scrape/bodydecoder.h"
#include "testserver.h"

#include <QTest>

using fleetscope::scrape::BodyDecoder;
using fleetscope::scrape::test::gzip;

class TestBodyDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void encodingFromHeader_data();
    void encodingFromHeader();
    void identityInPieces();
    void identityLimit();
    void gzipInPieces_data();
    void gzipInPieces();
    void gzipMultiMember();
    void gzipBombStopsAtLimit();
    void gzipCorrupt();
    void gzipTruncated();
    void gzipEmpty();
    void reusedAfterFailures();
};

void TestBodyDecoder::encodingFromHeader_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("expected"); // -1: unsupported
    QTest::addRow("absent") << QByteArray() << int(BodyDecoder::Encoding::Identity);
    QTest::addRow("identity") << QByteArray("identity") << int(BodyDecoder::Encoding::Identity);
    QTest::addRow("gzip") << QByteArray("gzip") << int(BodyDecoder::Encoding::Gzip);
    QTest::addRow("GZIP padded") << QByteArray(" GZIP ") << int(BodyDecoder::Encoding::Gzip);
    QTest::addRow("x-gzip") << QByteArray("x-gzip") << int(BodyDecoder::Encoding::Gzip);
    QTest::addRow("deflate") << QByteArray("deflate") << int(BodyDecoder::Encoding::Deflate);
    QTest::addRow("br") << QByteArray("br") << -1;
    QTest::addRow("stacked") << QByteArray("gzip, gzip") << -1;
}

void TestBodyDecoder::encodingFromHeader()
{
    QFETCH(QByteArray, header);
    QFETCH(int, expected);
    const auto encoding = BodyDecoder::encodingFromHeader(header);
    QCOMPARE(encoding ? int(*encoding) : -1, expected);
}

void TestBodyDecoder::identityInPieces()
{
    BodyDecoder decoder(BodyDecoder::Encoding::Identity, 100);
    QCOMPARE(decoder.feed(QByteArrayView("abc")), BodyDecoder::Status::Ok);
    QCOMPARE(decoder.feed(QByteArrayView("def")), BodyDecoder::Status::Ok);
    QCOMPARE(decoder.finish(), BodyDecoder::Status::Ok);
    QCOMPARE(decoder.inputBytes(), std::size_t(6));
    QCOMPARE(decoder.takeBody(), std::string("abcdef"));
}

void TestBodyDecoder::identityLimit()
{
    BodyDecoder exact(BodyDecoder::Encoding::Identity, 6);
    QCOMPARE(exact.feed(QByteArrayView("abcdef")), BodyDecoder::Status::Ok);
    QCOMPARE(exact.finish(), BodyDecoder::Status::Ok);

    BodyDecoder over(BodyDecoder::Encoding::Identity, 6);
    QCOMPARE(over.feed(QByteArrayView("abcd")), BodyDecoder::Status::Ok);
    QCOMPARE(over.feed(QByteArrayView("efg")), BodyDecoder::Status::LimitExceeded);
    QCOMPARE(over.bodyBytes(), std::size_t(6)); // stops at the limit, never past it
    QCOMPARE(over.feed(QByteArrayView("more")), BodyDecoder::Status::LimitExceeded);
    QVERIFY(over.errorString().contains(QLatin1String("6 byte limit")));
}

void TestBodyDecoder::gzipInPieces_data()
{
    QTest::addColumn<int>("piece");
    QTest::addRow("1 byte") << 1;
    QTest::addRow("7 bytes") << 7;
    QTest::addRow("4 KiB") << 4096;
    QTest::addRow("whole") << 0;
}

void TestBodyDecoder::gzipInPieces()
{
    QFETCH(int, piece);
    QByteArray text;
    for (int i = 0; i < 20000; ++i)
        text += "edge_requests_total{region=\"nrt\",code=\"200\"} " + QByteArray::number(i) + '\n';
    const QByteArray compressed = gzip(text);
    BodyDecoder decoder(BodyDecoder::Encoding::Gzip, 0);
    const qsizetype step = piece == 0 ? compressed.size() : piece;
    for (qsizetype at = 0; at < compressed.size(); at += step)
        QCOMPARE(decoder.feed(
                     QByteArrayView(compressed).sliced(at, std::min(step, compressed.size() - at))),
                 BodyDecoder::Status::Ok);
    QCOMPARE(decoder.finish(), BodyDecoder::Status::Ok);
    QCOMPARE(decoder.inputBytes(), std::size_t(compressed.size()));
    QCOMPARE(QByteArray::fromStdString(decoder.takeBody()), text);
}

void TestBodyDecoder::gzipMultiMember()
{
    const QByteArray both = gzip("first\n") + gzip("second\n");
    BodyDecoder decoder(BodyDecoder::Encoding::Gzip, 0);
    QCOMPARE(decoder.feed(QByteArrayView(both)), BodyDecoder::Status::Ok);
    QCOMPARE(decoder.finish(), BodyDecoder::Status::Ok);
    QCOMPARE(decoder.takeBody(), std::string("first\nsecond\n"));
}

void TestBodyDecoder::gzipBombStopsAtLimit()
{
    // 256 MiB of zeros in about 256 KiB.
    const QByteArray bomb = gzip(QByteArray(1024 * 1024, '\0'), 256);
    QVERIFY(bomb.size() < 2 * 1024 * 1024);
    const std::size_t limit = 1024 * 1024;
    BodyDecoder decoder(BodyDecoder::Encoding::Gzip, limit);
    BodyDecoder::Status status = BodyDecoder::Status::Ok;
    qsizetype fed = 0;
    while (status == BodyDecoder::Status::Ok && fed < bomb.size()) {
        status = decoder.feed(
            QByteArrayView(bomb).sliced(fed, std::min<qsizetype>(16 * 1024, bomb.size() - fed)));
        fed += 16 * 1024;
    }
    QCOMPARE(status, BodyDecoder::Status::LimitExceeded);
    QCOMPARE(decoder.bodyBytes(), limit);
    // 1 MiB of zeros is about 1 KiB compressed: the decoder gave up in the first piece.
    QCOMPARE(fed, qsizetype(16 * 1024));
}

void TestBodyDecoder::gzipCorrupt()
{
    QByteArray compressed = gzip(QByteArray(10000, 'x'));
    compressed[12] = char(0xff); // inside the deflate data
    compressed[13] = char(0xff);
    BodyDecoder decoder(BodyDecoder::Encoding::Gzip, 0);
    decoder.feed(QByteArrayView(compressed));
    QCOMPARE(decoder.finish(), BodyDecoder::Status::Corrupt);
    QVERIFY2(decoder.errorString().contains(QLatin1String("corrupt")),
             qPrintable(decoder.errorString()));

    BodyDecoder notGzip(BodyDecoder::Encoding::Gzip, 0);
    QCOMPARE(notGzip.feed(QByteArrayView("plain text, not gzip\n")), BodyDecoder::Status::Corrupt);
}

void TestBodyDecoder::gzipTruncated()
{
    const QByteArray compressed = gzip(QByteArray(100000, 'y'));
    BodyDecoder decoder(BodyDecoder::Encoding::Gzip, 0);
    QCOMPARE(decoder.feed(QByteArrayView(compressed).first(compressed.size() / 2)),
             BodyDecoder::Status::Ok);
    QCOMPARE(decoder.finish(), BodyDecoder::Status::Truncated);
}

void TestBodyDecoder::gzipEmpty()
{
    BodyDecoder decoder(BodyDecoder::Encoding::Gzip, 0);
    QCOMPARE(decoder.finish(), BodyDecoder::Status::Truncated);
}

void TestBodyDecoder::reusedAfterFailures()
{
    // Decoders on one thread reuse zlib state: one left mid-stream, corrupt, over its limit or
    // as deflate must not leak into the next, which decodes from a clean start.
    const QByteArray text = QByteArray(50000, 'z') + "end\n";
    const QByteArray compressed = gzip(text);
    for (int round = 0; round < 3; ++round) {
        {
            BodyDecoder midStream(BodyDecoder::Encoding::Gzip, 0);
            midStream.feed(QByteArrayView(compressed).first(compressed.size() / 2));
            BodyDecoder corrupt(BodyDecoder::Encoding::Gzip, 0);
            corrupt.feed(QByteArrayView("plain text, not gzip\n"));
            BodyDecoder limited(BodyDecoder::Encoding::Gzip, 100);
            QCOMPARE(limited.feed(QByteArrayView(compressed)), BodyDecoder::Status::LimitExceeded);
            BodyDecoder zlib(BodyDecoder::Encoding::Deflate, 0);
            QCOMPARE(zlib.feed(QByteArrayView(qCompress(text).sliced(4))), BodyDecoder::Status::Ok);
            QCOMPARE(zlib.finish(), BodyDecoder::Status::Ok);
            QCOMPARE(zlib.takeBody(), text.toStdString());
        }
        BodyDecoder decoder(BodyDecoder::Encoding::Gzip, 0);
        QCOMPARE(decoder.feed(QByteArrayView(compressed)), BodyDecoder::Status::Ok);
        QCOMPARE(decoder.finish(), BodyDecoder::Status::Ok);
        QCOMPARE(decoder.takeBody(), text.toStdString());
        // A gzip decoder given a zlib stream still refuses it: the window bits were reset.
        BodyDecoder strict(BodyDecoder::Encoding::Gzip, 0);
        QCOMPARE(strict.feed(QByteArrayView(qCompress(text).sliced(4))),
                 BodyDecoder::Status::Corrupt);
    }
}

QTEST_GUILESS_MAIN(TestBodyDecoder)
#include "tst_bodydecoder.moc"
