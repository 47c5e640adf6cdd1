/* rl-history-sync.c
 *
 * Sends the rows the backend lacks, oldest first, one at a time; a failure
 * waits (1 s doubling to a minute) and tries again, so a backend that is
 * down, slow or failing loses nothing. A row the backend refuses for good
 * (a 4xx other than 401, 403, 408 and 429) is parked, kept locally with the
 * refusal, and the rest go on; 401 and 403 have had their token refreshed
 * by the backend client already, and wait like the others. The backend keys rows by call id, so
 * a row sent twice (the app quit before the reply) is stored once. On
 * sign-in the backend's rows come back into the local database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlHistorySync"

#include "rl-history-sync.h"
#include "rl-json.h"
#include "rl-error.h"

#define BATCH 20
#define MAX_DELAY_SECONDS 60
#define MERGE_PAGE 200
#define MERGE_PAGES 10

struct _RlHistorySync
{
  GObject parent_instance;

  RlHistory *history;
  RlSession *session;
  GCancellable *cancellable;
  gboolean sending;
  gboolean again; /* something changed while sending */
  GPtrArray *batch;
  guint next;
  guint delay;
  guint retry_source;
};

G_DEFINE_FINAL_TYPE (RlHistorySync, rl_history_sync, G_TYPE_OBJECT)

static void flush (RlHistorySync *self);

/* ---- records as the backend's JSON ---- */

static gint64
date_ms (GVariant *record, const char *key, guint32 plus_seconds)
{
  g_autoptr (GDateTime) time
    = g_date_time_new_from_iso8601 (rl_history_record_text (record, key), NULL);

  return time ? (g_date_time_to_unix (time) + plus_seconds) * 1000
                  + g_date_time_get_microsecond (time) / 1000
              : 0;
}

/* What a CRM attached (the Dial options seeds name, SetData) and the whole
 * record, types and all, so another Ringline gets it back exact. */
static void
add_crm_members (JsonBuilder *b, GVariant *record)
{
  static const char *const options[][2]
    = { { "order_id", "orderId" }, { "engagement_id", "engagementId" }, { "params", "params" } };
  g_autoptr (GVariant) data = g_variant_lookup_value (record, "data", G_VARIANT_TYPE_VARDICT);
  g_autofree char *full = g_variant_print (record, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (*rl_history_record_text (record, options[i][0]))
      {
        json_builder_set_member_name (b, options[i][1]);
        json_builder_add_string_value (b, rl_history_record_text (record, options[i][0]));
      }
  if (data)
    {
      json_builder_set_member_name (b, "data");
      json_builder_add_value (b, json_gvariant_serialize (data));
    }
  json_builder_set_member_name (b, "record");
  json_builder_add_string_value (b, full);
}

/**
 * rl_history_sync_record_patch:
 *
 * Returns: (transfer full): what PATCH /api/call-history/{callId} sends
 * when data was attached to a call the backend has already
 */
JsonNode *
rl_history_sync_record_patch (GVariant *record)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_crm_members (b, record);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * rl_history_sync_record_to_json:
 *
 * Returns: (transfer full): the record as the backend's call (docs/backend-api.md)
 */
JsonNode *
rl_history_sync_record_to_json (GVariant *record)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gboolean inbound = g_str_equal (rl_history_record_text (record, "direction"), "inbound");
  guint32 total = 0, duration = 0;

  g_variant_lookup (record, "total", "u", &total);
  g_variant_lookup (record, "duration", "u", &duration);
#define STR(name, value)                                                                           \
  G_STMT_START                                                                                     \
  {                                                                                                \
    json_builder_set_member_name (b, name);                                                        \
    json_builder_add_string_value (b, value);                                                      \
  }                                                                                                \
  G_STMT_END
#define INT(name, value)                                                                           \
  G_STMT_START                                                                                     \
  {                                                                                                \
    json_builder_set_member_name (b, name);                                                        \
    json_builder_add_int_value (b, value);                                                         \
  }                                                                                                \
  G_STMT_END
  json_builder_begin_object (b);
  STR ("callId", rl_history_record_text (record, "id"));
  STR ("direction", inbound ? "inbound" : "outbound");
  STR ("status", rl_history_record_text (record, "status"));
  STR ("disposition", rl_history_record_text (record, "status"));
  STR ("callerIdNumber", rl_history_record_text (record, "from"));
  STR ("phoneNumber", rl_history_record_text (record, inbound ? "from" : "to"));
  STR ("contactName", rl_history_record_text (record, "contact_name"));
  INT ("startedAt", date_ms (record, "date", 0));
  INT ("endedAt", date_ms (record, "date", total));
  INT ("durationSeconds", duration);
  add_crm_members (b, record);
  json_builder_end_object (b);
#undef STR
#undef INT
  return json_builder_get_root (b);
}

