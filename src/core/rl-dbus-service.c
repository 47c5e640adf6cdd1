/* rl-dbus-service.c
 *
 * A view of the core objects on the bus, as the window is another. Methods
 * go through the verb table; signals and properties follow the phone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlDbusService"

#include "rl-dbus-service.h"
#include "rl-dbus-generated.h"
#include "rl-error.h"
#include "rl-verbs.h"

/* Clients that learn of a call from its last signal may still read it. */
#define TERMINATED_LINGER_SECONDS 30

struct _RlDbusService
{
  GObject parent_instance;

  RlCore *core; /* owns this service */
  RlPhone *phone;
  RlAudioDevices *audio;
  RlContactStore *contacts;
  RlSession *session;
  RlHistory *history;
  RlAgentStatus *agent_status;
  RlParkSlots *park_slots;
  GHashTable *park_watchers; /* bus name → name watch id */
  GDBusConnection *connection;
  RlDbusPhone1 *skeleton;
  GHashTable *calls; /* RlCall → RlDbusCall1 (skeleton) */
  guint next_call;
  GPtrArray *lingering; /* terminated call skeletons still exported */
};

G_DEFINE_FINAL_TYPE (RlDbusService, rl_dbus_service, G_TYPE_OBJECT)

static const char *const engine_states[]
  = { "stopped", "starting", "running", "restarting", "missing" };

static void
return_error (GDBusMethodInvocation *invocation, GError *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
}

/* A phone verb finishes at once: its reply goes out in this turn, where the
 * asynchronous form would wait for the next (Dial() is on the call's setup
 * path). On failure, replies with the error and returns FALSE. */
