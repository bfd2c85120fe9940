#include "panels/nodetablemodel.h"

#include "common/figureformat.h"
#include "panels/figuresortproxy.h"
#include "panels/panelstyle.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QUrl>

#include <cmath>

namespace fleetscope::widgets {

using snapshot::TargetRow;

namespace {

// The address a person recognises (edge-fra-1.example.net:9100, [::1]:9100/probe): the target's
// id is a stable key, for a fleet file a hash of the URL, and means nothing to read.
QString addressOf(const TargetRow &t)
{
    const QUrl url(t.url);
    if (t.url.isEmpty() || !url.isValid() || url.host().isEmpty())
        return t.id;
    QString out = url.host(QUrl::FullyDecoded);
    if (out.contains(QLatin1Char(':')))
        out = QLatin1Char('[') + out + QLatin1Char(']');
    if (url.port() >= 0)
        out += QLatin1Char(':') + QString::number(url.port());
    const QString path = url.path(QUrl::FullyDecoded);
    if (path != QLatin1String("/metrics") && !path.isEmpty())
        out += path;
    return out;
}

} // namespace

NodeTableModel::NodeTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    setPalette(QGuiApplication::palette());
}

void NodeTableModel::setSnapshot(std::shared_ptr<const snapshot::FleetSnapshot> snapshot)
{
    // Same targets in the same order (the usual live tick): update in place, keeping the view's
    // selection and scroll position; otherwise reset.
    bool sameRows =
        m_snapshot && snapshot && m_snapshot->targets.size() == snapshot->targets.size();
    for (std::size_t i = 0; sameRows && i < snapshot->targets.size(); ++i)
        sameRows = m_snapshot->targets[i].id == snapshot->targets[i].id;
    if (sameRows) {
        m_snapshot = std::move(snapshot);
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_snapshot = std::move(snapshot);
    m_addresses.clear();
    if (m_snapshot) {
        m_addresses.reserve(m_snapshot->targets.size());
        for (const TargetRow &t : m_snapshot->targets)
            m_addresses.push_back(addressOf(t));
    }
    endResetModel();
}

void NodeTableModel::setPalette(const QPalette &palette)
{
    for (int h = 0; h < int(m_icons.size()); ++h)
        m_icons[std::size_t(h)] = panelstyle::healthIcon(snapshot::Health(h), palette);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Health), index(rowCount() - 1, Health), { Qt::DecorationRole });
}

int NodeTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_snapshot)
        return 0;
    return int(m_snapshot->targets.size());
}

int NodeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NodeTableModel::display(const TargetRow &t, int column) const
{
    switch (column) {
    case Target: {
        // t is one of m_snapshot->targets; its address was worked out when the rows were set.
        const auto row = std::size_t(&t - m_snapshot->targets.data());
        return row < m_addresses.size() ? m_addresses[row] : t.id;
    }
    case Region:
        return t.region;
    case Node:
        return t.node;
    case Health:
        return panelstyle::healthWord(t.health);
    case Cause:
        return t.cause;
    case LastScrape: {
        if (!std::isfinite(t.lastScrapeTime))
            return QStringLiteral("never");
        const double age = std::max(0.0, m_snapshot->time - t.lastScrapeTime);
        return age < 1 ? QStringLiteral("just now") : formatSeconds(age) + QStringLiteral(" ago");
    }
    case Duration:
        return formatMs(t.lastScrapeDurationMs);
    case HttpStatus:
        return t.httpStatus > 0 ? QString::number(t.httpStatus) : QStringLiteral("none");
    case Samples:
        return std::isfinite(t.samples) ? QString::number(qint64(std::llround(t.samples)))
                                        : noData();
    default:
        return {};
    }
}

QVariant NodeTableModel::sortKey(const TargetRow &t, int column) const
{
    switch (column) {
    case Health:
        // Worst first when sorted ascending: down, stale, unknown, idle, up.
        switch (t.health) {
        case snapshot::Health::Down:
            return 0.0;
        case snapshot::Health::Stale:
            return 1.0;
        case snapshot::Health::Unknown:
            return 2.0;
        case snapshot::Health::Idle:
            return 3.0;
        case snapshot::Health::Up:
            return 4.0;
        }
        return 5.0;
    case LastScrape:
        // Age: the freshest first when ascending; never scraped is "no data".
        return std::isfinite(t.lastScrapeTime) ? std::max(0.0, m_snapshot->time - t.lastScrapeTime)
                                               : snapshot::kNaN;
    case Duration:
        return t.lastScrapeDurationMs;
    case HttpStatus:
        return t.httpStatus > 0 ? double(t.httpStatus) : snapshot::kNaN;
    case Samples:
        return t.samples;
    default:
        return display(t, column);
    }
}

QVariant NodeTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || !m_snapshot)
        return {};
    const TargetRow &t = m_snapshot->targets[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(t, index.column());
    case kSortRole:
        return sortKey(t, index.column());
    case kHealthRole:
        return int(t.health);
    case kRegionRole:
        return t.region;
    case Qt::DecorationRole:
        if (index.column() == Health)
            return m_icons[std::size_t(t.health)];
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= LastScrape)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole: {
        // Tooltips guess rich text from content: escape every label value.
        switch (index.column()) {
        case Target:
            return panelstyle::plainToolTip(t.url.isEmpty() ? t.id : t.url);
        case Cause:
            return panelstyle::plainToolTip(t.cause);
        case LastScrape:
            if (std::isfinite(t.lastScrapeTime))
                return panelstyle::plainToolTip(
                    QDateTime::fromMSecsSinceEpoch(qint64(t.lastScrapeTime * 1000), Qt::UTC)
                        .toString(Qt::ISODate));
            return {};
        case Samples:
            return panelstyle::plainToolTip(
                t.format.isEmpty() ? QString() : QStringLiteral("format: %1").arg(t.format));
        default:
            return panelstyle::plainToolTip(display(t, index.column()).toString());
        }
    }
    case Qt::AccessibleTextRole:
        return display(t, index.column());
    default:
        return {};
    }
}

QVariant NodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Target:
        return QStringLiteral("Target");
    case Region:
        return QStringLiteral("Region");
    case Node:
        return QStringLiteral("Node");
    case Health:
        return QStringLiteral("Health");
    case Cause:
        return QStringLiteral("Cause");
    case LastScrape:
        return QStringLiteral("Last scrape");
    case Duration:
        return QStringLiteral("Duration");
    case HttpStatus:
        return QStringLiteral("HTTP");
    case Samples:
        return QStringLiteral("Samples");
    default:
        return {};
    }
}

} // namespace fleetscope::widgets
