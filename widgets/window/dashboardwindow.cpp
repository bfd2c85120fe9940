#include "window/dashboardwindow.h"

#include "panels/panelstyle.h"
#include "snapshot/analysis.h"
#include "snapshot/replay.h"
#include "window/dashboardview.h"
#include "window/elidinglabel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTimeZone>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace fleetscope::widgets {

namespace {

struct Vantage
{
    QString name;
    double lat, lon;
};

// The population centres compiled in (resources/data/population-centres.json).
QList<Vantage> vantagePoints()
{
    QList<Vantage> out;
    QFile f(QStringLiteral(":/fleetscope/data/population-centres.json"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray centres = QJsonDocument::fromJson(f.readAll()).array();
    for (const QJsonValue &v : centres) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QStringLiteral("name")).toString();
        const double lat = o.value(QStringLiteral("lat")).toDouble(snapshot::kNaN);
        const double lon = o.value(QStringLiteral("lon")).toDouble(snapshot::kNaN);
        if (!name.isEmpty() && std::isfinite(lat) && std::isfinite(lon))
            out.append({ name, lat, lon });
    }
    return out;
}

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText); // fleet names and paths are not markup
    return label;
}

} // namespace

DashboardWindow::DashboardWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("DashboardWindow"));
    setWindowTitle(QStringLiteral("FleetScope"));
    m_settings.pricingProfile = QLatin1String(snapshot::kDefaultPricingProfile);

    m_pages = new QStackedWidget(this);
    setCentralWidget(m_pages);
    buildStartPage();

    auto *dashboard = new QWidget(m_pages);
    auto *layout = new QVBoxLayout(dashboard);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_readOnlyBanner = plainLabel({}, dashboard);
    m_readOnlyBanner->setObjectName(QStringLiteral("readOnlyBanner"));
    m_readOnlyBanner->setAutoFillBackground(true);
    m_readOnlyBanner->setContentsMargins(8, 4, 8, 4);
    m_readOnlyBanner->setBackgroundRole(QPalette::ToolTipBase);
    m_readOnlyBanner->setForegroundRole(QPalette::ToolTipText);
    m_readOnlyBanner->hide();
    layout->addWidget(m_readOnlyBanner);

    // Replay: scrub a saved snapshot through its stored window.
    m_replayBar = new QWidget(dashboard);
    m_replayBar->setObjectName(QStringLiteral("replayBar"));
    auto *replayLayout = new QHBoxLayout(m_replayBar);
    replayLayout->setContentsMargins(8, 2, 8, 2);
    auto *replayCaption = plainLabel(QStringLiteral("&Replay:"), m_replayBar);
    replayCaption->setTextFormat(Qt::PlainText);
    m_replaySlider = new QSlider(Qt::Horizontal, m_replayBar);
    m_replaySlider->setObjectName(QStringLiteral("replaySlider"));
    m_replaySlider->setAccessibleName(QStringLiteral("Replay time"));
    m_replaySlider->setToolTip(
        QStringLiteral("Show the fleet as it was at an instant of the snapshot's window "
                       "(arrow keys: 1 s, Page Up/Down: 1 min, Home/End)"));
    m_replaySlider->setFocusPolicy(Qt::StrongFocus);
    m_replaySlider->setSingleStep(1);
    m_replaySlider->setPageStep(60);
    replayCaption->setBuddy(m_replaySlider);
    m_replayLabel = plainLabel({}, m_replayBar);
    m_replayLabel->setObjectName(QStringLiteral("replayTimeLabel"));
    m_replayLabel->setMinimumWidth(m_replayLabel->fontMetrics().horizontalAdvance(
        QStringLiteral("0000-00-00 00:00:00 UTC (end of the snapshot)")));
    replayLayout->addWidget(replayCaption);
    replayLayout->addWidget(m_replaySlider, 1);
    replayLayout->addWidget(m_replayLabel);
    m_replayBar->hide();
    layout->addWidget(m_replayBar);
    m_replayTimer.setSingleShot(true);
    m_replayTimer.setInterval(40); // a drag becomes a few analyses a second, never a queue
    connect(m_replaySlider, &QSlider::valueChanged, this, &DashboardWindow::onReplayMoved);
    connect(&m_replayTimer, &QTimer::timeout, this, &DashboardWindow::startReplayAnalysis);
    connect(&m_replayWatcher, &QFutureWatcherBase::finished, this, [this] {
        const auto result = m_replayWatcher.result();
        const bool current = m_replayRunning == m_replayGeneration;
        if (current && result && m_raw) {
            m_shown = result;
            m_view->setSnapshot(m_shown);
            m_view->setSelectedRegion(m_selectedRegion);
            Q_EMIT replayShown(result->time);
        }
        if (m_replayQueued) {
            m_replayQueued = false;
            startReplayAnalysis();
        }
    });

    m_view = new DashboardView(dashboard);
    layout->addWidget(m_view, 1);
    m_pages->addWidget(dashboard);
    connect(m_view, &DashboardView::regionSelected, this, &DashboardWindow::selectRegion);

    buildActions();
    buildToolBar();
    m_statusScrape = plainLabel(QStringLiteral("No fleet open"), this);
    statusBar()->addWidget(m_statusScrape, 1);

    m_repaint.setSingleShot(true);
    m_repaint.setInterval(250); // at most four repaints a second
    connect(&m_repaint, &QTimer::timeout, this, &DashboardWindow::applyPending);

    restoreState();
    showStartPage();
}

