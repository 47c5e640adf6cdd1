/* rl-park-slots.c
 *
 * Park slots are the backend's (GET /v3/park-slots?domain=): read every few
 * seconds while signed in and someone watches them (the window shown, or a
 * D-Bus client that asked), less often while the backend fails. Parking
 * follows the PBX's style: the backend takes the call (POST /v3/park-call)
 * and Ringline ends its leg, or names where to transfer it; or Ringline
 * transfers the call to the slot's extension itself. Retrieving asks the
 * backend to send the call here and answers it when it rings, or dials the
 * slot's extension.
 *
 * Longer than most files: polling, parking and retrieving share the slots
 * and the two PBX styles, and each reads best beside the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlParkSlots"

#include "rl-park-slots-private.h"
#include "rl-json.h"
#include "rl-error.h"

#include <string.h>

#define MAX_BACKOFF_MS 60000
#define TRANSFER_TIMEOUT_S 30
#define RETRIEVE_TIMEOUT_S 30

struct _RlParkSlots
{
  GObject parent_instance;

  RlPhone *phone;
  RlSession *session;
  GSettings *settings;
  GCancellable *cancellable; /* the poll in flight */
  GVariant *slots;           /* aa{sv}, never floating */
  guint holds;
  guint poll_source;
  guint backoff_ms; /* 0 while the backend answers */
  gboolean fetching;
  GTask *retrieving; /* waits for the retrieved call to ring */
  char *retrieving_number;
  guint retrieve_timeout;
  RlCall *retrieved; /* rang, to be answered by answer_source */
  guint answer_source;
};

G_DEFINE_FINAL_TYPE (RlParkSlots, rl_park_slots, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SLOTS,
  PROP_POLLING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  PARKED,
  PARK_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- reading the slots ---- */

static GVariant *
slot_from_json (JsonNode *node, GError **error)
{
  JsonObject *o = rl_json_object (node);
  const char *extension = rl_json_string (o, "extension");
  JsonObject *call = rl_json_member_object (o, "parkedCall");
  GVariantDict d;

  if (extension == NULL || !*extension)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_BACKEND, "A park slot has no extension");
      return NULL;
    }
  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "extension", "s", extension);
  g_variant_dict_insert (&d, "label", "s", rl_json_string (o, "label") ?: extension);
  g_variant_dict_insert (&d, "occupied", "b", rl_json_boolean (o, "occupied", call != NULL));
  if (call)
    {
      g_variant_dict_insert (&d, "phone_number", "s", rl_json_string (call, "phoneNumber") ?: "");
      g_variant_dict_insert (&d, "parked_by", "s", rl_json_string (call, "parkedBy") ?: "");
      g_variant_dict_insert (&d, "parked_at", "x", rl_json_int (call, "parkedAt", 0));
    }
  return g_variant_dict_end (&d);
}

GVariant *
_rl_park_slots_from_json (JsonNode *reply, GError **error)
{
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (reply) ? json_node_get_array (reply) : NULL;
  GVariantBuilder b;

  if (array == NULL)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_BACKEND, "The park slots are not a JSON array");
      return NULL;
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      GVariant *slot = slot_from_json (json_array_get_element (array, i), error);

      if (slot == NULL)
        {
          g_variant_builder_clear (&b);
          return NULL;
        }
      g_variant_builder_add_value (&b, slot);
    }
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

static void set_slots (RlParkSlots *self, GVariant *slots);

static const char *
sip_domain (RlParkSlots *self)
{
  const char *domain = "";

  g_variant_lookup (rl_session_get_agent (self->session), "sip_domain", "&s", &domain);
  return domain;
}

/* ---- polling ---- */

static gboolean wanted (RlParkSlots *self);
static void schedule (RlParkSlots *self);

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlParkSlots) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = rl_backend_request_finish (RL_BACKEND (source), result, &error);
  g_autoptr (GVariant) slots = reply ? _rl_park_slots_from_json (reply, &error) : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->fetching = FALSE;
  if (slots)
    {
      self->backoff_ms = 0;
      set_slots (self, slots);
    }
  else
    {
      guint interval = g_settings_get_uint (self->settings, "park-poll-interval");

      self->backoff_ms
        = MIN (MAX_BACKOFF_MS, self->backoff_ms ? self->backoff_ms * 2 : interval * 2);
      g_debug ("Park slots: %s; next try in %u ms", error->message, self->backoff_ms);
    }
  schedule (self);
}