static gboolean
invoke (RlDbusService *self, GDBusMethodInvocation *invocation, const char *verb, GVariant *param,
        GVariant **result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) owned = param ? g_variant_ref_sink (param) : NULL;

  if (!rl_verbs_invoke (self->core, verb, owned, result, &error))
    {
      return_error (invocation, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
on_set_account (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, GVariant *settings,
                RlDbusService *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlAccount) account = rl_account_new_from_variant (settings, &error);
  RlAccount *current = rl_phone_get_account (self->phone);

  if (account == NULL)
    {
      return_error (invocation, error);
      return TRUE;
    }
  /* SetAccount without a password keeps the one already known for the same
   * identity, so a client can change the display name without knowing it. */
  if (!g_variant_lookup (settings, "password", "&s", NULL) && current
      && rl_account_same_identity (account, current))
    rl_account_set_password (account, rl_account_get_password (current));
  rl_phone_set_account (self->phone, account);
  rl_dbus_phone1_complete_set_account (skeleton, invocation);
  return TRUE;
}

static gboolean
on_register (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, RlDbusService *self)
{
  if (invoke (self, invocation, "register", NULL, NULL))
    rl_dbus_phone1_complete_register (skeleton, invocation);
  return TRUE;
}

static gboolean
on_unregister (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, RlDbusService *self)
{
  if (invoke (self, invocation, "unregister", NULL, NULL))
    rl_dbus_phone1_complete_unregister (skeleton, invocation);
  return TRUE;
}

static gboolean
on_dial (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *target,
         GVariant *options, RlDbusService *self)
{
  g_autoptr (GVariant) result = NULL;
  RlCall *call;

  if (!invoke (self, invocation, "dial", g_variant_new ("(s@a{sv})", target, options), &result))
    return TRUE;
  g_variant_ref_sink (result);
  /* The phone ends a call only from a later main-loop turn, so the new call
   * is still listed here. */
  call = rl_phone_find_call (self->phone, g_variant_get_string (result, NULL));
  rl_dbus_phone1_complete_dial (skeleton, invocation, rl_dbus_service_get_call_path (self, call));
  return TRUE;
}

static void
on_audio_changed (RlDbusService *self)
{
  rl_dbus_phone1_set_audio_devices (self->skeleton, rl_audio_devices_build_list (self->audio));
}

/* A setting, not a call verb: it changes the preference (kept in GSettings),
 * and the engine follows. A device that is not there now is NotFound, so a
 * client learns of a typo at once. */
static gboolean
on_set_audio_device (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *role,
                     const char *id, RlDbusService *self)
{
  g_autoptr (GError) error = NULL;
  RlAudioRole r;

  if (!rl_audio_role_from_string (role, &r))
    g_set_error (&error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                 "role: '%s' is not one of microphone, speaker, ringer", role);
  else if (!rl_audio_device_id_is_valid (id))
    g_set_error (&error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "id: not an audio device id");
  else if (*id && !rl_audio_devices_has (self->audio, r, id))
    g_set_error (&error, RL_ERROR, RL_ERROR_NOT_FOUND, "No %s named '%s' is connected now", role,
                 id);
  else
    rl_audio_devices_set_preferred (self->audio, r, id, &error);
  if (error)
    return_error (invocation, error);
  else
    rl_dbus_phone1_complete_set_audio_device (skeleton, invocation);
  return TRUE;
}

static void
on_contacts_set (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;

  if (!rl_contact_store_set_contacts_finish (RL_CONTACT_STORE (source), result, &error))
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

/* The reply comes once the contacts are checked (in a worker), before they
 * are indexed. */
static gboolean
on_set_contacts (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *source,
                 GVariant *contacts, RlDbusService *self)
{
  rl_contact_store_set_contacts_async (self->contacts, source, contacts, FALSE, NULL,
                                       on_contacts_set, g_object_ref (invocation));
  return TRUE;
}

static gboolean
on_save_contacts (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *source,
                  GVariant *contacts, RlDbusService *self)
{
  rl_contact_store_set_contacts_async (self->contacts, source, contacts, TRUE, NULL,
                                       on_contacts_set, g_object_ref (invocation));
  return TRUE;
}

static gboolean
on_clear_contacts (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *source,
                   RlDbusService *self)
{
  rl_contact_store_clear (self->contacts, source);
  rl_dbus_phone1_complete_clear_contacts (skeleton, invocation);
  return TRUE;
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;

  if (rl_contact_store_import_finish (RL_CONTACT_STORE (source), result, NULL, NULL, &error))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    return_error (invocation, error);
}

static gboolean
on_import_contacts (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *path,
                    RlDbusService *self)
{
  g_autoptr (GFile) file = NULL;

  if (!g_path_is_absolute (path))
    {
      g_dbus_method_invocation_return_error (invocation, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                             "path: must be absolute, got '%s'", path);
      return TRUE;
    }
  file = g_file_new_for_path (path);
  rl_contact_store_import_async (self->contacts, file, NULL, on_imported,
                                 g_object_ref (invocation));
  return TRUE;
}

static gboolean
on_search_contacts (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *query,
                    guint limit, RlDbusService *self)
{
  g_autoptr (GPtrArray) found = rl_contact_store_search (self->contacts, query, MIN (limit, 1000));
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < found->len; i++)
    g_variant_builder_add_value (&b, rl_contact_to_variant (g_ptr_array_index (found, i)));
  rl_dbus_phone1_complete_search_contacts (skeleton, invocation, g_variant_builder_end (&b));
  return TRUE;
}

static void
on_contacts_changed (RlDbusService *self)
{
  rl_dbus_phone1_set_contact_count (self->skeleton, rl_contact_store_build_counts (self->contacts));
}

static void
on_import_progress (RlDbusService *self, const char *label, guint added, guint skipped)
{
  rl_dbus_phone1_emit_import_progress (self->skeleton, label, added, skipped);
}

/* Call1 method → verb. Methods with an argument pass (call id, argument). */
static const struct
{
  const char *method;
  const char *verb;
} call_verbs[] = {
  { "Answer", "answer" },
  { "Hangup", "hangup" },
  { "Decline", "decline" },
  { "Hold", "hold" },
  { "Resume", "resume" },
  { "SetMuted", "set-muted" },
  { "SendDtmf", "send-dtmf" },
  { "Transfer", "transfer" },
  { "StartRecording", "start-recording" },
  { "StopRecording", "stop-recording" },
};

static void on_verb_done (GObject *source, GAsyncResult *result, gpointer user_data);

/* Connected to every handle-* signal of a call skeleton: the generated
 * handlers differ only in their trailing arguments, which are read from the
 * invocation instead. */
static gboolean
on_call_method (RlDbusCall1 *skeleton, GDBusMethodInvocation *invocation)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  GVariant *args = g_dbus_method_invocation_get_parameters (invocation);
  const char *id = rl_dbus_call1_get_id (skeleton);
  RlDbusService *self = g_object_get_data (G_OBJECT (skeleton), "rl-service-owner");
  GVariant *param;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (call_verbs); i++)
    if (g_str_equal (call_verbs[i].method, method))
      break;
  g_return_val_if_fail (i < G_N_ELEMENTS (call_verbs), FALSE);
  if (rl_phone_find_call (self->phone, id) == NULL)
    {
      g_autoptr (GError) error
        = g_error_new (RL_ERROR, RL_ERROR_INVALID_STATE, "The call has ended");
      return_error (invocation, error);
      return TRUE;
    }
  if (g_variant_n_children (args) == 0)
    param = g_variant_new_string (id);
  else
    {
      GVariant *pair[] = { g_variant_new_string (id), g_variant_get_child_value (args, 0) };

      param = g_variant_new_tuple (pair, 2);
    }
  rl_verbs_invoke_async (self->core, call_verbs[i].verb, param, NULL, on_verb_done,
                         g_object_ref (invocation));
  return TRUE;
}