DashboardWindow::~DashboardWindow() = default;

void DashboardWindow::buildStartPage()
{
    m_startPage = new QWidget(m_pages);
    m_startPage->setObjectName(QStringLiteral("startPage"));
    auto *outer = new QVBoxLayout(m_startPage);
    outer->addStretch(1);
    auto *column = new QVBoxLayout;
    auto *title = plainLabel(QStringLiteral("FleetScope"), m_startPage);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 2);
    big.setBold(true);
    title->setFont(big);
    column->addWidget(title);
    column->addWidget(
        plainLabel(QStringLiteral("Latency against the speed of light, cache, sync lag and cost, "
                                  "per region of your edge fleet."),
                   m_startPage));
    column->addSpacing(16);

    auto button = [&](const QString &text, const QString &name, const QString &tip) {
        auto *b = new QPushButton(text, m_startPage);
        b->setObjectName(name);
        b->setToolTip(tip);
        b->setAccessibleName(text);
        b->setMinimumHeight(36);
        column->addWidget(b);
        return b;
    };
    auto *openFleet =
        button(QStringLiteral("Open a fleet file…"), QStringLiteral("openFleetButton"),
               QStringLiteral("A Prometheus file_sd list or FleetScope fleet file (Ctrl+O)"));
    auto *openSnapshot =
        button(QStringLiteral("Open a snapshot…"), QStringLiteral("openSnapshotButton"),
               QStringLiteral("A saved .json snapshot, shown offline (Ctrl+Shift+O)"));
    auto *demo =
        button(QStringLiteral("Try the demo fleet"), QStringLiteral("demoButton"),
               QStringLiteral("24 simulated nodes in 13 regions, a day in 12 minutes (Ctrl+D)"));
    connect(openFleet, &QPushButton::clicked, this, &DashboardWindow::chooseFleet);
    connect(openSnapshot, &QPushButton::clicked, this, &DashboardWindow::chooseSnapshot);
    connect(demo, &QPushButton::clicked, this, &DashboardWindow::demoRequested);

    column->addSpacing(16);
    column->addWidget(plainLabel(QStringLiteral("Recent fleets"), m_startPage));
    m_recentList = new QListWidget(m_startPage);
    m_recentList->setObjectName(QStringLiteral("recentFleets"));
    m_recentList->setAccessibleName(QStringLiteral("Recent fleets"));
    m_recentList->setMaximumHeight(140);
    connect(m_recentList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT openFleetRequested(item->data(Qt::UserRole).toString());
    });
    column->addWidget(m_recentList);

    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addLayout(column, 0);
    row->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);
    m_pages->addWidget(m_startPage);
}

