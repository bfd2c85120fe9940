#include "httprequest.h"

#include <QList>

namespace fleetscope::sim {

HttpRequest::State HttpRequest::fail(int status, const QString &message)
{
    m_state = State::Invalid;
    m_errorStatus = status;
    m_errorMessage = message;
    m_buffer.clear();
    return m_state;
}

HttpRequest::State HttpRequest::feed(const QByteArray &bytes)
{
    if (m_state != State::Incomplete)
        return m_state;
    m_buffer.append(bytes);

    if (m_headerEnd < 0) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > maxHeaderBytes)
                return fail(431, QStringLiteral("request headers exceed 16 KiB"));
            return m_state;
        }
        if (end > maxHeaderBytes)
            return fail(431, QStringLiteral("request headers exceed 16 KiB"));
        m_headerEnd = end + 4;

        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        if (requestLine.size() != 3 || requestLine[0].isEmpty() || !requestLine[1].startsWith('/'))
            return fail(400, QStringLiteral("malformed request line"));
        if (!requestLine[2].startsWith("HTTP/1."))
            return fail(505, QStringLiteral("only HTTP/1.x is supported"));
        for (char c : requestLine[0]) {
            if (c < 'A' || c > 'Z')
                return fail(400, QStringLiteral("malformed method"));
        }
        m_method = requestLine[0];
        const QByteArray target = requestLine[1];
        const qsizetype question = target.indexOf('?');
        m_path = question < 0 ? target : target.left(question);
        m_query = question < 0 ? QByteArray() : target.mid(question + 1);

        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail(400, QStringLiteral("malformed header line"));
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length") {
                bool ok = false;
                const qlonglong length = value.toLongLong(&ok);
                if (!ok || length < 0)
                    return fail(400, QStringLiteral("malformed Content-Length"));
                if (length > maxBodyBytes)
                    return fail(413, QStringLiteral("request body exceeds 4 KiB"));
                m_contentLength = qsizetype(length);
            } else if (name == "transfer-encoding") {
                return fail(400, QStringLiteral("chunked request bodies are not supported"));
            }
        }
    }
    if (m_buffer.size() - m_headerEnd < m_contentLength)
        return m_state;
    m_body = m_buffer.mid(m_headerEnd, m_contentLength);
    m_buffer.clear();
    m_state = State::Complete;
    return m_state;
}

QByteArray HttpRequest::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Status";
    }
}

QByteArray HttpRequest::response(int status, const QByteArray &contentType, const QByteArray &body)
{
    QByteArray out;
    out.reserve(body.size() + 160);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    out += body;
    return out;
}

} // namespace fleetscope::sim
