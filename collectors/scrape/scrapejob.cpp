// The Scraper's HTTP exchanges: the request (Accept, gzip, bearer token, TLS), headers and
// status, the body streamed through the decoder under its limits, redirects, the whole-scrape
// deadline, and handing the body to the parser.

#include "scrape/scraperprivate.h"

namespace fleetscope::scrape {

using namespace scraping;

QNetworkAccessManager *Scraper::networkFor(const ScrapeTarget &target)
{
    QString key = QStringLiteral("verified");
    if (target.url.scheme() == QLatin1String("https")) {
        if (target.insecureSkipVerify)
            key = QStringLiteral("insecure");
        else if (!target.caFile.isEmpty())
            key = QStringLiteral("ca:") + target.caFile;
    }
    QNetworkAccessManager *&network = m_networks[key];
    if (!network) {
        network = new QNetworkAccessManager(this);
        network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        network->setStrictTransportSecurityEnabled(false);
        // Targets are scraped directly, as Prometheus does without proxy_url: no proxy look-up
        // (environment variables, a query object) on every request.
        network->setProxy(QNetworkProxy::NoProxy);
    }
    return network;
}

void Scraper::startScrape(TargetState &state)
{
    state.busy = true;
    auto owned = std::make_unique<Job>();
    Job &job = *owned;
    job.id = m_nextJobId++;
    job.generation = state.generation;
    job.sequence = ++state.sequence;
    job.target = state.target;
    job.hint = state.hint;
    job.url = state.target.url;
    if (!state.request)
        state.request = std::make_shared<const QNetworkRequest>(
            buildRequest(state.target.url, state.target.timeout));
    job.request = state.request;
    job.start = QDateTime::currentDateTimeUtc();
    job.clock.start();
    m_jobs.emplace(job.id, std::move(owned));
    ++m_httpInFlight;

    const quint64 id = job.id;
    // A timer of the Scraper's own (timerEvent), not a QTimer object a scrape. Precise: a coarse
    // timer may fire 5% early.
    job.deadlineTimer = startTimer(job.target.timeout, Qt::PreciseTimer);
    if (job.deadlineTimer != 0)
        m_deadlines.emplace(job.deadlineTimer, id);

    const QUrl &url = job.target.url;
    QString why;
    ScrapeError error = ScrapeError::None;
    const QString scheme = url.scheme();
    if (!url.isValid() || url.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        error = ScrapeError::InvalidTarget;
        why = QStringLiteral("cannot scrape %1: only http:// and https:// URLs with a host are "
                             "supported")
                  .arg(withoutUserInfo(url).toString());
    } else if (!job.target.bearerTokenFile.isEmpty()) {
        if (auto token = readBearerToken(job.target.bearerTokenFile, &why)) {
            job.authorization = std::move(*token);
            job.sendAuthorization = true;
        } else {
            error = ScrapeError::BearerTokenFile;
        }
    }
    qCDebug(lcScrape) << "scraping" << job.target.id << withoutUserInfo(url).toString();
    if (error == ScrapeError::None && sendRequest(job))
        return;
    if (error != ScrapeError::None) {
        job.error = error;
        job.message = why;
    }
    // Report it from the event loop, as a network failure would be, never from inside start().
    QMetaObject::invokeMethod(
        this, [this, id] { httpDone(id); }, Qt::QueuedConnection);
}

QNetworkRequest Scraper::buildRequest(const QUrl &url, std::chrono::milliseconds timeout)
{
    QNetworkRequest request(url);
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArray(kAcceptHeader));
    // Set by hand, so Qt leaves the body compressed and BodyDecoder bounds the inflated size.
    request.setRawHeader(QByteArrayLiteral("Accept-Encoding"), QByteArrayLiteral("gzip"));
    request.setRawHeader(QByteArrayLiteral("User-Agent"),
                         QByteArrayLiteral("FleetScope/" FLEETSCOPE_VERSION));
    request.setRawHeader(QByteArrayLiteral("X-Prometheus-Scrape-Timeout-Seconds"),
                         QByteArray::number(double(timeout.count()) / 1000.0, 'g', 6));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    return request;
}