static void
update_calls_property (RlDbusService *self)
{
  GListModel *calls = rl_phone_get_calls (self->phone);
  guint n = g_list_model_get_n_items (calls);
  g_autoptr (GPtrArray) paths = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (calls, i);
      const char *path = rl_dbus_service_get_call_path (self, call);

      if (path)
        g_ptr_array_add (paths, (gpointer) path);
    }
  g_ptr_array_add (paths, NULL);
  rl_dbus_phone1_set_calls (self->skeleton, (const char *const *) paths->pdata);
}

/* @details: whether to build the record again; it is the costly part. */
static void
sync_call (RlDbusCall1 *skeleton, RlCall *call, gboolean details)
{
  rl_dbus_call1_set_state (skeleton, rl_call_state_to_string (rl_call_get_state (call)));
  rl_dbus_call1_set_remote_number (skeleton, rl_call_get_remote_number (call));
  rl_dbus_call1_set_remote_name (skeleton, rl_call_get_remote_name (call));
  rl_dbus_call1_set_remote_uri (skeleton, rl_call_get_remote_uri (call));
  if (details)
    rl_dbus_call1_set_details (skeleton, rl_call_build_details (call));
  rl_dbus_call1_set_muted (skeleton, rl_call_get_muted (call));
  rl_dbus_call1_set_recording (skeleton, rl_call_get_recording (call));
  rl_dbus_call1_set_held_by (skeleton, rl_call_get_held_by (call));
  rl_dbus_call1_set_quality (skeleton, rl_call_get_quality (call));
}

static void
on_call_notify (RlCall *call, GParamSpec *pspec, RlDbusCall1 *skeleton)
{
  sync_call (skeleton, call, TRUE);
}

static void
on_call_added (RlPhone *phone, RlCall *call, RlDbusService *self)
{
  g_autofree char *path = g_strdup_printf (RL_DBUS_CALLS_PATH "/%u", ++self->next_call);
  RlDbusCall1 *skeleton = rl_dbus_call1_skeleton_new ();

  rl_dbus_call1_set_id (skeleton, rl_call_get_id (call));
  rl_dbus_call1_set_direction (skeleton,
                               rl_call_direction_to_string (rl_call_get_direction (call)));
  /* The phone announces the new call's state right after adding it, in the
   * same main-loop turn: the record is built once, there, and the object is
   * exported then, with its record in place (no PropertiesChanged at birth). */
  sync_call (skeleton, call, FALSE);
  g_object_set_data (G_OBJECT (skeleton), "rl-service-owner", self);
  for (guint i = 0; i < G_N_ELEMENTS (call_verbs); i++)
    {
      g_autofree char *name = g_strdup_printf ("handle-%s", call_verbs[i].verb);

      /* The handlers' signatures differ only in the trailing argument. */
      g_signal_connect (skeleton, name, G_CALLBACK (on_call_method), NULL);
    }
  g_signal_connect_object (call, "notify::muted", G_CALLBACK (on_call_notify), skeleton, 0);
  g_signal_connect_object (call, "notify::recording", G_CALLBACK (on_call_notify), skeleton, 0);
  g_signal_connect_object (call, "notify::quality", G_CALLBACK (on_call_notify), skeleton, 0);
  g_object_set_data_full (G_OBJECT (skeleton), "rl-path", g_strdup (path), g_free);
  g_hash_table_insert (self->calls, g_object_ref (call), skeleton);
  update_calls_property (self);
}