/* A call some other client stored: what the backend's fields say (docs/backend-api.md). */
static GVariant *
record_from_fields (JsonObject *call, const char *id)
{
  const char *direction = rl_json_string (call, "direction");
  const char *status = rl_json_string (call, "status");
  const char *number = rl_json_string (call, "phoneNumber");
  const char *name = rl_json_string (call, "contactName");
  gint64 started = rl_json_int (call, "startedAt", 0);
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_utc (started / 1000);
  g_autofree char *date = time ? g_date_time_format_iso8601 (time) : g_strdup ("");
  gboolean inbound = g_strcmp0 (direction, "inbound") == 0;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (id));
  g_variant_builder_add (&b, "{sv}", "direction",
                         g_variant_new_string (inbound ? "inbound" : "outbound"));
  g_variant_builder_add (&b, "{sv}", "status", g_variant_new_string (status ? status : "failed"));
  g_variant_builder_add (&b, "{sv}", inbound ? "from" : "to",
                         g_variant_new_string (number ? number : ""));
  g_variant_builder_add (&b, "{sv}", "date", g_variant_new_string (date));
  g_variant_builder_add (
    &b, "{sv}", "duration",
    g_variant_new_uint32 (CLAMP (rl_json_int (call, "durationSeconds", 0), 0, G_MAXUINT32)));
  if (name)
    g_variant_builder_add (&b, "{sv}", "contact_name", g_variant_new_string (name));
  return g_variant_builder_end (&b);
}

/**
 * rl_history_sync_record_from_json:
 *
 * Returns: (transfer full): a backend call as a record, or %NULL with @error
 */
GVariant *
rl_history_sync_record_from_json (JsonObject *call, GError **error)
{
  const char *id = rl_json_string (call, "callId");
  const char *full = rl_json_string (call, "record");
  g_autoptr (GVariant) parsed = NULL;

  if (id == NULL || *id == '\0' || rl_json_int (call, "startedAt", 0) <= 0)
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_BACKEND,
                           "A call from the server has no callId or startedAt");
      return NULL;
    }
  if (full)
    parsed = g_variant_parse (G_VARIANT_TYPE_VARDICT, full, NULL, NULL, NULL);
  if (parsed && g_str_equal (rl_history_record_text (parsed, "id"), id))
    return g_steal_pointer (&parsed);
  return g_variant_ref_sink (record_from_fields (call, id));
}

/* ---- the outbox ---- */

static void send_next (RlHistorySync *self);

static gboolean
on_retry_due (gpointer data)
{
  RlHistorySync *self = data;

  self->retry_source = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

static void
end_round (RlHistorySync *self, const GError *error)
{
  gboolean full = self->batch && self->batch->len == BATCH;

  self->sending = FALSE;
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  if (error)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->delay = CLAMP (self->delay * 2, 1, MAX_DELAY_SECONDS);
      g_debug ("History sync waits %u s: %s", self->delay, error->message);
      g_clear_handle_id (&self->retry_source, g_source_remove);
      self->retry_source = g_timeout_add_seconds (self->delay, on_retry_due, self);
      return;
    }
  self->delay = 0;
  if (full || self->again)
    flush (self);
}

/* A 4xx that trying again cannot change. */
static gboolean
refused_for_good (guint status)
{
  return status >= 400 && status < 500 && status != 401 && status != 403 && status != 408
         && status != 429;
}

static void
on_posted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlHistorySync) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = rl_backend_request_finish (RL_BACKEND (source), result, &error);
  RlHistoryRow *row;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a sign-out ended this round; a new one may have begun */
  row = self->batch->pdata[self->next];
  if (reply == NULL && !refused_for_good (rl_backend_request_get_status (result)))
    return end_round (self, error);
  self->next++;
  if (reply)
    rl_history_mark_synced (self->history, row);
  else
    {
      g_warning ("The server refused call %s for good; it stays in the local history: %s",
                 row->call_id, error->message);
      rl_history_mark_rejected (self->history, row->call_id, error->message);
    }
  send_next (self);
}

