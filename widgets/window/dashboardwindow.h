#pragma once

// DashboardWindow: the window people live in. A start page (open a fleet, open a snapshot, try
// the demo, recent fleets) and the dashboard (toolbar, region map, KPI tiles, charts and tables
// in docks, status bar). It only draws snapshots and says what the user asked for through
// signals; the application connects those to the collectors. GUI thread; owns its child
// widgets; snapshots are shared immutable values.

#include "snapshot/fleetsnapshot.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QStackedWidget;
class QAction;
class QProgressBar;
class QSlider;
class QToolBar;

namespace fleetscope::widgets {

class DashboardView;
class ElidingLabel;

class DashboardWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit DashboardWindow(QWidget *parent = nullptr);
    ~DashboardWindow() override;

    // What the dashboard shows: a live fleet, the demo, or a saved snapshot (read-only).
    enum class SourceKind { None, Fleet, Demo, Snapshot };
    void setSource(SourceKind kind, const QString &name, const QString &location);
    SourceKind sourceKind() const { return m_sourceKind; }

    // The settings the user has chosen (quantile, window, pricing, vantage, SLO).
    snapshot::Settings settings() const { return m_settings; }
    void setSettings(const snapshot::Settings &settings);

    std::shared_ptr<const snapshot::FleetSnapshot> currentSnapshot() const { return m_shown; }
    QString selectedRegion() const { return m_selectedRegion; }

    void setRecentFleets(const QStringList &paths);
    QStringList recentFleets() const { return m_recent; }

    // For tests and screenshots: the start page or the dashboard is showing.
    bool isShowingStartPage() const;
    DashboardView *view() const { return m_view; }

    // Replay of a saved snapshot: the instant shown (seconds since the epoch; the snapshot's own
    // time when not replaying) and the slider that scrubs through the stored window.
    double replayTime() const;
    QSlider *replaySlider() const { return m_replaySlider; }

public Q_SLOTS:
    // A new snapshot from the monitor; repaints are coalesced to a few a second.
    void showSnapshot(std::shared_ptr<const fleetscope::snapshot::FleetSnapshot> snapshot);
    void showScrapeProgress(int answered, int total, int failedScrapes);
    void showError(const QString &message);
    void selectRegion(const QString &code);
    void showStartPage();

Q_SIGNALS:
    void openFleetRequested(const QString &path);
    void openSnapshotRequested(const QString &path);
    void demoRequested();
    void settingsChanged(const fleetscope::snapshot::Settings &settings);
    void refreshIntervalChanged(int milliseconds); // 0: paused
    void refreshNowRequested();
    void exportRequested(const QString &path);
    void closeFleetRequested();
    // File ▸ Compare Snapshots…: two saved snapshots, before and after.
    void compareSnapshotsRequested(const QString &before, const QString &after);
    void regionSelected(const QString &code);
    // The replay reached the instant the slider asked for and the panels show it.
    void replayShown(double time);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildStartPage();
    void buildToolBar();
    void applyPending();
    void reanalyse();
    snapshot::Settings effectiveSettings() const; // m_settings, window capped to the stored one
    void resetReplay();
    void onReplayMoved();
    void startReplayAnalysis();
    void updateReplayLabel();
    void onSettingsControlsChanged();
    void chooseFleet();
    void chooseSnapshot();
    void chooseExport();
    void chooseCompare();
    void restoreState();
    void saveState();
    void updateTitle();

    SourceKind m_sourceKind = SourceKind::None;
    QString m_sourceName, m_sourceLocation;
    snapshot::Settings m_settings;
    QString m_selectedRegion;
    QStringList m_recent;

    std::shared_ptr<const snapshot::FleetSnapshot> m_pending; // newest from the monitor
    std::shared_ptr<const snapshot::FleetSnapshot> m_raw; // as received (re-analysed on change)
    std::shared_ptr<const snapshot::FleetSnapshot> m_shown; // what is drawn
    QTimer m_repaint; // coalesces snapshots to a few repaints a second

    QStackedWidget *m_pages = nullptr;
    QWidget *m_startPage = nullptr;
    QListWidget *m_recentList = nullptr;
    DashboardView *m_view = nullptr;
    QToolBar *m_toolBar = nullptr;
    ElidingLabel *m_sourceLabel = nullptr;
    QLabel *m_readOnlyBanner = nullptr;
    QWidget *m_replayBar = nullptr;
    QSlider *m_replaySlider = nullptr;
    QLabel *m_replayLabel = nullptr;
    QTimer m_replayTimer; // coalesces slider moves
    QFutureWatcher<std::shared_ptr<const snapshot::FleetSnapshot>> m_replayWatcher;
    bool m_replayQueued = false; // the slider moved while an analysis was running
    quint64 m_replayGeneration = 0; // bumped by every new analysis; older results are dropped
    quint64 m_replayRunning = 0; // the generation of the analysis running
    QComboBox *m_refresh = nullptr;
    QComboBox *m_window = nullptr;
    QComboBox *m_quantile = nullptr;
    QComboBox *m_pricing = nullptr;
    QComboBox *m_vantage = nullptr;
    QLineEdit *m_regionFilter = nullptr;
    QLabel *m_statusScrape = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_closeAction = nullptr;
};

} // namespace fleetscope::widgets
