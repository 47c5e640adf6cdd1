/* rl-history-index.h: the history's search index, in memory, owned by the
 * database worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RlHistoryIndex RlHistoryIndex;

RlHistoryIndex *rl_history_index_new (void);
void rl_history_index_free (RlHistoryIndex *index);
void rl_history_index_insert (RlHistoryIndex *index, gint64 rowid, gint64 started_at,
                              const char *name, const char *number);
char *rl_history_index_normalize (const char *search);
GArray *rl_history_index_search (RlHistoryIndex *index, const char *normalized);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlHistoryIndex, rl_history_index_free)

G_END_DECLS
