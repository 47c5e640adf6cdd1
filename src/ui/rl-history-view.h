/* rl-history-view.h: the History page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

#include <adwaita.h>

G_BEGIN_DECLS

#define RL_TYPE_HISTORY_VIEW (rl_history_view_get_type ())
G_DECLARE_FINAL_TYPE (RlHistoryView, rl_history_view, RL, HISTORY_VIEW, AdwBin)

void rl_history_view_set_history (RlHistoryView *self, RlHistory *history);
GtkWidget *rl_history_view_get_search_entry (RlHistoryView *self);

G_END_DECLS
