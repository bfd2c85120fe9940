#include "common/figureformat.h"

#include <cmath>

namespace fleetscope::widgets {

namespace {

QString number(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}

QString grouped(double v)
{
    // Thousands separated by commas, whatever the locale: "1,204".
    QString digits = QString::number(std::llround(std::fabs(v)));
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return v < 0 ? u'-' + digits : digits;
}

QString scaled(double n, const char *unit)
{
    const double a = std::fabs(n);
    QString s;
    if (a >= 1e9)
        s = number(n / 1e9, a >= 1e10 ? 0 : 1) + u'G';
    else if (a >= 1e6)
        s = number(n / 1e6, a >= 1e7 ? 0 : 1) + u'M';
    else if (a >= 1e3)
        s = number(n / 1e3, a >= 1e4 ? 0 : 1) + u'k';
    else if (a >= 10 || a == 0)
        s = number(n, 0);
    else
        s = number(n, 1);
    return s + QLatin1String(unit);
}

} // namespace

QString noData()
{
    return QStringLiteral("no data");
}

QString formatMs(double ms)
{
    if (!std::isfinite(ms))
        return noData();
    const double a = std::fabs(ms);
    if (a >= 1000)
        return number(ms / 1000, a >= 10000 ? 1 : 2) + QStringLiteral(" s");
    if (a >= 100)
        return number(ms, 0) + QStringLiteral(" ms");
    if (a >= 10)
        return number(ms, 1) + QStringLiteral(" ms");
    return number(ms, 2) + QStringLiteral(" ms");
}

QString formatSeconds(double s)
{
    if (!std::isfinite(s))
        return noData();
    const double a = std::fabs(s);
    if (a < 10)
        return number(s, 1) + QStringLiteral(" s");
    if (a < 120)
        return number(s, 0) + QStringLiteral(" s");
    const long long total = std::llround(a);
    const QString sign = s < 0 ? QStringLiteral("-") : QString();
    if (total < 3600)
        return sign + QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60);
    if (total < 86400)
        return sign + QStringLiteral("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60);
    return sign + QStringLiteral("%1 d %2 h").arg(total / 86400).arg((total % 86400) / 3600);
}

QString formatPercent(double ratio, int decimals)
{
    if (!std::isfinite(ratio))
        return noData();
    return number(ratio * 100, decimals) + u'%';
}

QString formatUsd(double usd)
{
    if (!std::isfinite(usd))
        return noData();
    const double a = std::fabs(usd);
    if (a == 0)
        return QStringLiteral("$0");
    if (a >= 1000)
        return u'$' + grouped(usd);
    if (a >= 1)
        return u'$' + number(usd, 2);
    // Small prices: three significant digits ("$0.000000351").
    const int decimals = std::min(12, 2 - int(std::floor(std::log10(a))));
    return u'$' + number(usd, decimals);
}

QString formatRate(double perSecond)
{
    if (!std::isfinite(perSecond))
        return noData();
    return scaled(perSecond, "/s");
}

QString formatCount(double n)
{
    if (!std::isfinite(n))
        return noData();
    return scaled(n, "");
}

} // namespace fleetscope::widgets
