#include "snapshot/fleetmonitor.h"

#include "scrape/scraper.h"
#include "scrape/scraperesult.h"
#include "snapshot/analysis.h"

#include <QDateTime>
#include <QMetaMethod>

#include <algorithm>

namespace fleetscope::snapshot {

namespace {

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

QString withoutUserInfo(QUrl url)
{
    url.setUserInfo({});
    return url.toString();
}

} // namespace

Settings settingsFor(const fleet::Fleet &fleet)
{
    Settings s;
    if (!fleet.pricingProfile.isEmpty())
        s.pricingProfile = fleet.pricingProfile;
    else
        s.pricingProfile = QLatin1String(kDefaultPricingProfile);
    if (fleet.vantage) {
        s.vantage = fleet.vantage->name;
        s.vantageLat = fleet.vantage->lat;
        s.vantageLon = fleet.vantage->lon;
    }
    if (fleet.slo.p95LatencyMs)
        s.slo.p95LatencyMs = *fleet.slo.p95LatencyMs;
    if (fleet.slo.hitRatio)
        s.slo.minHitRatio = *fleet.slo.hitRatio;
    if (fleet.slo.replicaLagSeconds)
        s.slo.maxReplicaLagS = *fleet.slo.replicaLagSeconds;
    if (fleet.slo.costPerMillionInvocations)
        s.slo.maxCostPerMillionUsd = *fleet.slo.costPerMillionInvocations;
    return s;
}

FleetMonitor::FleetMonitor(fleet::Fleet fleet, QObject *parent)
    : QObject(parent)
    , m_fleet(std::move(fleet))
    , m_settings(settingsFor(m_fleet))
    , m_aggregator(m_fleet.metrics)
{
    qRegisterMetaType<std::shared_ptr<const FleetSnapshot>>();
    scrape::ScraperOptions options;
    if (m_fleet.scrape.concurrency)
        options.maxConcurrentScrapes = std::max(1, *m_fleet.scrape.concurrency);
    m_scraper = std::make_unique<scrape::Scraper>(options);

    QList<scrape::ScrapeTarget> targets;
    std::chrono::milliseconds shortest { 60000 };
    for (const fleet::Target &t : m_fleet.targets) {
        scrape::ScrapeTarget st;
        st.id = t.id;
        st.url = t.url;
        st.interval = t.interval;
        st.timeout = t.timeout;
        st.bearerTokenFile = m_fleet.scrape.bearerTokenFile;
        st.caFile = m_fleet.scrape.tls.caFile;
        st.insecureSkipVerify = m_fleet.scrape.tls.insecureSkipVerify;
        st.followRedirects = m_fleet.scrape.followRedirects;
        if (m_fleet.scrape.bodySizeLimit)
            st.limits.maxBodyBytes =
                std::size_t(std::max<qint64>(0, *m_fleet.scrape.bodySizeLimit));
        if (m_fleet.scrape.sampleLimit)
            st.limits.maxSamples = std::size_t(std::max<qint64>(0, *m_fleet.scrape.sampleLimit));
        st.labels = t.labels;
        targets.append(st);
        shortest = std::min(shortest, t.interval);

        const QString region = t.regionCode();
        const TargetLabels labels { region, t.label(QStringLiteral("node")),
                                    t.label(QStringLiteral("provider")) };
        if (!m_targetLabels.contains(t.id)) // the first of duplicate ids, as findTarget() finds
            m_targetLabels.insert(t.id, labels);
        m_aggregator.addTarget(t.id, withoutUserInfo(t.url), region, labels.node, labels.provider);
        if (t.isPlaced() && !region.isEmpty()) {
            RegionPlace place;
            if (t.region) {
                place.name = t.region->name;
                place.city = t.region->city;
                place.country = t.region->country;
                place.provider = t.region->provider;
            }
            place.lat = t.lat;
            place.lon = t.lon;
            m_aggregator.setPlace(region, place);
        }
    }
    m_scraper->setTargets(targets);
    const auto tickMs = std::max<qint64>(1000, qint64(shortest.count()));
    m_aggregator.setStaleAfter(2.5 * double(tickMs) / 1000.0);
    m_tick.setInterval(int(std::min<qint64>(tickMs, 60000)));
    m_publish.setInterval(m_tick.interval());
    connect(&m_tick, &QTimer::timeout, this, &FleetMonitor::onTick);
    connect(&m_publish, &QTimer::timeout, this, [this] {
        // Nobody listening (a headless report): building and analysing a snapshot would be waste.
        if (isSignalConnected(QMetaMethod::fromSignal(&FleetMonitor::snapshotReady)))
            Q_EMIT snapshotReady(build(nowSeconds()));
    });
    connect(m_scraper.get(), &scrape::Scraper::scrapeFinished, this, &FleetMonitor::onScrape);
}

FleetMonitor::~FleetMonitor() = default;

void FleetMonitor::setSettings(const Settings &settings)
{
    m_settings = settings;
}

void FleetMonitor::start()
{
    m_scraper->start();
    m_tick.start();
    if (m_publish.interval() > 0)
        m_publish.start();
}

void FleetMonitor::stop()
{
    m_tick.stop();
    m_publish.stop();
    m_scraper->stop();
}

void FleetMonitor::setPublishInterval(int milliseconds)
{
    if (milliseconds <= 0) {
        m_publish.stop();
        return;
    }
    m_publish.setInterval(milliseconds);
    if (m_scraper->isRunning())
        m_publish.start();
}

void FleetMonitor::publishNow()
{
    Q_EMIT snapshotReady(build(nowSeconds()));
}

void FleetMonitor::onScrape(const scrape::ScrapeResult &result)
{
    NodeScrape n;
    n.targetId = result.targetId;
    n.url = result.url.toString();
    if (const auto it = m_targetLabels.constFind(result.targetId); it != m_targetLabels.cend()) {
        n.region = it->region;
        n.node = it->node;
        n.provider = it->provider;
    }
    n.time = double(result.startTime.toMSecsSinceEpoch()) / 1000.0;
    n.httpStatus = result.httpStatus;
    n.durationMs = double(result.duration.count());
    if (result.ok()) {
        n.health = result.idle ? Health::Idle : Health::Up;
        n.exposition = result.exposition();
        m_stats.samples += double(result.exposition()->samples.size());
    } else {
        n.health = Health::Down;
        n.cause = result.errorMessage;
        ++m_stats.failedScrapes;
        ++m_failedScrapes;
    }
    ++m_stats.scrapes;
    m_aggregator.ingest(n);
    m_answered.insert(result.targetId);
    Q_EMIT scrapeObserved(double(result.duration.count()) / 1000.0, result.ok());
    Q_EMIT scrapeFinished(result.targetId, result.ok(), int(m_answered.size()),
                          int(m_fleet.targets.size()));
    Q_EMIT progress(int(m_answered.size()), int(m_fleet.targets.size()), m_failedScrapes);
}

std::shared_ptr<const FleetSnapshot> FleetMonitor::snapshotNow()
{
    const double now = nowSeconds();
    m_aggregator.tick(now);
    return build(now);
}

std::shared_ptr<const FleetSnapshot> FleetMonitor::build(double now)
{
    auto snapshot = std::make_shared<FleetSnapshot>(m_aggregator.build(now, m_settings));
    snapshot->fleetName = m_fleet.name;
    snapshot->sourceKind = m_sourceKind;
    snapshot->source = m_fleet.sourceFile;
    analyse(*snapshot);
    return snapshot;
}

void FleetMonitor::onTick()
{
    m_aggregator.tick(nowSeconds());
}

MonitorStats FleetMonitor::stats() const
{
    MonitorStats s = m_stats;
    s.store = m_aggregator.stats().store;
    return s;
}

} // namespace fleetscope::snapshot