void DashboardWindow::buildToolBar()
{
    m_toolBar = addToolBar(QStringLiteral("Dashboard"));
    m_toolBar->setObjectName(QStringLiteral("dashboardToolBar"));
    m_toolBar->setMovable(false);
    m_sourceLabel = new ElidingLabel(m_toolBar);
    m_sourceLabel->setFullText(QStringLiteral("No fleet"));
    m_sourceLabel->setObjectName(QStringLiteral("sourceLabel"));
    QFont bold = m_sourceLabel->font();
    bold.setBold(true);
    m_sourceLabel->setFont(bold);
    m_toolBar->addWidget(m_sourceLabel);
    m_toolBar->addSeparator();

    auto combo = [&](const QString &label, const QString &name) {
        m_toolBar->addWidget(plainLabel(label, m_toolBar));
        auto *c = new QComboBox(m_toolBar);
        c->setObjectName(name);
        c->setAccessibleName(label);
        m_toolBar->addWidget(c);
        return c;
    };
    m_refresh = combo(QStringLiteral(" Refresh "), QStringLiteral("refreshCombo"));
    for (const auto &[text, ms] : { std::pair { "1 s", 1000 },
                                    { "5 s", 5000 },
                                    { "15 s", 15000 },
                                    { "30 s", 30000 },
                                    { "1 min", 60000 },
                                    { "Paused", 0 } })
        m_refresh->addItem(QLatin1String(text), ms);
    m_refresh->setCurrentIndex(1);
    m_window = combo(QStringLiteral(" Window "), QStringLiteral("windowCombo"));
    for (const auto &[text, s] : { std::pair { "5 min", 300 },
                                   { "15 min", 900 },
                                   { "1 h", 3600 },
                                   { "6 h", 21600 },
                                   { "24 h", 86400 } })
        m_window->addItem(QLatin1String(text), s);
    m_quantile = combo(QStringLiteral(" Quantile "), QStringLiteral("quantileCombo"));
    for (const auto &[text, q] :
         { std::pair { "p50", 0.5 }, { "p90", 0.9 }, { "p95", 0.95 }, { "p99", 0.99 } })
        m_quantile->addItem(QLatin1String(text), q);
    m_quantile->setCurrentIndex(2);
    m_pricing = combo(QStringLiteral(" Pricing "), QStringLiteral("pricingCombo"));
    for (const auto &p : snapshot::pricingCatalogue()) {
        if (!p.isProvisionedBaseline())
            m_pricing->addItem(p.name.isEmpty() ? p.id : p.name, p.id);
    }
    m_pricing->setCurrentIndex(std::max(0, m_pricing->findData(m_settings.pricingProfile)));
    m_vantage = combo(QStringLiteral(" Users in "), QStringLiteral("vantageCombo"));
    m_vantage->addItem(QStringLiteral("(none)"));
    for (const Vantage &v : vantagePoints())
        m_vantage->addItem(v.name, QVariantList { v.lat, v.lon });
    // Long names ("Cloudflare Workers – Standard usage model", "Guangzhou (Pearl River Delta)")
    // are shown whole when the toolbar has room and elided down to `least` characters when it
    // has not (a 1280 px screen); the lists open wide enough for every name.
    for (const auto &[c, least] : { std::pair { m_pricing, 18 }, { m_vantage, 16 } }) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        const int whole = c->sizeHint().width();
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(least);
        c->setMaximumWidth(whole);
        c->setSizePolicy(QSizePolicy::Expanding, c->sizePolicy().verticalPolicy());
        c->view()->setMinimumWidth(c->view()->sizeHintForColumn(0) + 2 * c->view()->frameWidth()
                                   + style()->pixelMetric(QStyle::PM_ScrollBarExtent));
    }
    m_toolBar->addWidget(plainLabel(QStringLiteral(" Regions "), m_toolBar));
    m_regionFilter = new QLineEdit(m_toolBar);
    m_regionFilter->setObjectName(QStringLiteral("regionFilter"));
    m_regionFilter->setPlaceholderText(QStringLiteral("filter: nrt, eu, Tokyo…"));
    m_regionFilter->setAccessibleName(QStringLiteral("Region filter"));
    m_regionFilter->setClearButtonEnabled(true);
    m_regionFilter->setMinimumWidth(
        m_regionFilter->fontMetrics().horizontalAdvance(m_regionFilter->placeholderText())
        + 40); // the placeholder, the clear button and the frame
    m_regionFilter->setMaximumWidth(220);
    m_toolBar->addWidget(m_regionFilter);

    connect(m_refresh, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT refreshIntervalChanged(m_refresh->currentData().toInt()); });
    for (QComboBox *c : { m_window, m_quantile, m_pricing, m_vantage })
        connect(c, &QComboBox::currentIndexChanged, this,
                &DashboardWindow::onSettingsControlsChanged);
    connect(m_regionFilter, &QLineEdit::textChanged, m_view, &DashboardView::setRegionFilter);
}

