/* rl-history.h: every call, kept in a local SQLite database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RL_HISTORY_SCHEMA_VERSION 3

typedef struct
{
  char *call_id;
  GVariant *record; /* a{sv}, as CallEnded's */
  gboolean patch;   /* the backend has the call, but not its latest data */
  gint64 revision;  /* of its data, for rl_history_mark_synced() */
} RlHistoryRow;

void rl_history_row_free (RlHistoryRow *row);
const char *rl_history_record_text (GVariant *record, const char *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlHistoryRow, rl_history_row_free)

#define RL_TYPE_HISTORY (rl_history_get_type ())
G_DECLARE_FINAL_TYPE (RlHistory, rl_history, RL, HISTORY, GObject)

RlHistory *rl_history_new (const char *db_path);
void rl_history_add (RlHistory *self, GVariant *record, const char *owner, gboolean synced);
void rl_history_get_async (RlHistory *self, guint offset, guint limit, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
GVariant *rl_history_get_finish (RlHistory *self, GAsyncResult *result, GError **error);
void rl_history_get_unsynced_async (RlHistory *self, const char *owner, guint limit,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
GPtrArray *rl_history_get_unsynced_finish (RlHistory *self, GAsyncResult *result, GError **error);
void rl_history_prepare_search (RlHistory *self);
void rl_history_count_async (RlHistory *self, const char *search, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean rl_history_count_finish (RlHistory *self, GAsyncResult *result, guint *count,
                                  GError **error);
void rl_history_list_async (RlHistory *self, const char *search, guint offset, guint limit,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
GPtrArray *rl_history_list_finish (RlHistory *self, GAsyncResult *result, GError **error);
void rl_history_flush_async (RlHistory *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean rl_history_flush_finish (RlHistory *self, GAsyncResult *result, GError **error);
void rl_history_mark_synced (RlHistory *self, const RlHistoryRow *row);
void rl_history_set_data_async (RlHistory *self, const char *call_id, GVariant *data,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean rl_history_set_data_finish (RlHistory *self, GAsyncResult *result, gboolean *found,
                                     GError **error);
void rl_history_mark_rejected (RlHistory *self, const char *call_id, const char *why);
void rl_history_set_owner (RlHistory *self, const char *owner);
const char *rl_history_get_owner (RlHistory *self);
const char *rl_history_get_problem (RlHistory *self);
void rl_history_set_recording_url (RlHistory *self, const char *call_id, const char *url);

G_END_DECLS