static void
fetch (RlParkSlots *self)
{
  g_autofree char *domain = g_uri_escape_string (sip_domain (self), NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v3/park-slots?domain=%s", domain);

  if (self->fetching)
    return;
  self->fetching = TRUE;
  rl_backend_request_async (rl_session_get_backend (self->session), "GET", path, NULL,
                            RL_BACKEND_REQUEST_AUTH, self->cancellable, on_fetched,
                            g_object_ref (self));
}

static gboolean
on_poll_due (gpointer data)
{
  RlParkSlots *self = data;

  self->poll_source = 0;
  fetch (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (RlParkSlots *self)
{
  guint interval = self->backoff_ms ? self->backoff_ms
                                    : g_settings_get_uint (self->settings, "park-poll-interval");

  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (wanted (self))
    self->poll_source = g_timeout_add (interval, on_poll_due, self);
}

static gboolean
wanted (RlParkSlots *self)
{
  return self->holds > 0 && rl_session_get_signed_in (self->session);
}

/* Starts or stops polling as interest and the session come and go; a new
 * start reads the slots at once. */
static void
update_polling (RlParkSlots *self)
{
  gboolean polling = self->poll_source || self->fetching;

  if (wanted (self) == polling)
    return;
  if (wanted (self))
    fetch (self);
  else
    {
      g_cancellable_cancel (self->cancellable);
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
      self->fetching = FALSE;
      g_clear_handle_id (&self->poll_source, g_source_remove);
      self->backoff_ms = 0;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLLING]);
}

static void
on_signed_in_changed (RlParkSlots *self)
{
  if (!rl_session_get_signed_in (self->session))
    {
      g_autoptr (GVariant) none = g_variant_ref_sink (g_variant_new ("aa{sv}", NULL));

      set_slots (self, none);
    }
  update_polling (self);
}

static void
set_slots (RlParkSlots *self, GVariant *slots)
{
  if (self->slots && g_variant_equal (self->slots, slots))
    return;
  g_clear_pointer (&self->slots, g_variant_unref);
  self->slots = g_variant_ref (slots);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOTS]);
}

/* A change we caused shows at once, not at the next poll. */
static void
refresh_soon (RlParkSlots *self)
{
  if (!wanted (self))
    return;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  self->poll_source = g_timeout_add (500, on_poll_due, self);
}

/* ---- parking ---- */

typedef struct
{
  RlPhone *phone;
  RlCall *call;
  char *slot;
  gulong handler;
  guint timeout;
} Park;

static void
park_free (Park *park)
{
  g_clear_signal_handler (&park->handler, park->phone);
  g_clear_handle_id (&park->timeout, g_source_remove);
  g_object_unref (park->phone);
  g_object_unref (park->call);
  g_free (park->slot);
  g_free (park);
}

static void
park_done (GTask *task, GError *error)
{
  RlParkSlots *self = g_task_get_source_object (task);
  Park *park = g_task_get_task_data (task);
  const char *agent = "";

  g_clear_signal_handler (&park->handler, park->phone);
  g_clear_handle_id (&park->timeout, g_source_remove);
  if (error)
    {
      g_signal_emit (self, signals[PARK_FAILED], 0, park->call, park->slot, error->message);
      g_task_return_error (task, error);
      return;
    }
  g_variant_lookup (rl_session_get_agent (self->session), "extension", "&s", &agent);
  g_signal_emit (self, signals[PARKED], 0, park->call, park->slot, agent);
  refresh_soon (self);
  g_task_return_boolean (task, TRUE);
}

static void
on_transfer_result (RlPhone *phone, RlCall *call, gboolean ok, const char *detail, GTask *task)
{
  Park *park = g_task_get_task_data (task);

  if (call != park->call)
    return;
  park_done (task, ok
                     ? NULL
                     : g_error_new (RL_ERROR, RL_ERROR_FAILED,
                                    "The transfer to park slot %s failed: %s", park->slot, detail));
  g_object_unref (task);
}

