#pragma once

// PromClient: asks a Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics)
// PromQL questions over its HTTP API (/api/v1/query and /api/v1/query_range) on
// QNetworkAccessManager, from whichever thread owns it (never the GUI thread in the dashboard).
// Answers are untrusted: the body is bounded, the JSON checked field by field, and every error
// is one sentence that names the server and the query that failed. Credentials come from files
// and are read at request time; they never appear in a message.

#include "snapshot/fleetsnapshot.h"

#include <QMap>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace fleetscope::promql {

struct PromAuth
{
    QString bearerTokenFile; // Authorization: Bearer <file contents>
    QString basicUser; // Authorization: Basic, with the password from basicPasswordFile
    QString basicPasswordFile;
};

struct ClientOptions
{
    QUrl baseUrl; // e.g. http://prometheus:9090 or https://host/prometheus (a path prefix)
    PromAuth auth;
    int timeoutMs = 30000; // per request, also sent to the server as its query timeout
    qint64 maxBodyBytes = 64LL * 1024 * 1024; // a larger answer is refused, not read
    QString caFile; // extra CA certificates (PEM) for https; empty: the system's
    bool insecureSkipVerify = false;
};

// One series of an answer: its labels (without __name__) and its points.
struct PromSeries
{
    QMap<QString, QString> labels;
    snapshot::Series points; // one point for an instant query
};

struct PromResult
{
    bool ok = false;
    QString error; // set when !ok: a sentence naming the server and the query
    std::vector<PromSeries> series;
    QString query; // the PromQL asked
};

// Parses a /api/v1 answer body (a vector, a matrix or a scalar). Pure; used by PromClient and
// by the tests. `httpStatus` 0 when unknown.
PromResult parseApiResponse(const QByteArray &body, int httpStatus, const QString &query);

// A duration as the HTTP API reads it exactly: whole milliseconds ("1001ms", at least "1ms").
// Prometheus truncates a step given in float seconds to whole milliseconds (1.001 becomes 1 s,
// as 1.001 * 1e9 ns falls just short of 1001 ms), which moves every point of a range query's
// grid off the times asked for.
QString promDuration(double seconds);

class PromClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const PromResult &)>;

    explicit PromClient(ClientOptions options, QObject *parent = nullptr);
    ~PromClient() override;

    const ClientOptions &options() const { return m_options; }
    // The server's address without user info, for messages and snapshots.
    QString displayUrl() const;

    // An instant query evaluated at `time` (seconds since the epoch).
    void query(const QString &promql, double time, Callback done);
    // A range query over [start, end] every `stepSeconds`.
    void queryRange(const QString &promql, double start, double end, double stepSeconds,
                    Callback done);
    // Aborts every request in flight; their callbacks are not called.
    void abortAll();
    int inFlight() const { return int(m_replies.size()); }

private:
    void send(const QString &path, const QList<QPair<QString, QString>> &params,
              const QString &promql, Callback done);
    QString fail(const QString &promql, const QString &why) const;

    ClientOptions m_options;
    QNetworkAccessManager *m_nam = nullptr;
    std::vector<QNetworkReply *> m_replies;
};

} // namespace fleetscope::promql
