#include "suggest.h"

#include <algorithm>
#include <vector>

namespace fleetscope::fleet {

int editDistance(QStringView a, QStringView b)
{
    const QString x = a.toString().toCaseFolded();
    const QString y = b.toString().toCaseFolded();
    const qsizetype n = x.size(), m = y.size();
    std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (qsizetype j = 0; j <= m; ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = x[i - 1] == y[j - 1] ? 0 : 1;
            cur[j] = std::min({ prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost });
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

QString closestMatch(QStringView word, const QStringList &candidates)
{
    // Long words from hostile input would make this quadratic for nothing: no typo is that long.
    if (word.isEmpty() || word.size() > 64)
        return {};
    const int allowed = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
    QString best;
    int bestDistance = allowed + 1;
    for (const QString &candidate : candidates) {
        if (std::abs(candidate.size() - word.size()) > allowed)
            continue;
        const int d = editDistance(word, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best;
}

QString foldForMatch(QStringView text)
{
    const QString decomposed = text.toString().normalized(QString::NormalizationForm_D);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            out += c;
    }
    return out.toCaseFolded().simplified();
}

} // namespace fleetscope::fleet