static gboolean
on_transfer_timeout (gpointer data)
{
  GTask *task = data;
  Park *park = g_task_get_task_data (task);

  park->timeout = 0;
  park_done (task,
             g_error_new (RL_ERROR, RL_ERROR_TIMED_OUT,
                          "The network did not confirm the transfer to park slot %s", park->slot));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Takes @task; it finishes on the transfer's outcome. */
static void
park_by_transfer (GTask *task, const char *target)
{
  Park *park = g_task_get_task_data (task);
  GError *error = NULL;

  if (!rl_phone_transfer (park->phone, park->call, target, &error))
    {
      park_done (task, error);
      g_object_unref (task);
      return;
    }
  park->handler
    = g_signal_connect (park->phone, "transfer-result", G_CALLBACK (on_transfer_result), task);
  park->timeout = g_timeout_add_seconds (TRANSFER_TIMEOUT_S, on_transfer_timeout, task);
}

static void
on_park_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Park *park = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (JsonNode) reply = rl_backend_request_finish (RL_BACKEND (source), result, &error);
  JsonObject *o = rl_json_object (reply);
  const char *target = rl_json_string (o, "transferTo");

  if (reply && (o == NULL || !rl_json_boolean (o, "success", FALSE)))
    error = g_error_new (RL_ERROR, RL_ERROR_BACKEND, "The backend did not park the call: %s",
                         rl_json_string (o, "error") ?: "no reason given");
  if (error)
    {
      park_done (task, error);
      g_object_unref (task);
      return;
    }
  if (target && *target)
    return park_by_transfer (task, target);
  /* The backend holds the call now; our leg goes. */
  rl_phone_hangup (park->phone, park->call, NULL);
  park_done (task, NULL);
  g_object_unref (task);
}

static JsonNode *
slot_request (RlParkSlots *self, const char *slot, RlCall *call)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "extension");
  json_builder_add_string_value (b, slot);
  json_builder_set_member_name (b, "sipDomain");
  json_builder_add_string_value (b, sip_domain (self));
  if (call)
    {
      json_builder_set_member_name (b, "callUuid");
      json_builder_add_string_value (b, rl_call_get_id (call));
      json_builder_set_member_name (b, "phoneNumber");
      json_builder_add_string_value (b, rl_call_get_remote_number (call));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
slot_is_valid (const char *slot)
{
  if (slot == NULL || !*slot || strlen (slot) > 32)
    return FALSE;
  for (const char *c = slot; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '*' && *c != '#')
      return FALSE;
  return TRUE;
}

/* The slot as last read; NULL when the list does not name it. */
static GVariant *
find_slot (RlParkSlots *self, const char *slot)
{
  GVariantIter iter;
  GVariant *entry;

  g_variant_iter_init (&iter, self->slots);
  while ((entry = g_variant_iter_next_value (&iter)))
    {
      const char *extension = "";

      if (g_variant_lookup (entry, "extension", "&s", &extension) && g_str_equal (extension, slot))
        return entry;
      g_variant_unref (entry);
    }
  return NULL;
}

static gboolean
check_slot (RlParkSlots *self, const char *slot, gboolean want_occupied, GError **error)
{
  g_autoptr (GVariant) entry = NULL;
  gboolean occupied = FALSE;

  if (!slot_is_valid (slot))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "'%s' is not a park slot extension",
                   slot ? slot : "");
      return FALSE;
    }
  if (!rl_session_get_signed_in (self->session))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_NOT_SIGNED_IN,
                   "Park slots are the call center's: sign in first");
      return FALSE;
    }
  entry = find_slot (self, slot);
  if (entry == NULL)
    return TRUE; /* not read yet: the backend decides */
  g_variant_lookup (entry, "occupied", "b", &occupied);
  if (occupied != want_occupied)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_STATE,
                   want_occupied ? "Nothing is parked in slot %s" : "Park slot %s is occupied",
                   slot);
      return FALSE;
    }
  return TRUE;
}

/**
 * rl_park_slots_park_async:
 * @slot: the slot's extension
 *
 * Parks @call in the way the park-style setting says. Finishes once the
 * call is parked (the local call then ends) or parking failed; the parked
 * and park-failed signals say the same to everyone.
 */
void
rl_park_slots_park_async (RlParkSlots *self, RlCall *call, const char *slot,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_return_if_fail (RL_IS_PARK_SLOTS (self));

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *style = g_settings_get_string (self->settings, "park-style");
  g_autoptr (JsonNode) body = NULL;
  Park *park;
  GError *error = NULL;

  g_task_set_source_tag (task, rl_park_slots_park_async);
  if (!check_slot (self, slot, FALSE, &error))
    return g_task_return_error (task, error);
  if (!rl_call_is_active (call))
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_INVALID_STATE,
                                    "Only a call in progress can be parked");
  park = g_new0 (Park, 1);
  park->phone = g_object_ref (self->phone);
  park->call = g_object_ref (call);
  park->slot = g_strdup (slot);
  g_task_set_task_data (task, park, (GDestroyNotify) park_free);
  if (g_str_equal (style, "transfer"))
    return park_by_transfer (g_steal_pointer (&task), slot);
  body = slot_request (self, slot, call);
  rl_backend_request_async (rl_session_get_backend (self->session), "POST", "/v3/park-call", body,
                            RL_BACKEND_REQUEST_AUTH, cancellable, on_park_reply,
                            g_steal_pointer (&task));
}

