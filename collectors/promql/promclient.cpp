#include "promql/promclient.h"

#include "fleet/fleetfile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fleetscope::promql {

namespace {

constexpr int kMaxQuotedQuery = 400; // characters of a query quoted in a message
constexpr qint64 kMaxSecretBytes = 64 * 1024;

QString quoted(const QString &promql)
{
    QString q = promql.simplified();
    if (q.size() > kMaxQuotedQuery)
        q = q.left(kMaxQuotedQuery) + QStringLiteral("...");
    return q;
}

// Text from an answer, cut short and stripped of control characters, for a message.
QString shortText(QString text, int max = 300)
{
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    }
    text = text.simplified();
    return text.size() > max ? text.left(max) + QStringLiteral("...") : text;
}

QString formatNumber(double v)
{
    return QString::number(v, 'f', 3);
}

bool parseSampleValue(const QJsonValue &v, double &out)
{
    if (!v.isString())
        return false;
    const QString s = v.toString();
    if (s == QLatin1String("NaN")) {
        out = snapshot::kNaN;
        return true;
    }
    if (s == QLatin1String("+Inf") || s == QLatin1String("Inf")) {
        out = std::numeric_limits<double>::infinity();
        return true;
    }
    if (s == QLatin1String("-Inf")) {
        out = -std::numeric_limits<double>::infinity();
        return true;
    }
    bool ok = false;
    out = s.toDouble(&ok); // C locale, whatever the process' locale is
    return ok;
}

// [time, "value"]
bool parsePoint(const QJsonValue &v, snapshot::Point &out)
{
    if (!v.isArray())
        return false;
    const QJsonArray a = v.toArray();
    if (a.size() != 2 || !a[0].isDouble())
        return false;
    out.t = a[0].toDouble();
    return std::isfinite(out.t) && parseSampleValue(a[1], out.v);
}

bool parseLabels(const QJsonValue &v, QMap<QString, QString> &out)
{
    if (!v.isObject())
        return false;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.value().isString())
            return false;
        if (it.key() != QLatin1String("__name__"))
            out.insert(it.key(), it.value().toString());
    }
    return true;
}

} // namespace

PromResult parseApiResponse(const QByteArray &body, int httpStatus, const QString &query)
{
    PromResult r;
    r.query = query;
    auto fail = [&](const QString &why) {
        r.ok = false;
        r.series.clear();
        r.error = why;
        return r;
    };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        const QString status = httpStatus ? QStringLiteral("HTTP %1, ").arg(httpStatus) : QString();
        if (body.trimmed().isEmpty())
            return fail(
                QStringLiteral("%1an empty answer where the API's JSON was expected").arg(status));
        return fail(QStringLiteral("%1not the API's JSON (%2 at byte %3): \"%4\"")
                        .arg(status,
                             pe.error != QJsonParseError::NoError ? pe.errorString()
                                                                  : QStringLiteral("not an object"))
                        .arg(pe.error != QJsonParseError::NoError ? pe.offset : 0)
                        .arg(shortText(QString::fromUtf8(body.left(200)), 120)));
    }
    const QJsonObject o = doc.object();
    const QString status = o.value(QLatin1String("status")).toString();
    if (status == QLatin1String("error")) {
        return fail(QStringLiteral("%1the server answered %2: %3")
                        .arg(httpStatus ? QStringLiteral("HTTP %1, ").arg(httpStatus) : QString(),
                             shortText(o.value(QLatin1String("errorType")).toString(), 60),
                             shortText(o.value(QLatin1String("error")).toString())));
    }
    if (status != QLatin1String("success"))
        return fail(QStringLiteral("the answer's \"status\" is neither \"success\" nor \"error\""));
    if (httpStatus != 0 && (httpStatus < 200 || httpStatus > 299))
        return fail(QStringLiteral("HTTP %1 with a \"success\" body").arg(httpStatus));
    const QJsonObject data = o.value(QLatin1String("data")).toObject();
    const QString type = data.value(QLatin1String("resultType")).toString();
    const QJsonValue result = data.value(QLatin1String("result"));
    if (type == QLatin1String("scalar")) {
        PromSeries s;
        snapshot::Point p;
        if (!parsePoint(result, p))
            return fail(QStringLiteral("a scalar answer without [time, \"value\"]"));
        s.points.push_back(p);
        r.series.push_back(std::move(s));
        r.ok = true;
        return r;
    }
    if (type != QLatin1String("vector") && type != QLatin1String("matrix"))
        return fail(QStringLiteral("an answer of type \"%1\" where a vector or matrix was expected")
                        .arg(shortText(type, 40)));
    if (!result.isArray())
        return fail(QStringLiteral("\"data.result\" is not a list"));
    const bool matrix = type == QLatin1String("matrix");
    const QJsonArray items = result.toArray();
    r.series.reserve(std::size_t(items.size()));
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items[i].toObject();
        PromSeries s;
        if (!parseLabels(item.value(QLatin1String("metric")), s.labels))
            return fail(QStringLiteral("series %1 of the answer has no valid \"metric\" labels")
                            .arg(i + 1));
        if (matrix) {
            const QJsonValue values = item.value(QLatin1String("values"));
            if (!values.isArray())
                return fail(
                    QStringLiteral("series %1 of the answer has no \"values\" list").arg(i + 1));
            const QJsonArray points = values.toArray();
            s.points.reserve(std::size_t(points.size()));
            for (const QJsonValue &pv : points) {
                snapshot::Point p;
                if (!parsePoint(pv, p))
                    return fail(QStringLiteral("series %1 of the answer has a point that is not "
                                               "[time, \"value\"]")
                                    .arg(i + 1));
                s.points.push_back(p);
            }
            std::sort(s.points.begin(), s.points.end(),
                      [](const snapshot::Point &a, const snapshot::Point &b) { return a.t < b.t; });
        } else {
            snapshot::Point p;
            if (!parsePoint(item.value(QLatin1String("value")), p))
                return fail(
                    QStringLiteral("series %1 of the answer has no [time, \"value\"]").arg(i + 1));
            s.points.push_back(p);
        }
        r.series.push_back(std::move(s));
    }
    r.ok = true;
    return r;
}

