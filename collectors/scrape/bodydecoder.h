#pragma once

// BodyDecoder: turns a response body, as it streams in, into its decompressed bytes (identity or
// gzip), refusing as soon as the decompressed size passes a limit, so a gzip bomb never grows
// memory past limit + one 64 KiB block. Plain class, used by one thread at a time; the caller
// owns it and takes the body out when it is done.

#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace fleetscope::scrape {

class BodyDecoder
{
public:
    enum class Encoding : std::uint8_t { Identity, Gzip, Deflate };
    enum class Status : std::uint8_t { Ok, LimitExceeded, Corrupt, Truncated };

    // From a Content-Encoding header: empty or "identity", "gzip"/"x-gzip", "deflate";
    // nullopt for anything else (FleetScope only asks for gzip).
    static std::optional<Encoding> encodingFromHeader(QByteArrayView contentEncoding);

    // maxBytes bounds the decompressed body; 0 means unlimited.
    BodyDecoder(Encoding encoding, std::size_t maxBytes);
    ~BodyDecoder();
    BodyDecoder(const BodyDecoder &) = delete;
    BodyDecoder &operator=(const BodyDecoder &) = delete;

    // Feeds the next bytes as they arrived. Once it returns anything but Ok, the decoder stays
    // in that state and ignores further input.
    Status feed(const char *data, std::size_t size);
    Status feed(QByteArrayView bytes) { return feed(bytes.data(), std::size_t(bytes.size())); }
    // The input is complete: a gzip stream that stopped part-way is Truncated.
    Status finish();

    Status status() const { return m_status; }
    Encoding encoding() const { return m_encoding; }
    std::size_t inputBytes() const { return m_inputBytes; }
    std::size_t bodyBytes() const { return m_body.size(); }
    std::size_t maxBytes() const { return m_maxBytes; }
    // What went wrong, as the end of a sentence ("the gzip stream is corrupt: invalid block type").
    QString errorString() const { return m_errorString; }

    void reserve(std::size_t bytes);
    std::string takeBody() { return std::move(m_body); }

    struct Inflater; // zlib's state; a destroyed decoder leaves it for the next one on its thread

private:
    Status inflateSome(const char *data, std::size_t size);
    Status append(const char *data, std::size_t size);
    Status fail(Status status, QString message);

    std::unique_ptr<Inflater> m_inflater;
    std::string m_body;
    std::size_t m_maxBytes = 0;
    std::size_t m_inputBytes = 0;
    Encoding m_encoding = Encoding::Identity;
    Status m_status = Status::Ok;
    bool m_memberEnded = false; // the last gzip member ended; more input starts another one
    QString m_errorString;
};

} // namespace fleetscope::scrape
