#pragma once

// Test helpers for the fleetsim suites: one HTTP GET waited on with QSignalSpy, and sample
// look-ups in prometheus-cpp's typed families. Test code only; one thread.

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QUrl>

#include <prometheus/metric_family.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace fleetscope::sim::test {

struct HttpResult
{
    bool finished = false;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    qint64 contentLength = -1;
    qint64 elapsedMs = 0;
};

inline HttpResult httpRequest(QNetworkAccessManager &nam, const QByteArray &verb, const QUrl &url,
                              const QByteArray &body = {}, int timeoutMs = 20000)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    // No keep-alive: a node server stopped on this very thread must not wait for our socket.
    request.setRawHeader("Connection", "close");
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = nam.sendCustomRequest(request, verb, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult result;
    result.finished = finished.wait(timeoutMs + 2000);
    result.elapsedMs = timer.elapsed();
    result.error = reply->error();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    result.contentLength = length.isValid() ? length.toLongLong() : -1;
    result.body = reply->readAll();
    reply->deleteLater();
    // Close the socket now: a node server stopped on this thread would otherwise wait for the
    // close until civetweb's linger timeout, with this thread's event loop blocked.
    nam.clearConnectionCache();
    return result;
}

inline HttpResult httpGet(QNetworkAccessManager &nam, const QUrl &url, int timeoutMs = 20000)
{
    return httpRequest(nam, "GET", url, {}, timeoutMs);
}

using Labels = std::vector<std::pair<std::string, std::string>>;

inline const prometheus::MetricFamily *findFamily(const std::vector<prometheus::MetricFamily> &all,
                                                  const std::string &name)
{
    for (const auto &f : all) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

inline const prometheus::ClientMetric *findMetric(const prometheus::MetricFamily &family,
                                                  const Labels &labels)
{
    for (const auto &m : family.metric) {
        bool all = true;
        for (const auto &[name, value] : labels) {
            bool found = false;
            for (const auto &l : m.label)
                found = found || (l.name == name && l.value == value);
            all = all && found;
        }
        if (all)
            return &m;
    }
    return nullptr;
}

// Prometheus histogram_quantile(): linear interpolation inside the bucket; +Inf reports the
// highest finite bound.
inline double histogramQuantile(double q, const prometheus::ClientMetric::Histogram &h)
{
    if (h.bucket.empty() || h.sample_count == 0)
        return std::nan("");
    const double rank = q * double(h.sample_count);
    double lowerBound = 0;
    double lowerCount = 0;
    for (std::size_t i = 0; i < h.bucket.size(); ++i) {
        const auto &b = h.bucket[i];
        if (double(b.cumulative_count) >= rank) {
            if (std::isinf(b.upper_bound))
                return i > 0 ? h.bucket[i - 1].upper_bound : 0;
            const double inBucket = double(b.cumulative_count) - lowerCount;
            return lowerBound + (b.upper_bound - lowerBound) * (rank - lowerCount) / inBucket;
        }
        lowerBound = b.upper_bound;
        lowerCount = double(b.cumulative_count);
    }
    return lowerBound;
}

} // namespace fleetscope::sim::test