void DashboardWindow::onSettingsControlsChanged()
{
    snapshot::Settings s = m_settings;
    s.windowSeconds = m_window->currentData().toDouble();
    s.quantile = m_quantile->currentData().toDouble();
    s.pricingProfile = m_pricing->currentData().toString();
    const QVariantList at = m_vantage->currentData().toList();
    if (at.size() == 2) {
        s.vantage = m_vantage->currentText();
        s.vantageLat = at[0].toDouble();
        s.vantageLon = at[1].toDouble();
    } else {
        s.vantage.clear();
        s.vantageLat = s.vantageLon = snapshot::kNaN;
    }
    if (snapshot::Settings(s).quantile == m_settings.quantile
        && s.windowSeconds == m_settings.windowSeconds
        && s.pricingProfile == m_settings.pricingProfile && s.vantage == m_settings.vantage)
        return;
    m_settings = s;
    reanalyse();
    Q_EMIT settingsChanged(m_settings);
}

void DashboardWindow::setSettings(const snapshot::Settings &settings)
{
    m_settings = settings;
    const QSignalBlocker b1(m_window), b2(m_quantile), b3(m_pricing), b4(m_vantage);
    auto pick = [](QComboBox *c, const QVariant &value) {
        const int i = c->findData(value);
        if (i >= 0)
            c->setCurrentIndex(i);
    };
    pick(m_window, int(settings.windowSeconds));
    pick(m_quantile, settings.quantile);
    pick(m_pricing, settings.pricingProfile);
    const int v = m_vantage->findText(settings.vantage);
    m_vantage->setCurrentIndex(v >= 0 ? v : 0);
    reanalyse();
}

void DashboardWindow::reanalyse()
{
    if (!m_raw)
        return;
    if (m_sourceKind == SourceKind::Snapshot && !m_replayBar->isHidden()
        && m_replaySlider->value() < m_replaySlider->maximum()) {
        startReplayAnalysis(); // replaying: the new settings apply at the instant shown
        return;
    }
    ++m_replayGeneration; // a replay still running is out of date
    // The snapshot keeps its raw windows: another quantile, window, profile or vantage point is
    // a new analysis of the same data, immediately, without waiting for the next scrape.
    auto copy = std::make_shared<snapshot::FleetSnapshot>(*m_raw);
    copy->settings = effectiveSettings();
    snapshot::analyse(*copy);
    m_shown = std::move(copy);
    m_view->setSnapshot(m_shown);
    m_view->setSelectedRegion(m_selectedRegion);
}

snapshot::Settings DashboardWindow::effectiveSettings() const
{
    snapshot::Settings s = m_settings;
    if (m_raw && m_sourceKind == SourceKind::Snapshot)
        s.windowSeconds =
            std::min(m_settings.windowSeconds, std::max(m_raw->settings.windowSeconds, 1.0));
    return s;
}

double DashboardWindow::replayTime() const
{
    if (!m_raw)
        return snapshot::kNaN;
    if (m_sourceKind != SourceKind::Snapshot)
        return m_raw->time;
    return std::min(m_raw->time, snapshot::replayStart(*m_raw) + m_replaySlider->value());
}

void DashboardWindow::resetReplay()
{
    const bool replayable = m_raw && m_sourceKind == SourceKind::Snapshot
        && m_raw->time - snapshot::replayStart(*m_raw) >= 1;
    {
        const QSignalBlocker block(m_replaySlider);
        const double span = replayable ? m_raw->time - snapshot::replayStart(*m_raw) : 0;
        const int last = int(std::ceil(std::min(span, 1e9)));
        m_replaySlider->setRange(0, last);
        m_replaySlider->setValue(last);
    }
    m_replayQueued = false;
    m_replayTimer.stop();
    m_replayBar->setVisible(replayable);
    updateReplayLabel();
}

