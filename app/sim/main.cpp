// fleetsim: simulated edge nodes serving the FleetScope metric contract. The work is in the
// fleetscope_sim library; this file parses the command line and runs the event loop.

#include "simoptions.h"
#include "simulation.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int s_signalFds[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(s_signalFds[1], &byte, 1);
}

// SIGINT and SIGTERM end the event loop, so the servers close their ports cleanly.
void quitOnSignals(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s_signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(s_signalFds[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(s_signalFds[0], &byte, 1);
        app.quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

void print(FILE *stream, const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char *argv[])
{
    using namespace fleetscope::sim;
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fleetsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEETSCOPE_VERSION));

    QString error;
    const auto options = SimOptions::parse(QCoreApplication::arguments(), &error);
    if (!options) {
        print(stderr, QStringLiteral("fleetsim: %1\nTry 'fleetsim --help'.\n").arg(error));
        return 2;
    }
    if (options->action == SimOptions::Action::Help) {
        print(stdout, SimOptions::helpText());
        return 0;
    }
    if (options->action == SimOptions::Action::Version) {
        print(stdout, SimOptions::versionText() + QLatin1Char('\n'));
        return 0;
    }

    Simulation simulation;
    if (!simulation.configure(*options, &error) || !simulation.start(&error)) {
        print(stderr, QStringLiteral("fleetsim: %1\n").arg(error));
        return 2;
    }
    if (!options->portFile.isEmpty() && !simulation.writePortFile(options->portFile, &error)) {
        print(stderr, QStringLiteral("fleetsim: %1\n").arg(error));
        return 2;
    }

    QString banner = QStringLiteral("fleetsim %1: %2 nodes, primary %3, seed %4, time scale %5\n")
                         .arg(QLatin1String(FLEETSCOPE_VERSION))
                         .arg(simulation.nodeCount())
                         .arg(options->primary)
                         .arg(options->seed)
                         .arg(options->timeScale);
    if (simulation.nodeCount() <= 30) {
        for (int i = 0; i < simulation.nodeCount(); ++i)
            banner += QStringLiteral("  %1 %2\n")
                          .arg(simulation.nodeName(i), -8)
                          .arg(QString::fromUtf8(simulation.nodeJson(i)));
    }
    if (!options->portFile.isEmpty())
        banner += QStringLiteral("fleet file: %1\n").arg(options->portFile);
    if (options->control)
        banner += QStringLiteral("control: http://%1:%2/nodes\n")
                      .arg(options->listen.protocol() == QAbstractSocket::IPv6Protocol
                               ? QLatin1Char('[') + options->listen.toString() + QLatin1Char(']')
                               : options->listen.toString())
                      .arg(simulation.controlPort());
    banner += QStringLiteral("ready\n");
    print(stdout, banner);

    quitOnSignals(app);
    const int status = app.exec();
    simulation.stop();
    return status;
}