static void
on_call_state_changed (RlPhone *phone, RlCall *call, RlDbusService *self)
{
  RlDbusCall1 *skeleton = g_hash_table_lookup (self->calls, call);
  const char *state = rl_call_state_to_string (rl_call_get_state (call));
  g_autoptr (GError) error = NULL;
  const char *path;
  GVariant *details;

  if (skeleton == NULL)
    return;
  sync_call (skeleton, call, TRUE);
  /* The record just stored in the Details property is what the signals carry. */
  path = g_object_get_data (G_OBJECT (skeleton), "rl-path");
  if (self->connection
      && g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (skeleton)) == NULL
      && !g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (skeleton), self->connection,
                                            path, &error))
    g_warning ("Cannot export call %s: %s", path, error->message);
  details = rl_dbus_call1_get_details (skeleton);
  rl_dbus_phone1_emit_call_state_changed (self->skeleton, path, state, details);
  if (rl_call_get_state (call) == RL_CALL_STATE_TERMINATED)
    rl_dbus_phone1_emit_call_ended (self->skeleton, path, details);
}

static void
on_dtmf_received (RlPhone *phone, RlCall *call, const char *key, RlDbusService *self)
{
  RlDbusCall1 *skeleton = g_hash_table_lookup (self->calls, call);

  if (skeleton)
    rl_dbus_call1_emit_dtmf_received (skeleton, key);
}

static void
on_transfer_result (RlPhone *phone, RlCall *call, gboolean ok, const char *detail,
                    RlDbusService *self)
{
  RlDbusCall1 *skeleton = g_hash_table_lookup (self->calls, call);

  if (skeleton)
    rl_dbus_call1_emit_transfer_result (skeleton, ok, detail);
}

static gboolean
unexport_lingering (gpointer user_data)
{
  g_autoptr (GDBusInterfaceSkeleton) skeleton = user_data;
  RlDbusService *self = g_object_get_data (G_OBJECT (skeleton), "rl-service");

  if (self)
    g_ptr_array_remove (self->lingering, skeleton);
  if (g_dbus_interface_skeleton_get_connection (skeleton))
    g_dbus_interface_skeleton_unexport (skeleton);
  return G_SOURCE_REMOVE;
}

static void
on_call_removed (RlPhone *phone, RlCall *call, RlDbusService *self)
{
  RlDbusCall1 *skeleton = NULL;

  if (!g_hash_table_steal_extended (self->calls, call, NULL, (gpointer *) &skeleton))
    return;
  g_object_set_data (G_OBJECT (skeleton), "rl-service", self);
  g_ptr_array_add (self->lingering, skeleton); /* takes the table's reference */
  g_timeout_add_seconds (TERMINATED_LINGER_SECONDS, unexport_lingering, g_object_ref (skeleton));
  g_object_unref (call);
  update_calls_property (self);
}

static void
on_registration (RlDbusService *self)
{
  rl_dbus_phone1_set_registration_state (
    self->skeleton,
    rl_registration_state_to_string (rl_phone_get_registration_state (self->phone)));
  rl_dbus_phone1_set_registration_error (self->skeleton,
                                         rl_phone_get_registration_error (self->phone));
}

static void
on_engine (RlDbusService *self)
{
  RlEngine *engine = rl_phone_get_engine (self->phone);

  rl_dbus_phone1_set_engine_state (self->skeleton, engine_states[rl_engine_get_state (engine)]);
  rl_dbus_phone1_set_engine_version (self->skeleton, rl_engine_get_version (engine) ?: "");
  rl_dbus_phone1_set_engine_error (self->skeleton, rl_engine_get_error (engine));
}