void DashboardWindow::onReplayMoved()
{
    updateReplayLabel();
    m_replayTimer.start();
}

void DashboardWindow::startReplayAnalysis()
{
    if (!m_raw)
        return;
    if (m_replayWatcher.isRunning()) {
        m_replayQueued = true; // once it ends, analyse where the slider is then
        return;
    }
    // A copy and an analysis of every region: off the GUI thread, so a drag over a 1,000-node
    // snapshot never freezes the window. Inputs are copied values; the result is immutable.
    const std::shared_ptr<const snapshot::FleetSnapshot> raw = m_raw;
    const snapshot::Settings settings = effectiveSettings();
    const double t = replayTime();
    m_replayRunning = ++m_replayGeneration;
    m_replayWatcher.setFuture(QtConcurrent::run([raw, settings, t] {
        snapshot::FleetSnapshot copy = *raw;
        copy.settings = settings;
        return std::shared_ptr<const snapshot::FleetSnapshot>(
            std::make_shared<const snapshot::FleetSnapshot>(snapshot::snapshotAt(copy, t)));
    }));
}

void DashboardWindow::updateReplayLabel()
{
    if (!m_raw || m_replayBar->isHidden()) {
        m_replayLabel->clear();
        return;
    }
    const double t = replayTime();
    QString text = QDateTime::fromMSecsSinceEpoch(qint64(std::llround(t * 1000)), QTimeZone::utc())
                       .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    const qint64 before = qint64(std::llround(m_raw->time - t));
    if (before <= 0)
        text += QStringLiteral(" (end of the snapshot)");
    else
        text += QStringLiteral(" (%1:%2 before the end)")
                    .arg(before / 60)
                    .arg(before % 60, 2, 10, QLatin1Char('0'));
    m_replayLabel->setText(text);
    m_replaySlider->setAccessibleDescription(text);
}

void DashboardWindow::showSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    m_pending = std::move(snapshot);
    if (!m_repaint.isActive())
        m_repaint.start();
}

void DashboardWindow::applyPending()
{
    if (!m_pending)
        return;
    m_raw = std::move(m_pending);
    m_pending.reset();
    if (m_pages->currentWidget() == m_startPage)
        m_pages->setCurrentIndex(1);
    resetReplay();
    const bool sameSettings = m_raw->settings.quantile == m_settings.quantile
        && m_raw->settings.windowSeconds == m_settings.windowSeconds
        && m_raw->settings.pricingProfile == m_settings.pricingProfile
        && m_raw->settings.vantage == m_settings.vantage;
    if (sameSettings && m_sourceKind != SourceKind::Snapshot) {
        m_shown = m_raw;
        m_view->setSnapshot(m_shown);
        m_view->setSelectedRegion(m_selectedRegion);
    } else {
        reanalyse();
    }
    m_exportAction->setEnabled(true);
}

void DashboardWindow::showScrapeProgress(int answered, int total, int failedScrapes)
{
    QString text = QStringLiteral("%1 of %2 targets answered").arg(answered).arg(total);
    if (failedScrapes > 0)
        text += QStringLiteral(" · %1 failed scrapes").arg(failedScrapes);
    m_statusScrape->setText(text);
}