gboolean
rl_park_slots_park_finish (RlParkSlots *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- retrieving ---- */

static void
retrieve_done (RlParkSlots *self, RlCall *call, GError *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->retrieving);

  g_clear_pointer (&self->retrieving_number, g_free);
  g_clear_handle_id (&self->retrieve_timeout, g_source_remove);
  rl_phone_expect_inbound (self->phone, NULL);
  refresh_soon (self);
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (call), g_object_unref);
}

static gboolean
answer_retrieved (gpointer data)
{
  RlParkSlots *self = data;
  g_autoptr (RlCall) call = g_steal_pointer (&self->retrieved);
  GError *error = NULL;

  self->answer_source = 0;
  if (self->retrieving == NULL)
    return G_SOURCE_REMOVE;
  if (!rl_call_is_ringing_in (call))
    error
      = g_error_new (RL_ERROR, RL_ERROR_FAILED, "The retrieved call ended before it was answered");
  else
    rl_phone_answer (self->phone, call, &error);
  retrieve_done (self, call, error);
  return G_SOURCE_REMOVE;
}

/* The parked call the backend sent here rings: it is answered once the
 * phone has taken it in (from the next main-loop turn). */
static void
on_call_added (RlParkSlots *self, RlCall *call)
{
  if (self->retrieving_number == NULL || self->answer_source
      || rl_call_get_direction (call) != RL_CALL_DIRECTION_INBOUND
      || g_strcmp0 (rl_call_get_remote_number (call), self->retrieving_number) != 0)
    return;
  g_set_object (&self->retrieved, call);
  self->answer_source = g_idle_add (answer_retrieved, self);
}

static gboolean
on_retrieve_timeout (gpointer data)
{
  RlParkSlots *self = data;

  self->retrieve_timeout = 0;
  if (self->retrieving)
    retrieve_done (self, NULL,
                   g_error_new (RL_ERROR, RL_ERROR_TIMED_OUT,
                                "The parked call did not come back within %u s",
                                RETRIEVE_TIMEOUT_S));
  return G_SOURCE_REMOVE;
}

static void
on_retrieve_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RlParkSlots *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr (JsonNode) reply = rl_backend_request_finish (RL_BACKEND (source), result, &error);
  JsonObject *o = rl_json_object (reply);
  const char *number = rl_json_string (o, "phoneNumber");
  GListModel *calls;

  if (reply && (number == NULL || !rl_json_boolean (o, "success", FALSE)))
    error = g_error_new (RL_ERROR, RL_ERROR_BACKEND, "The backend did not retrieve the call: %s",
                         rl_json_string (o, "error") ?: "no reason given");
  if (error == NULL && self->retrieving)
    error = g_error_new (RL_ERROR, RL_ERROR_INVALID_STATE, "Another retrieve is under way");
  if (error)
    {
      if (self->retrieving == NULL) /* nothing else waits for a call */
        rl_phone_expect_inbound (self->phone, NULL);
      return g_task_return_error (task, error);
    }
  self->retrieving = g_steal_pointer (&task);
  self->retrieving_number = g_strdup (number);
  rl_phone_expect_inbound (self->phone, number);
  self->retrieve_timeout = g_timeout_add_seconds (RETRIEVE_TIMEOUT_S, on_retrieve_timeout, self);
  /* The call may ring before the backend's reply arrives. */
  calls = rl_phone_get_calls (self->phone);
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (calls, i);

      if (rl_call_is_ringing_in (call))
        on_call_added (self, call);
    }
}

/**
 * rl_park_slots_retrieve_async:
 *
 * Brings the call parked in @slot back here, in the way the retrieve-style
 * setting says; finishes with that call once it is up or on its way.
 */
void
rl_park_slots_retrieve_async (RlParkSlots *self, const char *slot, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_PARK_SLOTS (self));

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *style = g_settings_get_string (self->settings, "retrieve-style");
  g_autoptr (JsonNode) body = NULL;
  GError *error = NULL;
  RlCall *call;

  g_task_set_source_tag (task, rl_park_slots_retrieve_async);
  if (!check_slot (self, slot, TRUE, &error))
    return g_task_return_error (task, error);
  if (g_str_equal (style, "dial"))
    {
      call = rl_phone_dial (self->phone, slot, NULL, &error);
      if (call == NULL)
        return g_task_return_error (task, error);
      refresh_soon (self);
      return g_task_return_pointer (task, g_object_ref (call), g_object_unref);
    }
  body = slot_request (self, slot, NULL);
  /* The call may ring before the backend says whose it is. */
  if (self->retrieving == NULL)
    rl_phone_expect_inbound (self->phone, "");
  rl_backend_request_async (rl_session_get_backend (self->session), "POST", "/v3/retrieve-call",
                            body, RL_BACKEND_REQUEST_AUTH, cancellable, on_retrieve_reply,
                            g_steal_pointer (&task));
}