/* ---- verbs that finish later, and verbs whose D-Bus arguments are theirs ---- */

static void
on_verb_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;

  if (rl_verbs_invoke_finish (RL_CORE (source), result, NULL, &error))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    return_error (invocation, error);
}

/* The method's arguments, as one tuple, are the verb's parameter; it
 * returns nothing. */
static gboolean
call_verb (RlDbusService *self, GDBusMethodInvocation *invocation, const char *verb)
{
  GVariant *args = g_dbus_method_invocation_get_parameters (invocation);

  rl_verbs_invoke_async (self->core, verb, g_variant_n_children (args) ? args : NULL, NULL,
                         on_verb_done, g_object_ref (invocation));
  return TRUE;
}

static gboolean
on_sign_in (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *server,
            const char *email, const char *password, RlDbusService *self)
{
  return call_verb (self, invocation, "sign-in");
}

static gboolean
on_sign_in_with_tokens (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                        const char *server, const char *access_token, const char *refresh_token,
                        RlDbusService *self)
{
  return call_verb (self, invocation, "sign-in-with-tokens");
}

static gboolean
on_sign_out (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, RlDbusService *self)
{
  return call_verb (self, invocation, "sign-out");
}

static gboolean
on_set_agent_status (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *status,
                     const char *reason, RlDbusService *self)
{
  return call_verb (self, invocation, "set-agent-status");
}

static void
on_agent_status (RlDbusService *self)
{
  const char *status = rl_agent_status_get_status (self->agent_status);
  const char *reason = rl_agent_status_get_reason (self->agent_status);
  guint code = rl_agent_status_get_code (self->agent_status);

  g_object_freeze_notify (G_OBJECT (self->skeleton));
  rl_dbus_phone1_set_agent_status (self->skeleton, status);
  rl_dbus_phone1_set_agent_status_reason (self->skeleton, reason);
  rl_dbus_phone1_set_agent_status_code (self->skeleton, code);
  g_object_thaw_notify (G_OBJECT (self->skeleton));
  rl_dbus_phone1_emit_agent_status_changed (self->skeleton, status, reason, code);
}

/* ---- park slots ---- */

static RlCall *
call_for_path (RlDbusService *self, const char *path)
{
  GHashTableIter iter;
  gpointer call, skeleton;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, &call, &skeleton))
    if (g_strcmp0 (g_object_get_data (skeleton, "rl-path"), path) == 0)
      return call;
  return NULL;
}

static void
unwatch (gpointer id)
{
  g_bus_unwatch_name (GPOINTER_TO_UINT (id));
}

static gboolean
on_park (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *path,
         const char *slot, RlDbusService *self)
{
  RlCall *call = call_for_path (self, path);

  if (call == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, RL_ERROR, RL_ERROR_NOT_FOUND,
                                             "No call at %s", path);
      return TRUE;
    }
  rl_verbs_invoke_async (self->core, "park", g_variant_new ("(ss)", rl_call_get_id (call), slot),
                         NULL, on_verb_done, g_object_ref (invocation));
  return TRUE;
}

static gboolean
on_retrieve (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *slot,
             RlDbusService *self)
{
  rl_verbs_invoke_async (self->core, "retrieve", g_variant_new_string (slot), NULL, on_verb_done,
                         g_object_ref (invocation));
  return TRUE;
}

static void
on_watcher_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  RlDbusService *self = user_data;

  if (g_hash_table_remove (self->park_watchers, name))
    rl_park_slots_release (self->park_slots);
}

static gboolean
on_watch_park_slots (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, RlDbusService *self)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  if (sender && !g_hash_table_contains (self->park_watchers, sender))
    {
      guint id = g_bus_watch_name_on_connection (
        g_dbus_method_invocation_get_connection (invocation), sender, G_BUS_NAME_WATCHER_FLAGS_NONE,
        NULL, on_watcher_vanished, self, NULL);

      g_hash_table_insert (self->park_watchers, g_strdup (sender), GUINT_TO_POINTER (id));
      rl_park_slots_hold (self->park_slots);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
  return TRUE;
}

