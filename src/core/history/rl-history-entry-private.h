/* rl-history-entry-private.h: filling entries, for RlHistory and its model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-history-entry.h"

G_BEGIN_DECLS

typedef struct
{
  const char *call_id;
  const char *direction;
  const char *status;
  const char *number;
  const char *name;
  gint64 started_at; /* ms since the epoch */
  guint duration;    /* s */
} RlHistoryEntryFields;

RlHistoryEntry *_rl_history_entry_new (const RlHistoryEntryFields *fields);
RlHistoryEntry *_rl_history_entry_new_placeholder (void);
void _rl_history_entry_copy_from (RlHistoryEntry *self, RlHistoryEntry *other);

G_END_DECLS
