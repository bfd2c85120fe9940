// DashboardWindow's menus: the File, View and Help actions with their shortcuts, and the file
// dialogs behind them, which turn what the user picked into the window's request signals. Kept
// apart from building the pages and toolbar, showing snapshots and replay (dashboardwindow.cpp):
// what the user can ask for, and by which keys, reads in one place.

#include "window/dashboardwindow.h"

#include "report/exporter.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>

namespace fleetscope::widgets {

void DashboardWindow::buildActions()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    auto add = [&](QMenu *menu, const QString &text, const QKeySequence &keys, auto slot) {
        QAction *a = menu->addAction(text);
        a->setShortcut(keys);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    add(file, QStringLiteral("Open &Fleet…"), QKeySequence::Open, &DashboardWindow::chooseFleet);
    add(file, QStringLiteral("Open &Snapshot…"), QKeySequence(QStringLiteral("Ctrl+Shift+O")),
        &DashboardWindow::chooseSnapshot);
    add(file, QStringLiteral("Co&mpare Snapshots…"), QKeySequence(QStringLiteral("Ctrl+Shift+C")),
        &DashboardWindow::chooseCompare);
    add(file, QStringLiteral("Try the &Demo Fleet"), QKeySequence(QStringLiteral("Ctrl+D")),
        &DashboardWindow::demoRequested);
    file->addSeparator();
    m_exportAction = add(file, QStringLiteral("&Export…"), QKeySequence(QStringLiteral("Ctrl+E")),
                         &DashboardWindow::chooseExport);
    m_closeAction = add(file, QStringLiteral("&Close Fleet"), QKeySequence::Close, [this] {
        Q_EMIT closeFleetRequested();
        showStartPage();
    });
    file->addSeparator();
    add(file, QStringLiteral("&Quit"), QKeySequence::Quit, &QWidget::close);

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    m_refreshAction = add(view, QStringLiteral("&Refresh Now"), QKeySequence::Refresh,
                          &DashboardWindow::refreshNowRequested);
    add(view, QStringLiteral("Clear Region &Selection"), QKeySequence(Qt::Key_Escape),
        [this] { selectRegion({}); });
    add(view, QStringLiteral("Filter &Regions"), QKeySequence::Find, [this] {
        m_regionFilter->setFocus();
        m_regionFilter->selectAll();
    });

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    add(help, QStringLiteral("&About FleetScope"), QKeySequence(), [this] {
        QMessageBox box(this);
        box.setWindowTitle(QStringLiteral("About FleetScope"));
        box.setTextFormat(Qt::PlainText);
        box.setText(QStringLiteral("FleetScope %1\nObservability for edge fleets.\n\n"
                                   "Basemap: Natural Earth (public domain) via world-atlas, "
                                   "© Michael Bostock, ISC licence.\n"
                                   "Region catalogue, pricing profiles and population centres: see "
                                   "resources/data/SOURCES.md.")
                        .arg(QApplication::applicationVersion()));
        box.exec();
    });
}

void DashboardWindow::chooseCompare()
{
    const QString filter = QStringLiteral("FleetScope snapshots (*.json);;All files (*)");
    const QString before = QFileDialog::getOpenFileName(
        this, QStringLiteral("Compare: the snapshot from before"), {}, filter);
    if (before.isEmpty())
        return;
    const QString after =
        QFileDialog::getOpenFileName(this, QStringLiteral("Compare: the snapshot from after"),
                                     QFileInfo(before).absolutePath(), filter);
    if (after.isEmpty())
        return;
    Q_EMIT compareSnapshotsRequested(before, after);
}

void DashboardWindow::chooseFleet()
{
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Open a fleet file"), {},
        QStringLiteral("Fleet files (*.json *.yaml *.yml);;All files (*)"));
    if (!path.isEmpty())
        Q_EMIT openFleetRequested(path);
}

void DashboardWindow::chooseSnapshot()
{
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Open a snapshot"), {},
        QStringLiteral("FleetScope snapshots (*.json);;All files (*)"));
    if (!path.isEmpty())
        Q_EMIT openSnapshotRequested(path);
}

void DashboardWindow::chooseExport()
{
    // The format follows the extension; the filter the user picks supplies a missing one.
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export"),
                                                QStringLiteral("fleetscope.pdf"),
                                                reportFileFilters(), &filter);
    if (!path.isEmpty() && reportFormatFor(path) == ReportFormat::Unknown) {
        const qsizetype star = filter.indexOf(QLatin1String("*."));
        if (star >= 0)
            path += filter.mid(star + 1).section(u' ', 0, 0).remove(u')');
    }
    if (!path.isEmpty())
        Q_EMIT exportRequested(path);
}

} // namespace fleetscope::widgets