bool Scraper::sendRequest(Job &job)
{
    // The target's own URL: the request built once for it (shared, copied only when a header is
    // added); a redirect: a new one.
    QNetworkRequest request = job.url == job.target.url && job.request
        ? *job.request
        : buildRequest(job.url, job.target.timeout);
    if (job.sendAuthorization)
        request.setRawHeader(QByteArrayLiteral("Authorization"), job.authorization);

    if (job.url.scheme() == QLatin1String("https")) {
#if QT_CONFIG(ssl)
        if (!QSslSocket::supportsSsl()) {
            job.error = ScrapeError::Tls;
            job.message = QStringLiteral("cannot scrape %1: TLS is not available (no TLS backend)")
                              .arg(withoutUserInfo(job.url).toString());
            return false;
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!job.target.caFile.isEmpty()) {
            QString why;
            const auto certificates = m_caCache->load(job.target.caFile, &why);
            if (!certificates) {
                job.error = ScrapeError::CaFile;
                job.message = why;
                return false;
            }
            tls.setCaCertificates(*certificates); // replaces the system roots, as ca_file does
        }
        if (job.target.insecureSkipVerify)
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        request.setSslConfiguration(tls);
#else
        job.error = ScrapeError::Tls;
        job.message = QStringLiteral("cannot scrape %1: this build has no TLS support")
                          .arg(withoutUserInfo(job.url).toString());
        return false;
#endif
    }

    job.headersSeen = false;
    job.discardBody = false;
    job.status = 0;
    job.contentType.clear();
    job.contentLength = -1;
    job.decoder.reset();
    job.redirectTo.clear();
    QNetworkReply *reply = networkFor(job.target)->get(request);
    job.reply = reply;
    reply->setReadBufferSize(kReadBufferBytes);
    const quint64 id = job.id;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, id] { onMetaDataChanged(id); });
    connect(reply, &QNetworkReply::readyRead, this, [this, id] { onReadyRead(id); });
    connect(reply, &QNetworkReply::finished, this, [this, id] { onReplyFinished(id); });
#if QT_CONFIG(ssl)
    connect(reply, &QNetworkReply::sslErrors, this, [this, id](const QList<QSslError> &errors) {
        // Recorded for the message; never ignored: verification failures fail the scrape.
        const auto it = m_jobs.find(id);
        if (it == m_jobs.end())
            return;
        for (const QSslError &error : errors)
            it->second->tlsErrors.append(error.errorString());
    });
#endif
    return true;
}

bool Scraper::processHeaders(Job &job)
{
    QNetworkReply *reply = job.reply;
    job.headersSeen = true;
    job.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    job.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toString();
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    job.contentLength = length.isValid() ? length.toLongLong() : -1;
    const QString reason =
        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().trimmed();
    const QString statusText = reason.isEmpty()
        ? QStringLiteral("HTTP %1").arg(job.status)
        : QStringLiteral("HTTP %1 %2").arg(job.status).arg(reason);

    const bool redirect = job.status == 301 || job.status == 302 || job.status == 303
        || job.status == 307 || job.status == 308;
    if (redirect) {
        const QByteArray location = reply->rawHeader(QByteArrayLiteral("Location"));
        const QUrl target = job.url.resolved(QUrl::fromEncoded(location));
        const QString shown = withoutUserInfo(target).toString();
        if (location.isEmpty() || !target.isValid()) {
            job.error = ScrapeError::HttpStatus;
            job.message = QStringLiteral("%1 without a usable Location").arg(statusText);
        } else if (!job.target.followRedirects) {
            job.error = ScrapeError::HttpStatus;
            job.message = QStringLiteral("%1: redirect to %2 not followed (the target does not "
                                         "follow redirects)")
                              .arg(statusText, shown);
        } else if (job.url.scheme() == QLatin1String("https")
                   && target.scheme() != QLatin1String("https")) {
            job.error = ScrapeError::HttpStatus;
            job.message = QStringLiteral("%1: refusing to follow a redirect from https to %2")
                              .arg(statusText, shown);
        } else {
            job.redirectTo = target;
        }
        return false;
    }
    if (job.status != 200) {
        job.error = ScrapeError::HttpStatus;
        job.message = job.status == 0 ? QStringLiteral("the answer is not HTTP") : statusText;
        // Qt reports 4xx/5xx itself when the answer ends; aborting first would make it warn. Read
        // a short error page to its end instead (readBody discards it, and aborts a long one).
        job.discardBody = job.status >= 400;
        return job.discardBody;
    }

    const QByteArray encodingHeader = reply->rawHeader(QByteArrayLiteral("Content-Encoding"));
    const auto encoding = BodyDecoder::encodingFromHeader(encodingHeader);
    if (!encoding) {
        job.error = ScrapeError::Decoding;
        job.message = QStringLiteral("the answer uses Content-Encoding \"%1\", which was not "
                                     "asked for (only gzip is)")
                          .arg(QString::fromLatin1(encodingHeader.left(64)));
        return false;
    }
    const std::size_t limit = job.target.limits.maxBodyBytes;
    if (*encoding == BodyDecoder::Encoding::Identity && limit != 0 && job.contentLength > 0
        && quint64(job.contentLength) > limit) {
        job.error = ScrapeError::BodyLimitExceeded;
        job.message = QStringLiteral("body limit exceeded: the server announced %1 bytes, more "
                                     "than the %2 byte limit")
                          .arg(job.contentLength)
                          .arg(limit);
        return false;
    }
    job.decoder = std::make_unique<BodyDecoder>(*encoding, limit);
    if (*encoding == BodyDecoder::Encoding::Identity && job.contentLength > 0)
        job.decoder->reserve(std::size_t(job.contentLength));
    else
        // Room for a body a little longer than the last (values change width): growing a
        // string doubles it. Capped at the limit.
        job.decoder->reserve(job.hint.bodyBytes + job.hint.bodyBytes / 16 + 1024);
    return true;
}