void DashboardWindow::showError(const QString &message)
{
    statusBar()->showMessage(message, 15000);
    QMessageBox box(QMessageBox::Warning, QStringLiteral("FleetScope"), message, QMessageBox::Ok,
                    this);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

void DashboardWindow::selectRegion(const QString &code)
{
    if (code == m_selectedRegion)
        return;
    m_selectedRegion = code;
    m_view->setSelectedRegion(code);
    Q_EMIT regionSelected(code);
}

void DashboardWindow::setSource(SourceKind kind, const QString &name, const QString &location)
{
    m_sourceKind = kind;
    m_sourceName = name;
    m_sourceLocation = location;
    // A fleet file's name is anyone's text, of any length: elided when the toolbar is short.
    m_sourceLabel->setFullText(name.isEmpty() ? QStringLiteral("No fleet") : name, location);
    const bool snapshotMode = kind == SourceKind::Snapshot;
    m_readOnlyBanner->setVisible(snapshotMode);
    if (snapshotMode)
        m_readOnlyBanner->setText(
            QStringLiteral("Saved snapshot, read-only: %1. Quantile, window, pricing and "
                           "vantage point can still be changed.")
                .arg(location));
    m_refresh->setEnabled(!snapshotMode);
    m_refreshAction->setEnabled(!snapshotMode);
    ++m_replayGeneration;
    m_replayBar->hide();
    m_raw.reset();
    m_shown.reset();
    m_pending.reset();
    m_exportAction->setEnabled(false);
    m_statusScrape->setText(snapshotMode ? QStringLiteral("Offline")
                                         : QStringLiteral("Waiting for the first scrapes…"));
    if (kind == SourceKind::Fleet && !location.isEmpty()) {
        m_recent.removeAll(location);
        m_recent.prepend(location);
        while (m_recent.size() > 8)
            m_recent.removeLast();
        setRecentFleets(m_recent);
    }
    updateTitle();
    m_pages->setCurrentIndex(kind == SourceKind::None ? 0 : 1);
}

void DashboardWindow::setRecentFleets(const QStringList &paths)
{
    m_recent = paths;
    m_recentList->clear();
    for (const QString &p : paths) {
        auto *item = new QListWidgetItem(QFileInfo(p).fileName() + QStringLiteral("  —  ") + p,
                                         m_recentList);
        item->setData(Qt::UserRole, p);
        item->setToolTip(panelstyle::plainToolTip(p));
    }
    if (paths.isEmpty())
        new QListWidgetItem(QStringLiteral("(none yet)"), m_recentList);
}

bool DashboardWindow::isShowingStartPage() const
{
    return m_pages->currentWidget() == m_startPage;
}

void DashboardWindow::showStartPage()
{
    m_pages->setCurrentWidget(m_startPage);
    m_sourceKind = SourceKind::None;
    m_readOnlyBanner->hide();
    m_replayBar->hide();
    updateTitle();
}

void DashboardWindow::updateTitle()
{
    setWindowTitle(m_sourceName.isEmpty() || m_sourceKind == SourceKind::None
                       ? QStringLiteral("FleetScope")
                       : m_sourceName + QStringLiteral(" — FleetScope"));
}

void DashboardWindow::restoreState()
{
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    QMainWindow::restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_view->restoreLayout(s.value(QStringLiteral("window/dashboardState")).toByteArray());
    setRecentFleets(s.value(QStringLiteral("recentFleets")).toStringList());
    const int quantile =
        m_quantile->findData(s.value(QStringLiteral("settings/quantile"), 0.95).toDouble());
    const int window = m_window->findData(s.value(QStringLiteral("settings/window"), 300).toInt());
    const int pricing = m_pricing->findData(s.value(QStringLiteral("settings/pricing")).toString());
    // Until the user picks one, users are in the largest agglomeration of the catalogue.
    const int vantage =
        m_vantage->findText(s.value(QStringLiteral("settings/vantage"),
                                    m_vantage->count() > 1 ? m_vantage->itemText(1) : QString())
                                .toString());
    const QSignalBlocker b1(m_quantile), b2(m_window), b3(m_pricing), b4(m_vantage);
    if (quantile >= 0)
        m_quantile->setCurrentIndex(quantile);
    if (window >= 0)
        m_window->setCurrentIndex(window);
    if (pricing >= 0)
        m_pricing->setCurrentIndex(pricing);
    if (vantage >= 0)
        m_vantage->setCurrentIndex(vantage);
    onSettingsControlsChanged();
}

void DashboardWindow::saveState()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), QMainWindow::saveState());
    s.setValue(QStringLiteral("window/dashboardState"), m_view->saveLayout());
    s.setValue(QStringLiteral("recentFleets"), m_recent);
    s.setValue(QStringLiteral("settings/quantile"), m_settings.quantile);
    s.setValue(QStringLiteral("settings/window"), int(m_settings.windowSeconds));
    s.setValue(QStringLiteral("settings/pricing"), m_settings.pricingProfile);
    s.setValue(QStringLiteral("settings/vantage"), m_settings.vantage);
}

void DashboardWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
}

} // namespace fleetscope::widgets
