#pragma once

// TestServer: a small HTTP/1.1 server on 127.0.0.1, port 0, answering each request with the
// handler registered for its path (canned answers, hung peers, tricklers, bombs). Plain TCP or
// TLS. It counts connections open at once. Test code only; lives on the test's thread.

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <zlib.h>

#include <functional>
#include <memory>

namespace fleetscope::scrape::test {

struct Request
{
    QByteArray method;
    QByteArray path;
    QMap<QByteArray, QByteArray> headers; // names lowercased
    qint64 atMs = 0; // on the server's clock
};

// A QTcpServer whose connections are TLS server sockets.
class TlsTcpServer : public QTcpServer
{
public:
    explicit TlsTcpServer(QSslConfiguration configuration)
        : m_configuration(std::move(configuration))
    { }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        socket->setSslConfiguration(m_configuration);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        addPendingConnection(socket);
        socket->startServerEncryption();
    }

private:
    QSslConfiguration m_configuration;
};

class TestServer
{
public:
    using Handler = std::function<void(QTcpSocket *socket, const Request &request)>;

    TestServer()
        : m_server(std::make_unique<QTcpServer>())
    {
        init();
    }
    explicit TestServer(const QSslConfiguration &tls)
        : m_server(std::make_unique<TlsTcpServer>(tls))
        , m_tls(true)
    {
        init();
    }

    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                        .arg(port())
                        .arg(path));
    }
    void on(const QByteArray &path, Handler handler) { m_handlers[path] = std::move(handler); }

    QList<Request> requests;
    int openConnections = 0;
    int maxOpenConnections = 0;
    int totalConnections = 0;
    QElapsedTimer clock;

    QList<Request> requestsFor(const QByteArray &path) const
    {
        QList<Request> out;
        for (const Request &r : requests) {
            if (r.path == path)
                out.append(r);
        }
        return out;
    }

    // A whole answer with Content-Length, then the connection is closed.
    static QByteArray answer(int status, const QByteArray &reason, const QByteArray &contentType,
                             const QByteArray &body, const QList<QByteArray> &extraHeaders = {})
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
        if (!contentType.isEmpty())
            out += "Content-Type: " + contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        for (const QByteArray &h : extraHeaders)
            out += h + "\r\n";
        out += "Connection: close\r\n\r\n";
        return out + body;
    }
    static void respond(QTcpSocket *socket, const QByteArray &bytes)
    {
        socket->write(bytes);
        socket->disconnectFromHost(); // after the pending bytes are written
    }
    static Handler serve(int status, const QByteArray &reason, const QByteArray &contentType,
                         const QByteArray &body, const QList<QByteArray> &extraHeaders = {})
    {
        const QByteArray bytes = answer(status, reason, contentType, body, extraHeaders);
        return [bytes](QTcpSocket *socket, const Request &) {
            respond(socket, bytes);
        };
    }

private:
    void init()
    {
        clock.start();
        QObject::connect(m_server.get(), &QTcpServer::newConnection, m_server.get(), [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                accept(socket);
        });
        m_server->listen(QHostAddress::LocalHost, 0);
    }

    void accept(QTcpSocket *socket)
    {
        ++totalConnections;
        ++openConnections;
        maxOpenConnections = std::max(maxOpenConnections, openConnections);
        auto buffer = std::make_shared<QByteArray>();
        auto handled = std::make_shared<bool>(false);
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
            --openConnections;
            socket->deleteLater();
        });
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer, handled] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (*handled || end < 0)
                return;
            *handled = true;
            Request request;
            request.atMs = clock.elapsed();
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers[lines[i].left(colon).trimmed().toLower()] =
                        lines[i].mid(colon + 1).trimmed();
            }
            requests.append(request);
            const auto it = m_handlers.constFind(request.path);
            if (it != m_handlers.constEnd())
                (*it)(socket, request);
            else
                respond(socket, answer(404, "Not Found", "text/plain", "no handler\n"));
        });
    }

    std::unique_ptr<QTcpServer> m_server;
    QHash<QByteArray, Handler> m_handlers;
    bool m_tls = false;
};

// gzip of `data` (one member), or of `repeat` copies of it, streamed so the input never has to
// exist in memory at once: a gzip bomb is gzip(QByteArray(1 MiB, 0), 1024).
inline QByteArray gzip(const QByteArray &data, int repeat = 1)
{
    z_stream zs {};
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, repeat > 1 ? Z_RLE : Z_DEFAULT_STRATEGY);
    QByteArray out;
    char block[64 * 1024];
    for (int i = 0; i < repeat; ++i) {
        zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
        zs.avail_in = uInt(data.size());
        const int flush = i + 1 == repeat ? Z_FINISH : Z_NO_FLUSH;
        int rc = Z_OK;
        do {
            zs.next_out = reinterpret_cast<Bytef *>(block);
            zs.avail_out = sizeof block;
            rc = deflate(&zs, flush);
            out.append(block, qsizetype(sizeof block - zs.avail_out));
        } while (zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    }
    deflateEnd(&zs);
    return out;
}

} // namespace fleetscope::scrape::test