bool Scraper::readBody(Job &job)
{
    if (job.discardBody) {
        for (;;) {
            const qint64 n = job.reply->read(m_readBuffer.data(), qint64(m_readBuffer.size()));
            if (n <= 0)
                return true;
            job.wireBytes += n;
            if (job.wireBytes > kMaxDiscardedBytes)
                return false;
        }
    }
    if (!job.decoder)
        return job.error == ScrapeError::None;
    for (;;) {
        const qint64 n = job.reply->read(m_readBuffer.data(), qint64(m_readBuffer.size()));
        if (n <= 0)
            return true;
        job.wireBytes += n;
        const auto status = job.decoder->feed(m_readBuffer.data(), std::size_t(n));
        if (status == BodyDecoder::Status::Ok)
            continue;
        if (status == BodyDecoder::Status::LimitExceeded) {
            job.error = ScrapeError::BodyLimitExceeded;
            job.message = job.decoder->encoding() == BodyDecoder::Encoding::Identity
                ? QStringLiteral("body limit exceeded: more than %1 bytes")
                      .arg(job.decoder->maxBytes())
                : QStringLiteral("body limit exceeded: more than %1 bytes after "
                                 "decompression (%2 compressed bytes read)")
                      .arg(job.decoder->maxBytes())
                      .arg(job.wireBytes);
        } else {
            job.error = status == BodyDecoder::Status::Truncated ? ScrapeError::Truncated
                                                                 : ScrapeError::Decoding;
            job.message = job.decoder->errorString();
        }
        return false;
    }
}

void Scraper::onMetaDataChanged(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || !it->second->reply || it->second->headersSeen)
        return;
    Job &job = *it->second;
    if (!job.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
        return;
    if (!processHeaders(job))
        job.reply->abort(); // finished arrives now; onReplyFinished reports or follows
}

void Scraper::onReadyRead(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || !it->second->reply)
        return;
    Job &job = *it->second;
    if (!job.headersSeen) {
        onMetaDataChanged(jobId);
        if (!m_jobs.count(jobId) || !job.reply
            || (job.error != ScrapeError::None && !job.discardBody))
            return;
    }
    if (!readBody(job))
        job.reply->abort(); // the job may be gone after this
}

void Scraper::timerEvent(QTimerEvent *event)
{
    const auto it = m_deadlines.find(event->timerId());
    if (it == m_deadlines.end()) {
        QObject::timerEvent(event);
        return;
    }
    const quint64 jobId = it->second;
    killTimer(event->timerId()); // fires once
    m_deadlines.erase(it);
    if (const auto job = m_jobs.find(jobId); job != m_jobs.end()) {
        job->second->deadlineTimer = 0;
        onDeadline(jobId);
    }
}