/**
 * rl_park_slots_retrieve_finish:
 *
 * Returns: (transfer full): the retrieved call
 */
RlCall *
rl_park_slots_retrieve_finish (RlParkSlots *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the object ---- */

/**
 * rl_park_slots_get_slots:
 *
 * Returns: (transfer none): the slots as last read, as aa{sv}: extension,
 *   label, occupied (b) and, when occupied, phone_number, parked_by,
 *   parked_at (x, ms since 1970)
 */
GVariant *
rl_park_slots_get_slots (RlParkSlots *self)
{
  g_return_val_if_fail (RL_IS_PARK_SLOTS (self), NULL);
  return self->slots;
}

gboolean
rl_park_slots_get_polling (RlParkSlots *self)
{
  g_return_val_if_fail (RL_IS_PARK_SLOTS (self), FALSE);
  return self->poll_source || self->fetching;
}

/**
 * rl_park_slots_hold:
 *
 * Says someone watches the slots: they are read while signed in and at
 * least one hold stands.
 */
void
rl_park_slots_hold (RlParkSlots *self)
{
  g_return_if_fail (RL_IS_PARK_SLOTS (self));
  self->holds++;
  update_polling (self);
}

void
rl_park_slots_release (RlParkSlots *self)
{
  g_return_if_fail (RL_IS_PARK_SLOTS (self));
  g_return_if_fail (self->holds > 0);
  self->holds--;
  update_polling (self);
}

static void
rl_park_slots_dispose (GObject *object)
{
  RlParkSlots *self = RL_PARK_SLOTS (object);

  g_cancellable_cancel (self->cancellable);
  /* First: ending a retrieval schedules a refresh, which must go too. */
  if (self->retrieving)
    retrieve_done (self, NULL, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Shutting down"));
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->answer_source, g_source_remove);
  g_clear_object (&self->retrieved);
  if (self->phone)
    g_signal_handlers_disconnect_by_data (self->phone, self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->phone);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->slots, g_variant_unref);
  G_OBJECT_CLASS (rl_park_slots_parent_class)->dispose (object);
}

static void
rl_park_slots_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlParkSlots *self = RL_PARK_SLOTS (object);

  switch (prop_id)
    {
    case PROP_SLOTS:
      g_value_set_variant (value, self->slots);
      break;
    case PROP_POLLING:
      g_value_set_boolean (value, rl_park_slots_get_polling (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_park_slots_class_init (RlParkSlotsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = rl_park_slots_dispose;
  object_class->get_property = rl_park_slots_get_property;
  properties[PROP_SLOTS]
    = g_param_spec_variant ("slots", NULL, NULL, G_VARIANT_TYPE ("aa{sv}"), NULL, flags);
  properties[PROP_POLLING] = g_param_spec_boolean ("polling", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /**
   * RlParkSlots::parked:
   * @slot: the slot's extension
   * @parked_by: the agent's extension
   */
  signals[PARKED]
    = g_signal_new ("parked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 3, RL_TYPE_CALL, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * RlParkSlots::park-failed:
   * @message: why, in words
   */
  signals[PARK_FAILED]
    = g_signal_new ("park-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 3, RL_TYPE_CALL, G_TYPE_STRING, G_TYPE_STRING);
}

static void
rl_park_slots_init (RlParkSlots *self)
{
  self->cancellable = g_cancellable_new ();
  self->slots = g_variant_ref_sink (g_variant_new ("aa{sv}", NULL));
}

RlParkSlots *
rl_park_slots_new (RlPhone *phone, RlSession *session, GSettings *settings)
{
  RlParkSlots *self = g_object_new (RL_TYPE_PARK_SLOTS, NULL);

  self->phone = g_object_ref (phone);
  self->session = g_object_ref (session);
  self->settings = g_object_ref (settings);
  g_signal_connect_swapped (session, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self);
  g_signal_connect_swapped (phone, "call-added", G_CALLBACK (on_call_added), self);
  return self;
}