PromClient::PromClient(ClientOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

PromClient::~PromClient()
{
    abortAll();
}

QString PromClient::displayUrl() const
{
    QUrl u = m_options.baseUrl;
    u.setUserInfo({});
    return u.toString();
}

QString PromClient::fail(const QString &promql, const QString &why) const
{
    return QStringLiteral("Prometheus at %1: %2; the query was: %3")
        .arg(displayUrl(), why, quoted(promql));
}

QString promDuration(double seconds)
{
    return QStringLiteral("%1ms").arg(std::max<qint64>(1, std::llround(seconds * 1000.0)));
}

void PromClient::query(const QString &promql, double time, Callback done)
{
    send(QStringLiteral("api/v1/query"),
         { { QStringLiteral("query"), promql }, { QStringLiteral("time"), formatNumber(time) } },
         promql, std::move(done));
}

void PromClient::queryRange(const QString &promql, double start, double end, double stepSeconds,
                            Callback done)
{
    send(QStringLiteral("api/v1/query_range"),
         { { QStringLiteral("query"), promql },
           { QStringLiteral("start"), formatNumber(start) },
           { QStringLiteral("end"), formatNumber(end) },
           { QStringLiteral("step"), promDuration(stepSeconds) } },
         promql, std::move(done));
}

void PromClient::abortAll()
{
    const std::vector<QNetworkReply *> replies = std::move(m_replies);
    m_replies.clear();
    for (QNetworkReply *r : replies) {
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
}

void PromClient::send(const QString &path, const QList<QPair<QString, QString>> &params,
                      const QString &promql, Callback done)
{
    auto finish = [this, promql, done](const QString &why) {
        PromResult r;
        r.query = promql;
        r.error = fail(promql, why);
        done(r);
    };

    QUrl url = m_options.baseUrl;
    QString base = url.path();
    if (!base.endsWith(QLatin1Char('/')))
        base += QLatin1Char('/');
    url.setPath(base + path);
    url.setUserInfo({});
    QUrlQuery q;
    for (const auto &[k, v] : params)
        q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    q.addQueryItem(QStringLiteral("timeout"),
                   QStringLiteral("%1ms").arg(std::max(1, m_options.timeoutMs)));
    url.setQuery(q);

    QNetworkRequest request(url);
    request.setTransferTimeout(std::max(1, m_options.timeoutMs));
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    const PromAuth &auth = m_options.auth;
    if (!auth.bearerTokenFile.isEmpty()) {
        QString why;
        const auto token = fleet::readBearerToken(auth.bearerTokenFile, &why);
        if (!token)
            return finish(why);
        request.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + *token);
    } else if (!auth.basicUser.isEmpty()) {
        QByteArray password;
        if (!auth.basicPasswordFile.isEmpty()) {
            QFile f(auth.basicPasswordFile);
            if (!f.open(QIODevice::ReadOnly))
                return finish(QStringLiteral("cannot read the password file %1: %2")
                                  .arg(auth.basicPasswordFile, f.errorString()));
            password = f.read(kMaxSecretBytes + 1);
            if (password.size() > kMaxSecretBytes)
                return finish(QStringLiteral("the password file %1 is larger than 64 KiB")
                                  .arg(auth.basicPasswordFile));
            while (password.endsWith('\n') || password.endsWith('\r'))
                password.chop(1);
        }
        request.setRawHeader("Authorization",
                             QByteArrayLiteral("Basic ")
                                 + (auth.basicUser.toUtf8() + ':' + password).toBase64());
    }
    if (url.scheme() == QLatin1String("https")) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        if (!m_options.caFile.isEmpty()) {
            const auto certs = QSslCertificate::fromPath(m_options.caFile);
            if (certs.isEmpty())
                return finish(
                    QStringLiteral("no certificate in the CA file %1").arg(m_options.caFile));
            auto all = ssl.caCertificates();
            all.append(certs);
            ssl.setCaCertificates(all);
        }
        if (m_options.insecureSkipVerify)
            ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        request.setSslConfiguration(ssl);
    }

    QNetworkReply *reply = m_nam->get(request);
    m_replies.push_back(reply);
    auto tooLarge = std::make_shared<bool>(false);
    const qint64 limit = m_options.maxBodyBytes;
    connect(reply, &QNetworkReply::downloadProgress, reply,
            [reply, limit, tooLarge](qint64 received, qint64 total) {
                if (limit > 0 && (received > limit || total > limit) && !*tooLarge) {
                    *tooLarge = true;
                    reply->abort();
                }
            });
    connect(reply, &QNetworkReply::finished, this, [this, reply, promql, done, tooLarge, limit] {
        m_replies.erase(std::remove(m_replies.begin(), m_replies.end(), reply), m_replies.end());
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        PromResult r;
        r.query = promql;
        if (*tooLarge) {
            r.error = fail(promql,
                           QStringLiteral("the answer is larger than the limit of %1 MiB")
                               .arg(double(limit) / (1024.0 * 1024.0), 0, 'f', 1));
            return done(r);
        }
        const QNetworkReply::NetworkError err = reply->error();
        if (err == QNetworkReply::OperationCanceledError || err == QNetworkReply::TimeoutError) {
            r.error = fail(promql,
                           QStringLiteral("no answer within the timeout of %1 s")
                               .arg(double(m_options.timeoutMs) / 1000.0, 0, 'f', 1));
            return done(r);
        }
        if (status == 0 && err != QNetworkReply::NoError) {
            r.error = fail(promql,
                           QStringLiteral("cannot reach the server: %1").arg(reply->errorString()));
            return done(r);
        }
        if (status >= 300 && status < 400) {
            r.error = fail(promql,
                           QStringLiteral("HTTP %1 redirect to %2 (give the final URL instead)")
                               .arg(status)
                               .arg(shortText(QString::fromUtf8(reply->rawHeader("Location")))));
            return done(r);
        }
        const QByteArray body = reply->readAll();
        if (limit > 0 && body.size() > limit) {
            r.error = fail(promql,
                           QStringLiteral("the answer is larger than the limit of %1 MiB")
                               .arg(double(limit) / (1024.0 * 1024.0), 0, 'f', 1));
            return done(r);
        }
        r = parseApiResponse(body, status, promql);
        if (!r.ok) {
            // A 4xx/5xx without the API's JSON (a proxy, a wrong path) says what the HTTP said.
            if (status >= 400 && !r.error.contains(QLatin1String("answered")))
                r.error =
                    QStringLiteral("HTTP %1 %2 (is %3 the server's API root?)")
                        .arg(status)
                        .arg(shortText(
                            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
                            60))
                        .arg(displayUrl());
            r.error = fail(promql, r.error);
        }
        done(r);
    });
}

} // namespace fleetscope::promql