void Scraper::onDeadline(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return;
    Job &job = *it->second;
    const QString limit = formatDuration(job.target.timeout.count());
    failJob(job, ScrapeError::Timeout,
            job.headersSeen
                ? QStringLiteral("timeout: the answer did not complete within %1").arg(limit)
                : QStringLiteral("timeout: no answer within %1").arg(limit));
}

void Scraper::failJob(Job &job, ScrapeError error, QString message)
{
    if (job.error == ScrapeError::None) {
        job.error = error;
        job.message = std::move(message);
    }
    if (job.reply)
        job.reply->abort(); // emits finished: onReplyFinished ends the job
    else
        httpDone(job.id);
}

void Scraper::onReplyFinished(quint64 jobId)
{
    const auto it = m_jobs.find(jobId);
    if (it == m_jobs.end() || !it->second->reply)
        return;
    Job &job = *it->second;
    QNetworkReply *reply = job.reply;
    reply->deleteLater();

    if (job.error == ScrapeError::None && !m_destroying) {
        if (!job.headersSeen
            && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
            processHeaders(job);
        if (job.error == ScrapeError::None && job.redirectTo.isValid()) {
            job.reply = nullptr;
            if (++job.redirects > m_options.maxRedirects) {
                job.error = ScrapeError::TooManyRedirects;
                job.message = QStringLiteral("more than %1 redirects").arg(m_options.maxRedirects);
            } else {
                qCDebug(lcScrape) << "target" << job.target.id << "redirected to"
                                  << withoutUserInfo(job.redirectTo).toString();
                // Credentials go only to the origin they were configured for.
                job.sendAuthorization =
                    job.sendAuthorization && sameOrigin(job.redirectTo, job.target.url);
                job.url = job.redirectTo;
                if (sendRequest(job))
                    return;
            }
            httpDone(jobId);
            return;
        }
        if (job.error == ScrapeError::None)
            readBody(job);
    }

    const QNetworkReply::NetworkError network = reply->error();
    if (job.error == ScrapeError::None && network != QNetworkReply::NoError) {
        const QString where = hostPort(job.url);
        switch (network) {
        case QNetworkReply::ConnectionRefusedError:
            job.error = ScrapeError::ConnectionRefused;
            job.message = QStringLiteral("connection refused by %1").arg(where);
            break;
        case QNetworkReply::HostNotFoundError:
            job.error = ScrapeError::HostNotFound;
            job.message = QStringLiteral("host not found: %1").arg(job.url.host());
            break;
        case QNetworkReply::TimeoutError:
            job.error = ScrapeError::Timeout;
            job.message = QStringLiteral("timeout: the connection to %1 timed out").arg(where);
            break;
        case QNetworkReply::SslHandshakeFailedError:
        case QNetworkReply::InsecureRedirectError:
            job.error = ScrapeError::Tls;
            job.message =
                QStringLiteral("TLS error with %1: %2")
                    .arg(where,
                         job.tlsErrors.isEmpty() ? reply->errorString()
                                                 : job.tlsErrors.join(QStringLiteral("; ")));
            break;
        case QNetworkReply::RemoteHostClosedError:
            if (job.headersSeen) {
                job.error = ScrapeError::Truncated;
                job.message = job.contentLength >= 0
                    ? QStringLiteral("truncated: the connection closed after %1 of %2 body "
                                     "bytes")
                          .arg(job.wireBytes)
                          .arg(job.contentLength)
                    : QStringLiteral("truncated: the connection closed part-way through the "
                                     "body");
            } else {
                job.error = ScrapeError::Network;
                job.message =
                    QStringLiteral("%1 closed the connection without answering").arg(where);
            }
            break;
        default:
            if (!job.tlsErrors.isEmpty()) {
                job.error = ScrapeError::Tls;
                job.message = QStringLiteral("TLS error with %1: %2")
                                  .arg(where, job.tlsErrors.join(QStringLiteral("; ")));
            } else {
                job.error = ScrapeError::Network;
                job.message =
                    QStringLiteral("network error with %1: %2").arg(where, reply->errorString());
            }
            break;
        }
    }
    if (job.error == ScrapeError::None && !job.headersSeen) {
        job.error = ScrapeError::Network;
        job.message = QStringLiteral("%1 gave no HTTP answer").arg(hostPort(job.url));
    }
    if (job.error == ScrapeError::None && job.decoder) {
        if (job.decoder->finish() != BodyDecoder::Status::Ok) {
            job.error = job.decoder->status() == BodyDecoder::Status::Truncated
                ? ScrapeError::Truncated
                : ScrapeError::Decoding;
            job.message = QStringLiteral("truncated: %1").arg(job.decoder->errorString());
        } else if (job.decoder->encoding() == BodyDecoder::Encoding::Identity
                   && job.contentLength >= 0 && job.wireBytes < job.contentLength) {
            job.error = ScrapeError::Truncated;
            job.message = QStringLiteral("truncated: the connection closed after %1 of %2 body "
                                         "bytes")
                              .arg(job.wireBytes)
                              .arg(job.contentLength);
        }
    }
    job.reply = nullptr;
    httpDone(jobId);
}

void Scraper::cancelJobsOf(const QString &targetId)
{
    std::vector<quint64> ids;
    for (const auto &[id, job] : m_jobs) {
        if (job->target.id == targetId)
            ids.push_back(id);
    }
    for (const quint64 id : ids) {
        const auto it = m_jobs.find(id);
        if (it != m_jobs.end())
            failJob(*it->second, ScrapeError::Network, QStringLiteral("the target was replaced"));
    }
}

void Scraper::httpDone(quint64 jobId)
{
    auto node = m_jobs.extract(jobId);
    if (node.empty())
        return;
    std::unique_ptr<Job> job = std::move(node.mapped());
    if (job->deadlineTimer != 0) {
        killTimer(job->deadlineTimer);
        m_deadlines.erase(job->deadlineTimer);
        job->deadlineTimer = 0;
    }
    --m_httpInFlight;
    if (m_destroying)
        return;

    const auto it = m_targets.find(job->target.id);
    if (it == m_targets.end() || it->second.generation != job->generation) {
        qCDebug(lcScrape) << "dropping a stale result for" << job->target.id;
        pump();
        return;
    }

    ScrapeResult result;
    result.targetId = job->target.id;
    result.sequence = job->sequence;
    result.url = withoutUserInfo(job->url);
    result.startTime = job->start;
    result.httpStatus = job->status;
    result.contentType = job->contentType;
    result.bodyBytes = job->decoder ? qint64(job->decoder->bodyBytes()) : 0;
    result.wireBytes = job->wireBytes;
    result.error = job->error;
    result.errorMessage = job->message;

    if (!result.ok()) {
        result.duration = std::chrono::milliseconds(job->clock.elapsed());
        qCDebug(lcScrape) << "target" << result.targetId << "failed:" << result.errorMessage;
        deliver(std::move(result), job->generation);
        pump();
        return;
    }

    const exposition::Format format = exposition::formatFromContentType(
        std::string_view(job->contentType.toLatin1().constData()));
    if (parseOnOwnThread()) {
        // Parsing a scrape costs tens of microseconds; handing it to a pool and back costs more
        // (two thread wake-ups and a watcher). This thread is not a GUI thread: parse here.
        ParseOutcome outcome = parseBody(job->decoder->takeBody(), format, job->target.limits,
                                         m_options.idlePredicate, job->hint);
        result.duration = std::chrono::milliseconds(job->clock.elapsed());
        takeOutcome(result, std::move(outcome));
        deliver(std::move(result), job->generation);
        pump();
        return;
    }

    // Parse on the pool; the body moves into the task and ends up owned by the result.
    auto *watcher = new QFutureWatcher<ParseOutcome>(this);
    const quint64 generation = job->generation;
    const QElapsedTimer clock = job->clock;
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, generation, clock, result = std::move(result)]() mutable {
                watcher->deleteLater();
                result.duration = std::chrono::milliseconds(clock.elapsed());
                takeOutcome(result, watcher->result());
                deliver(std::move(result), generation);
            });
    watcher->setFuture(QtConcurrent::run(&m_parsePool, &parseBody, job->decoder->takeBody(), format,
                                         job->target.limits, m_options.idlePredicate, job->hint));
    pump();
}

} // namespace fleetscope::scrape