static void
send_next (RlHistorySync *self)
{
  RlHistoryRow *row;
  g_autoptr (JsonNode) body = NULL;

  if (self->next >= self->batch->len)
    return end_round (self, NULL);
  row = self->batch->pdata[self->next];
  if (row->patch)
    {
      g_autofree char *id = g_uri_escape_string (row->call_id, NULL, FALSE);
      g_autofree char *path = g_strconcat ("/api/call-history/", id, NULL);

      body = rl_history_sync_record_patch (row->record);
      rl_backend_request_async (rl_session_get_backend (self->session), "PATCH", path, body,
                                RL_BACKEND_REQUEST_AUTH, self->cancellable, on_posted,
                                g_object_ref (self));
      return;
    }
  body = rl_history_sync_record_to_json (row->record);
  rl_backend_request_async (rl_session_get_backend (self->session), "POST", "/api/call-history",
                            body, RL_BACKEND_REQUEST_AUTH, self->cancellable, on_posted,
                            g_object_ref (self));
}

static void
on_unsynced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlHistorySync) self = user_data;
  g_autoptr (GError) error = NULL;

  GPtrArray *batch = rl_history_get_unsynced_finish (self->history, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->batch = batch;
  if (self->batch == NULL)
    return end_round (self, error);
  self->next = 0;
  send_next (self);
}

static void
flush (RlHistorySync *self)
{
  const char *owner = rl_session_get_user_id (self->session);

  if (self->sending)
    {
      self->again = TRUE;
      return;
    }
  if (!rl_session_get_signed_in (self->session) || owner == NULL || self->retry_source)
    return;
  self->sending = TRUE;
  self->again = FALSE;
  rl_history_get_unsynced_async (self->history, owner, BATCH, self->cancellable, on_unsynced,
                                 g_object_ref (self));
}

/* ---- merging the backend's history ---- */

static void fetch_page (RlHistorySync *self, guint page);

static void
on_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RlHistorySync *self = g_task_get_source_object (task);
  guint page = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rl_backend_request_finish (RL_BACKEND (source), result, &error);
  JsonObject *object = rl_json_object (root);
  JsonArray *array = rl_json_member_array (object, "calls");
  const char *owner = rl_session_get_user_id (self->session);

  if (array == NULL || owner == NULL)
    {
      if (root)
        g_warning ("The server's call history is not a list of calls");
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No call history from the server: %s", error->message);
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr (GError) bad = NULL;
      g_autoptr (GVariant) record
        = rl_json_object (node) ? rl_history_sync_record_from_json (rl_json_object (node), &bad)
                                : NULL;
      const char *url = rl_json_string (rl_json_object (node), "recordingUrl");

      if (record == NULL)
        continue;
      rl_history_add (self->history, record, owner, TRUE);
      if (url)
        rl_history_set_recording_url (self->history, rl_history_record_text (record, "id"), url);
    }
  if (json_array_get_length (array) == MERGE_PAGE && page + 1 < MERGE_PAGES
      && rl_json_boolean (object, "hasMore", FALSE))
    fetch_page (self, page + 1);
}

static void
fetch_page (RlHistorySync *self, guint page)
{
  g_autofree char *path
    = g_strdup_printf ("/api/call-history?limit=%u&offset=%u", MERGE_PAGE, page * MERGE_PAGE);
  GTask *task = g_task_new (self, self->cancellable, NULL, NULL);

  g_task_set_task_data (task, GUINT_TO_POINTER (page), NULL);
  rl_backend_request_async (rl_session_get_backend (self->session), "GET", path, NULL,
                            RL_BACKEND_REQUEST_AUTH, self->cancellable, on_page, task);
}

static void
on_signed_in_changed (RlHistorySync *self)
{
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->sending = FALSE;
  self->delay = 0;
  if (!rl_session_get_signed_in (self->session))
    return;
  fetch_page (self, 0);
  flush (self);
}

static void
on_online_changed (RlHistorySync *self)
{
  if (!rl_session_get_online (self->session))
    return;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  flush (self);
}

static void
rl_history_sync_dispose (GObject *object)
{
  RlHistorySync *self = RL_HISTORY_SYNC (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->history)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->session);
  g_clear_object (&self->history);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  G_OBJECT_CLASS (rl_history_sync_parent_class)->dispose (object);
}

static void
rl_history_sync_class_init (RlHistorySyncClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_history_sync_dispose;
}

static void
rl_history_sync_init (RlHistorySync *self)
{
  self->cancellable = g_cancellable_new ();
}

RlHistorySync *
rl_history_sync_new (RlHistory *history, RlSession *session)
{
  RlHistorySync *self = g_object_new (RL_TYPE_HISTORY_SYNC, NULL);

  self->history = g_object_ref (history);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (history, "changed", G_CALLBACK (flush), self);
  g_signal_connect_swapped (session, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self);
  g_signal_connect_swapped (session, "notify::online", G_CALLBACK (on_online_changed), self);
  return self;
}
