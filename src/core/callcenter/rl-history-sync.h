/* rl-history-sync.h: the local history's outbox to the backend, and back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-history.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_HISTORY_SYNC (rl_history_sync_get_type ())
G_DECLARE_FINAL_TYPE (RlHistorySync, rl_history_sync, RL, HISTORY_SYNC, GObject)

RlHistorySync *rl_history_sync_new (RlHistory *history, RlSession *session);
JsonNode *rl_history_sync_record_to_json (GVariant *record);
JsonNode *rl_history_sync_record_patch (GVariant *record);
GVariant *rl_history_sync_record_from_json (JsonObject *call, GError **error);

G_END_DECLS
