#pragma once

// "Did you mean" for near misses: the closest candidate by edit distance (case-insensitive,
// transpositions count once). Pure functions; any thread may call them.

#include <QString>
#include <QStringList>
#include <QStringView>

namespace fleetscope::fleet {

// Optimal string alignment distance between `a` and `b`, ignoring case.
int editDistance(QStringView a, QStringView b);

// The candidate nearest to `word` when it is near enough to be a plausible typo (at most one edit
// for words up to 4 characters, two up to 8, three beyond); empty otherwise.
QString closestMatch(QStringView word, const QStringList &candidates);

// Lower case without diacritics ("São Paulo" -> "sao paulo") for matching names people type.
QString foldForMatch(QStringView text);

} // namespace fleetscope::fleet
