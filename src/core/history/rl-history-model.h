/* rl-history-model.h: the call history as a GListModel, read from the
 * database a page at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-history.h"
#include "rl-history-entry.h"

G_BEGIN_DECLS

#define RL_TYPE_HISTORY_MODEL (rl_history_model_get_type ())
G_DECLARE_FINAL_TYPE (RlHistoryModel, rl_history_model, RL, HISTORY_MODEL, GObject)

RlHistoryModel *rl_history_model_new (RlHistory *history);
const char *rl_history_model_get_search (RlHistoryModel *self);
void rl_history_model_set_search (RlHistoryModel *self, const char *search);
gboolean rl_history_model_get_loading (RlHistoryModel *self);
void rl_history_model_prepare_search (RlHistoryModel *self);

G_END_DECLS