static gboolean
on_unwatch_park_slots (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                       RlDbusService *self)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  if (sender && g_hash_table_remove (self->park_watchers, sender))
    rl_park_slots_release (self->park_slots);
  g_dbus_method_invocation_return_value (invocation, NULL);
  return TRUE;
}

static void
on_slots_changed (RlDbusService *self)
{
  GVariant *slots = rl_park_slots_get_slots (self->park_slots);

  rl_dbus_phone1_set_park_slots (self->skeleton, slots);
  rl_dbus_phone1_emit_park_slots_updated (self->skeleton, slots);
}

static void
on_call_parked (RlDbusService *self, RlCall *call, const char *slot, const char *parked_by)
{
  GVariantDict d;
  const char *path = rl_dbus_service_get_call_path (self, call);

  g_variant_dict_init (&d, NULL);
  g_variant_dict_insert (&d, "park_extension", "s", slot);
  g_variant_dict_insert (&d, "phone_number", "s", rl_call_get_remote_number (call));
  g_variant_dict_insert (&d, "parked_by", "s", parked_by);
  if (path)
    g_variant_dict_insert (&d, "call", "o", path);
  rl_dbus_phone1_emit_call_parked (self->skeleton, g_variant_dict_end (&d));
}

static void
on_park_failed (RlDbusService *self, RlCall *call, const char *slot, const char *message)
{
  rl_dbus_phone1_emit_park_failed (self->skeleton, message);
}

static void
connect_park_slots (RlDbusService *self)
{
  g_signal_connect (self->skeleton, "handle-park", G_CALLBACK (on_park), self);
  g_signal_connect (self->skeleton, "handle-retrieve", G_CALLBACK (on_retrieve), self);
  g_signal_connect (self->skeleton, "handle-watch-park-slots", G_CALLBACK (on_watch_park_slots),
                    self);
  g_signal_connect (self->skeleton, "handle-unwatch-park-slots", G_CALLBACK (on_unwatch_park_slots),
                    self);
  g_signal_connect_swapped (self->park_slots, "notify::slots", G_CALLBACK (on_slots_changed), self);
  g_signal_connect_swapped (self->park_slots, "parked", G_CALLBACK (on_call_parked), self);
  g_signal_connect_swapped (self->park_slots, "park-failed", G_CALLBACK (on_park_failed), self);
  rl_dbus_phone1_set_park_slots (self->skeleton, rl_park_slots_get_slots (self->park_slots));
}

static void
connect_agent_status (RlDbusService *self)
{
  g_signal_connect (self->skeleton, "handle-set-agent-status", G_CALLBACK (on_set_agent_status),
                    self);
  g_signal_connect_swapped (self->agent_status, "notify::code", G_CALLBACK (on_agent_status), self);
  on_agent_status (self);
}

/* ---- history ---- */

static void
on_history_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) calls = rl_history_get_finish (RL_HISTORY (source), result, &error);

  if (calls)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@aa{sv})", calls));
  else
    return_error (invocation, error);
}

#define MAX_HISTORY_PAGE 1000

static gboolean
on_get_history (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, guint offset,
                guint limit, RlDbusService *self)
{
  if (limit == 0 || limit > MAX_HISTORY_PAGE)
    {
      g_dbus_method_invocation_return_error (invocation, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                             "limit must be 1 to %u", MAX_HISTORY_PAGE);
      return TRUE;
    }
  rl_history_get_async (self->history, offset, limit, NULL, on_history_read,
                        g_object_ref (invocation));
  return TRUE;
}

static void
on_session_signed_in (RlDbusService *self, GVariant *agent)
{
  rl_dbus_phone1_emit_signed_in (self->skeleton, agent);
}

static void
on_session_signed_out (RlDbusService *self, const char *reason)
{
  rl_dbus_phone1_emit_signed_out (self->skeleton, reason);
}

static void
on_session_auth_failed (RlDbusService *self, const char *reason)
{
  rl_dbus_phone1_emit_auth_failed (self->skeleton, reason);
}

static void
on_history_changed (RlDbusService *self)
{
  rl_dbus_phone1_emit_history_changed (self->skeleton);
}

