/* rl-history-entry.h: one call of the history, as a list shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RL_TYPE_HISTORY_ENTRY (rl_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (RlHistoryEntry, rl_history_entry, RL, HISTORY_ENTRY, GObject)

gboolean rl_history_entry_get_loaded (RlHistoryEntry *self);
const char *rl_history_entry_get_call_id (RlHistoryEntry *self);
const char *rl_history_entry_get_direction (RlHistoryEntry *self);
const char *rl_history_entry_get_status (RlHistoryEntry *self);
const char *rl_history_entry_get_number (RlHistoryEntry *self);
const char *rl_history_entry_get_name (RlHistoryEntry *self);
gint64 rl_history_entry_get_started_at (RlHistoryEntry *self);
guint rl_history_entry_get_duration (RlHistoryEntry *self);

G_END_DECLS
