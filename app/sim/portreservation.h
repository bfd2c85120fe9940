#pragma once

// PortReservation: holds a TCP port bound but not listening, so connecting to it is refused
// (a "down" node) while no other program can take the port the fleet file names. Linux/POSIX
// only. Owned by the node server that needs it; one thread.

#include <QHostAddress>

#include <memory>

namespace fleetscope::sim {

class PortReservation
{
public:
    // Binds `address:port` (port 0: the OS chooses). Returns nullptr and sets `error` on failure.
    static std::unique_ptr<PortReservation> bind(const QHostAddress &address, quint16 port,
                                                 QString *error);
    ~PortReservation();
    PortReservation(const PortReservation &) = delete;
    PortReservation &operator=(const PortReservation &) = delete;

    quint16 port() const { return m_port; }

private:
    PortReservation(int fd, quint16 port)
        : m_fd(fd)
        , m_port(port)
    { }
    int m_fd = -1;
    quint16 m_port = 0;
};

} // namespace fleetscope::sim
