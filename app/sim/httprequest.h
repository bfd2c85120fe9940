#pragma once

// HttpRequest: the minimal HTTP/1.x request reader the fault front servers and the control
// endpoint share. Fed untrusted bytes as they arrive; bounded in size; never throws. A plain
// value owned by the connection that feeds it; one thread.

#include <QByteArray>
#include <QString>

namespace fleetscope::sim {

class HttpRequest
{
public:
    enum class State { Incomplete, Complete, Invalid };

    static constexpr qsizetype maxHeaderBytes = 16 * 1024;
    static constexpr qsizetype maxBodyBytes = 4 * 1024;

    // Appends bytes; returns the state after them. Once Complete or Invalid, further bytes are
    // ignored.
    State feed(const QByteArray &bytes);
    State state() const { return m_state; }

    QByteArray method() const { return m_method; }
    QByteArray path() const { return m_path; } // without the query
    QByteArray query() const { return m_query; }
    QByteArray body() const { return m_body; }
    // When Invalid: the status to answer (400, 413, 431, 505) and a sentence why.
    int errorStatus() const { return m_errorStatus; }
    QString errorMessage() const { return m_errorMessage; }

    // A whole response with Connection: close.
    static QByteArray response(int status, const QByteArray &contentType, const QByteArray &body);
    static QByteArray reasonPhrase(int status);

private:
    State fail(int status, const QString &message);

    State m_state = State::Incomplete;
    QByteArray m_buffer;
    qsizetype m_headerEnd = -1;
    qsizetype m_contentLength = 0;
    QByteArray m_method, m_path, m_query, m_body;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace fleetscope::sim
