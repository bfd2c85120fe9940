#include "scrape/bodydecoder.h"

#include <zlib.h>

#include <limits>
#include <vector>

namespace fleetscope::scrape {

namespace {
// Output is produced in blocks this size and checked against the limit before it is kept.
constexpr std::size_t kBlockBytes = 64 * 1024;
// Inflaters kept per thread for the next decoder: zlib's state and window are allocated once, not
// once a scrape.
constexpr std::size_t kSpareInflaters = 8;
} // namespace

struct BodyDecoder::Inflater
{
    z_stream stream {};
    bool initialised = false;

    ~Inflater()
    {
        if (initialised)
            inflateEnd(&stream);
    }
};

namespace {
struct ThreadScratch
{
    // The output block: each inflate() result is appended to the body before the next one, so one
    // block a thread serves every decoder on it. Written before it is read: not zeroed.
    std::unique_ptr<char[]> block { new char[kBlockBytes] };
    std::vector<std::unique_ptr<BodyDecoder::Inflater>> spare;
};

ThreadScratch &scratch()
{
    static thread_local ThreadScratch s;
    return s;
}
} // namespace

std::optional<BodyDecoder::Encoding> BodyDecoder::encodingFromHeader(QByteArrayView contentEncoding)
{
    const QByteArray value = contentEncoding.trimmed().toByteArray().toLower();
    if (value.isEmpty() || value == "identity")
        return Encoding::Identity;
    if (value == "gzip" || value == "x-gzip")
        return Encoding::Gzip;
    if (value == "deflate")
        return Encoding::Deflate;
    return std::nullopt;
}

BodyDecoder::BodyDecoder(Encoding encoding, std::size_t maxBytes)
    : m_maxBytes(maxBytes)
    , m_encoding(encoding)
{
    if (encoding == Encoding::Identity)
        return;
    // 15 + 16: gzip only; 15 + 32: zlib or gzip, detected from the header ("deflate" in HTTP means
    // the zlib format).
    const int windowBits = encoding == Encoding::Gzip ? 15 + 16 : 15 + 32;
    auto &spare = scratch().spare;
    if (!spare.empty()) {
        m_inflater = std::move(spare.back());
        spare.pop_back();
        if (inflateReset2(&m_inflater->stream, windowBits) == Z_OK)
            return;
        m_inflater = std::make_unique<Inflater>();
    } else {
        m_inflater = std::make_unique<Inflater>();
    }
    if (inflateInit2(&m_inflater->stream, windowBits) != Z_OK) {
        fail(Status::Corrupt, QStringLiteral("zlib could not be initialised"));
        return;
    }
    m_inflater->initialised = true;
}

BodyDecoder::~BodyDecoder()
{
    // A finished or failed stream is reset before its next use (inflateReset2 above).
    if (m_inflater && m_inflater->initialised) {
        auto &spare = scratch().spare;
        if (spare.size() < kSpareInflaters)
            spare.push_back(std::move(m_inflater));
    }
}

void BodyDecoder::reserve(std::size_t bytes)
{
    m_body.reserve(m_maxBytes ? std::min(bytes, m_maxBytes) : bytes);
}

BodyDecoder::Status BodyDecoder::fail(Status status, QString message)
{
    m_status = status;
    m_errorString = std::move(message);
    return status;
}

BodyDecoder::Status BodyDecoder::append(const char *data, std::size_t size)
{
    if (m_maxBytes != 0 && size > m_maxBytes - m_body.size()) {
        // Keep what fits, so bodyBytes() reports where the limit stopped us.
        m_body.append(data, m_maxBytes - m_body.size());
        return fail(Status::LimitExceeded,
                    QStringLiteral("the body is larger than the %1 byte limit").arg(m_maxBytes));
    }
    m_body.append(data, size);
    return Status::Ok;
}

BodyDecoder::Status BodyDecoder::feed(const char *data, std::size_t size)
{
    if (m_status != Status::Ok || size == 0)
        return m_status;
    m_inputBytes += size;
    if (m_encoding == Encoding::Identity)
        return append(data, size);
    // zlib counts input in uInt; feed very large buffers in pieces.
    while (size > 0 && m_status == Status::Ok) {
        const std::size_t piece = std::min<std::size_t>(size, std::numeric_limits<uInt>::max());
        inflateSome(data, piece);
        data += piece;
        size -= piece;
    }
    return m_status;
}

BodyDecoder::Status BodyDecoder::inflateSome(const char *data, std::size_t size)
{
    z_stream &zs = m_inflater->stream;
    char *const block = scratch().block.get();
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
    zs.avail_in = uInt(size);
    do {
        if (m_memberEnded) {
            if (zs.avail_in == 0)
                break;
            // gzip allows several members one after the other (RFC 1952 2.2).
            if (m_encoding != Encoding::Gzip)
                return fail(Status::Corrupt, QStringLiteral("data follows the end of the stream"));
            inflateReset(&zs);
            m_memberEnded = false;
        }
        zs.next_out = reinterpret_cast<Bytef *>(block);
        zs.avail_out = uInt(kBlockBytes);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        const std::size_t produced = kBlockBytes - zs.avail_out;
        if (produced > 0 && append(block, produced) != Status::Ok)
            return m_status;
        if (rc == Z_STREAM_END) {
            m_memberEnded = true;
            continue;
        }
        if (rc == Z_BUF_ERROR) // no progress possible until more input arrives
            break;
        if (rc != Z_OK) {
            const QString why =
                zs.msg ? QString::fromUtf8(zs.msg) : QStringLiteral("error %1").arg(rc);
            return fail(Status::Corrupt,
                        QStringLiteral("the compressed body is corrupt: %1").arg(why));
        }
    } while (zs.avail_in > 0 || zs.avail_out == 0);
    return m_status;
}

BodyDecoder::Status BodyDecoder::finish()
{
    if (m_status != Status::Ok || m_encoding == Encoding::Identity)
        return m_status;
    if (m_inputBytes == 0)
        return fail(Status::Truncated, QStringLiteral("the compressed body is empty"));
    if (!m_memberEnded)
        return fail(Status::Truncated, QStringLiteral("the compressed body ends part-way"));
    return m_status;
}

} // namespace fleetscope::scrape
