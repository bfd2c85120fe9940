#include "portreservation.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fleetscope::sim {

std::unique_ptr<PortReservation> PortReservation::bind(const QHostAddress &address, quint16 port,
                                                       QString *error)
{
    auto fail = [&](const QString &what) -> std::unique_ptr<PortReservation> {
        if (error)
            *error =
                QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(std::strerror(errno)));
        return nullptr;
    };
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(QStringLiteral("socket"));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

    sockaddr_storage storage {};
    socklen_t length = 0;
    if (v6) {
        auto *sa = reinterpret_cast<sockaddr_in6 *>(&storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(port);
        const Q_IPV6ADDR ip = address.toIPv6Address();
        std::memcpy(&sa->sin6_addr, &ip, sizeof ip);
        length = sizeof(sockaddr_in6);
    } else {
        auto *sa = reinterpret_cast<sockaddr_in *>(&storage);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(port);
        sa->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0) {
        auto result = fail(QStringLiteral("cannot bind %1:%2").arg(address.toString()).arg(port));
        ::close(fd);
        return result;
    }
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0) {
        auto result = fail(QStringLiteral("getsockname"));
        ::close(fd);
        return result;
    }
    const quint16 bound = v6 ? ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port)
                             : ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
    return std::unique_ptr<PortReservation>(new PortReservation(fd, bound));
}

PortReservation::~PortReservation()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace fleetscope::sim