static void
connect_session (RlDbusService *self)
{
  g_signal_connect (self->skeleton, "handle-sign-in", G_CALLBACK (on_sign_in), self);
  g_signal_connect (self->skeleton, "handle-sign-in-with-tokens",
                    G_CALLBACK (on_sign_in_with_tokens), self);
  g_signal_connect (self->skeleton, "handle-sign-out", G_CALLBACK (on_sign_out), self);
  g_signal_connect (self->skeleton, "handle-get-history", G_CALLBACK (on_get_history), self);
  g_object_bind_property (self->session, "signed-in", self->skeleton, "signed-in",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->session, "agent", self->skeleton, "agent", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->session, "online", self->skeleton, "backend-online",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->session, "signed-in", G_CALLBACK (on_session_signed_in), self);
  g_signal_connect_swapped (self->session, "signed-out", G_CALLBACK (on_session_signed_out), self);
  g_signal_connect_swapped (self->session, "auth-failed", G_CALLBACK (on_session_auth_failed),
                            self);
  g_signal_connect_swapped (self->history, "changed", G_CALLBACK (on_history_changed), self);
}

static void
rl_dbus_service_dispose (GObject *object)
{
  RlDbusService *self = RL_DBUS_SERVICE (object);

  rl_dbus_service_unexport (self);
  /* A lingering call's timer outlives a service that was never exported. */
  for (guint i = 0; self->lingering && i < self->lingering->len; i++)
    g_object_set_data (g_ptr_array_index (self->lingering, i), "rl-service", NULL);
  if (self->phone)
    {
      g_signal_handlers_disconnect_by_data (self->phone, self);
      g_signal_handlers_disconnect_by_data (rl_phone_get_engine (self->phone), self);
    }
  if (self->audio)
    g_signal_handlers_disconnect_by_data (self->audio, self);
  if (self->contacts)
    g_signal_handlers_disconnect_by_data (self->contacts, self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->history)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->contacts);
  g_clear_object (&self->session);
  g_clear_object (&self->history);
  if (self->agent_status)
    g_signal_handlers_disconnect_by_data (self->agent_status, self);
  g_clear_object (&self->agent_status);
  if (self->park_slots)
    {
      g_signal_handlers_disconnect_by_data (self->park_slots, self);
      for (guint n = g_hash_table_size (self->park_watchers); n > 0; n--)
        rl_park_slots_release (self->park_slots);
    }
  g_clear_pointer (&self->park_watchers, g_hash_table_unref);
  g_clear_object (&self->park_slots);
  g_clear_object (&self->phone);
  g_clear_object (&self->audio);
  g_clear_object (&self->skeleton);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->lingering, g_ptr_array_unref);
  G_OBJECT_CLASS (rl_dbus_service_parent_class)->dispose (object);
}

static void
rl_dbus_service_class_init (RlDbusServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_dbus_service_dispose;
}

static void
rl_dbus_service_init (RlDbusService *self)
{
  self->park_watchers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unwatch);
  self->calls
    = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_object_unref);
  self->lingering = g_ptr_array_new_with_free_func (g_object_unref);
  self->skeleton = rl_dbus_phone1_skeleton_new ();
}

RlDbusService *
rl_dbus_service_new (RlCore *core)
{
  RlDbusService *self = g_object_new (RL_TYPE_DBUS_SERVICE, NULL);
  RlPhone *phone = rl_core_get_phone (core);
  RlAudioDevices *audio = rl_core_get_audio_devices (core);
  RlContactStore *contacts = rl_core_get_contacts (core);
  RlEngine *engine = rl_phone_get_engine (phone);

  self->core = core;
  self->phone = g_object_ref (phone);
  self->audio = g_object_ref (audio);
  self->contacts = g_object_ref (contacts);
  self->session = g_object_ref (rl_core_get_session (core));
  self->history = g_object_ref (rl_core_get_history (core));
  self->agent_status = g_object_ref (rl_core_get_agent_status (core));
  self->park_slots = g_object_ref (rl_core_get_park_slots (core));
  connect_session (self);
  connect_agent_status (self);
  connect_park_slots (self);
  g_signal_connect (self->skeleton, "handle-set-contacts", G_CALLBACK (on_set_contacts), self);
  g_signal_connect (self->skeleton, "handle-save-contacts", G_CALLBACK (on_save_contacts), self);
  g_signal_connect (self->skeleton, "handle-clear-contacts", G_CALLBACK (on_clear_contacts), self);
  g_signal_connect (self->skeleton, "handle-import-contacts", G_CALLBACK (on_import_contacts),
                    self);
  g_signal_connect (self->skeleton, "handle-search-contacts", G_CALLBACK (on_search_contacts),
                    self);
  g_signal_connect_swapped (contacts, "changed", G_CALLBACK (on_contacts_changed), self);
  g_signal_connect_swapped (contacts, "import-progress", G_CALLBACK (on_import_progress), self);
  on_contacts_changed (self);
  g_signal_connect (self->skeleton, "handle-set-audio-device", G_CALLBACK (on_set_audio_device),
                    self);
  g_signal_connect_swapped (audio, "changed", G_CALLBACK (on_audio_changed), self);
  on_audio_changed (self);
  g_signal_connect (self->skeleton, "handle-set-account", G_CALLBACK (on_set_account), self);
  g_signal_connect (self->skeleton, "handle-register", G_CALLBACK (on_register), self);
  g_signal_connect (self->skeleton, "handle-unregister", G_CALLBACK (on_unregister), self);
  g_signal_connect (self->skeleton, "handle-dial", G_CALLBACK (on_dial), self);
  g_signal_connect (phone, "call-added", G_CALLBACK (on_call_added), self);
  g_signal_connect (phone, "call-state-changed", G_CALLBACK (on_call_state_changed), self);
  g_signal_connect (phone, "call-removed", G_CALLBACK (on_call_removed), self);
  g_signal_connect (phone, "dtmf-received", G_CALLBACK (on_dtmf_received), self);
  g_signal_connect (phone, "transfer-result", G_CALLBACK (on_transfer_result), self);
  g_signal_connect_swapped (phone, "notify::registration-state", G_CALLBACK (on_registration),
                            self);
  g_signal_connect_swapped (phone, "notify::registration-error", G_CALLBACK (on_registration),
                            self);
  g_signal_connect_swapped (engine, "notify", G_CALLBACK (on_engine), self);
  g_object_bind_property (phone, "max-calls", self->skeleton, "max-calls", G_BINDING_SYNC_CREATE);
  on_registration (self);
  on_engine (self);
  update_calls_property (self);
  return self;
}

gboolean
rl_dbus_service_export (RlDbusService *self, GDBusConnection *connection, const char *object_path,
                        GError **error)
{
  GHashTableIter iter;
  gpointer skeleton;

  g_return_val_if_fail (self->connection == NULL, FALSE);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                         object_path, error))
    return FALSE;
  self->connection = g_object_ref (connection);
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &skeleton))
    g_dbus_interface_skeleton_export (skeleton, connection,
                                      g_object_get_data (G_OBJECT (skeleton), "rl-path"), NULL);
  return TRUE;
}

void
rl_dbus_service_unexport (RlDbusService *self)
{
  GHashTableIter iter;
  gpointer skeleton;

  if (self->connection == NULL)
    return;
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, &skeleton))
    if (g_dbus_interface_skeleton_get_connection (skeleton))
      g_dbus_interface_skeleton_unexport (skeleton);
  for (guint i = 0; i < self->lingering->len; i++)
    {
      GDBusInterfaceSkeleton *s = g_ptr_array_index (self->lingering, i);

      g_object_set_data (G_OBJECT (s), "rl-service", NULL);
      if (g_dbus_interface_skeleton_get_connection (s))
        g_dbus_interface_skeleton_unexport (s);
    }
  g_clear_object (&self->connection);
}

const char *
rl_dbus_service_get_call_path (RlDbusService *self, RlCall *call)
{
  RlDbusCall1 *skeleton = g_hash_table_lookup (self->calls, call);

  return skeleton ? g_object_get_data (G_OBJECT (skeleton), "rl-path") : NULL;
}
