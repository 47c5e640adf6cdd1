/* rl-dbus-service.c
 *
 * A view of the core objects on the bus, as the window is another. Methods
 * go through the verb table; signals and properties follow the phone.
 *
 * Longer than most files: Phone1 has some forty members, each a few lines
 * of decode, call, encode; one file keeps the interface's whole surface in
 * view. Call1 is rl-dbus-call.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memfd_create */
#define G_LOG_DOMAIN "RlDbusService"

#include "rl-dbus-service.h"
#include "rl-dbus-call.h"
#include "rl-dbus-generated.h"
#include "rl-engine-enums.h"
#include "rl-enum.h"
#include "rl-dbus-limits.h"
#include "rl-error.h"
#include "rl-text.h"
#include "rl-verbs.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

/* Clients that learn of a call from its last signal may still read it. */
#define TERMINATED_LINGER_SECONDS 30

struct _RlDbusService
{
  GObject parent_instance;

  RlCore *core;
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
  GHashTable *calls; /* RlCall → RlDbusCall */
  guint next_call;
  GHashTable *lingering;      /* ended RlDbusCall still exported → its unexport timer */
  GActionMap *window_actions; /* the application's, not owned */
  char *token_host;           /* the unique name told of refreshed tokens, or NULL */
  gboolean host_refreshes;    /* … and which refreshes them itself */
  guint token_host_watch;
};

G_DEFINE_FINAL_TYPE (RlDbusService, rl_dbus_service, G_TYPE_OBJECT)

static const char *call_path (RlDbusService *self, RlCall *call);

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

  if (account == NULL || !rl_phone_check_account (self->phone, account, &error))
    {
      return_error (invocation, error);
      return TRUE;
    }
  /* SetAccount without a password keeps the one already known for the same
   * identity, so a client can change the display name without knowing it. */
  if (!g_variant_lookup (settings, "password", "&s", NULL) && current
      && rl_account_same_identity (account, current))
    rl_account_set_password (account, rl_account_get_password (current));
  if (!g_variant_lookup (settings, "turn_password", "&s", NULL) && current
      && g_str_equal (rl_account_get_turn_server (account), rl_account_get_turn_server (current))
      && g_str_equal (rl_account_get_turn_username (account),
                      rl_account_get_turn_username (current)))
    rl_account_set_turn_password (account, rl_account_get_turn_password (current));
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
  rl_dbus_phone1_complete_dial (skeleton, invocation, call_path (self, call));
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

/* SetContacts and SaveContacts, connected swapped: SaveContacts also keeps
 * them across restarts. The reply comes once the contacts are checked (in a
 * worker), before they are indexed. */
static gboolean
on_push_contacts (RlDbusService *self, GDBusMethodInvocation *invocation, const char *source,
                  GVariant *contacts)
{
  gboolean persist
    = g_str_equal (g_dbus_method_invocation_get_method_name (invocation), "SaveContacts");

  rl_contact_store_set_contacts_async (self->contacts, source, contacts, persist, NULL,
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
  g_autofree char *save_error = NULL;
  guint unsaved = 0;

  if (!rl_contact_store_import_finish (RL_CONTACT_STORE (source), result, NULL, NULL, &unsaved,
                                       &save_error, &error))
    return_error (invocation, error);
  else if (unsaved > 0)
    g_dbus_method_invocation_return_error (
      invocation, RL_ERROR, RL_ERROR_FAILED,
      "%u contacts were imported but could not be saved (%s): they are searchable until "
      "Ringline quits; import the file again once that is fixed",
      unsaved, save_error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
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
write_all (int fd, const guint8 *data, gsize size)
{
  while (size > 0)
    {
      gssize n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      size -= n;
    }
  return TRUE;
}

/* The same, for a file the caller opened (a sandboxed CRM's). */
static gboolean
on_import_contacts_fd (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, GUnixFDList *fds,
                       GVariant *handle, RlDbusService *self)
{
  g_autoptr (GError) error = NULL;
  gint32 index = g_variant_get_handle (handle);
  int fd = fds && index >= 0 && index < g_unix_fd_list_get_length (fds)
             ? g_unix_fd_list_get (fds, index, &error)
             : -1;

  if (fd < 0)
    {
      g_dbus_method_invocation_return_error (invocation, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                             "file: no file descriptor was sent");
      return TRUE;
    }
  rl_contact_store_import_fd_async (self->contacts, fd, NULL, on_imported,
                                    g_object_ref (invocation));
  return TRUE;
}

#define MAX_IMPORT_DATA (16 * 1024 * 1024)

/* vCard text in the message: into a memory file, then as a file. */
static gboolean
on_import_contacts_data (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, GVariant *vcard,
                         RlDbusService *self)
{
  gsize size = 0;
  const guint8 *data = g_variant_get_fixed_array (vcard, &size, 1);
  int fd;

  if (size > MAX_IMPORT_DATA)
    {
      g_dbus_method_invocation_return_error (invocation, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                             "vcard: larger than %u MiB; use ImportContactsFd",
                                             MAX_IMPORT_DATA / (1024 * 1024));
      return TRUE;
    }
  fd = memfd_create ("ringline-import", MFD_CLOEXEC);
  if (fd < 0 || !write_all (fd, data, size) || lseek (fd, 0, SEEK_SET) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_dbus_method_invocation_return_error (invocation, RL_ERROR, RL_ERROR_FAILED,
                                             "Cannot hold the vCard data: %s", g_strerror (saved));
      return TRUE;
    }
  rl_contact_store_import_fd_async (self->contacts, fd, NULL, on_imported,
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

static void
update_calls_property (RlDbusService *self)
{
  GListModel *calls = rl_phone_get_calls (self->phone);
  guint n = g_list_model_get_n_items (calls);
  g_autoptr (GPtrArray) paths = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (calls, i);
      const char *path = call_path (self, call);

      if (path)
        g_ptr_array_add (paths, (gpointer) path);
    }
  g_ptr_array_add (paths, NULL);
  rl_dbus_phone1_set_calls (self->skeleton, (const char *const *) paths->pdata);
}

static void
on_call_added (RlPhone *phone, RlCall *call, RlDbusService *self)
{
  g_autofree char *path = g_strdup_printf (RL_DBUS_CALLS_PATH "/%u", ++self->next_call);

  g_hash_table_insert (self->calls, g_object_ref (call), rl_dbus_call_new (self->core, call, path));
  update_calls_property (self);
}

static void
on_call_state_changed (RlPhone *phone, RlCall *call, RlDbusService *self)
{
  RlDbusCall *dcall = g_hash_table_lookup (self->calls, call);
  const char *state = rl_call_state_to_string (rl_call_get_state (call));
  g_autoptr (GError) error = NULL;
  const char *path;
  GVariant *details;

  if (dcall == NULL)
    return;
  /* The record just stored in the Details property is what the signals carry. */
  details = rl_dbus_call_sync (dcall);
  path = rl_dbus_call_get_path (dcall);
  if (self->connection && !rl_dbus_call_export (dcall, self->connection, &error))
    g_warning ("Cannot export call %s: %s", path, error->message);
  rl_dbus_phone1_emit_call_state_changed (self->skeleton, path, state, details);
  if (rl_call_get_state (call) == RL_CALL_STATE_TERMINATED)
    rl_dbus_phone1_emit_call_ended (self->skeleton, path, details);
}

static void
on_dtmf_received (RlPhone *phone, RlCall *call, const char *key, RlDbusService *self)
{
  RlDbusCall *dcall = g_hash_table_lookup (self->calls, call);

  if (dcall)
    rl_dbus_call_emit_dtmf_received (dcall, key);
}

static void
on_dtmf_sent (RlPhone *phone, RlCall *call, const char *key, RlDbusService *self)
{
  RlDbusCall *dcall = g_hash_table_lookup (self->calls, call);

  if (dcall)
    rl_dbus_phone1_emit_dtmf_sent (self->skeleton, rl_dbus_call_get_path (dcall), key);
}

static void
on_transfer_result (RlPhone *phone, RlCall *call, gboolean ok, const char *detail,
                    RlDbusService *self)
{
  RlDbusCall *dcall = g_hash_table_lookup (self->calls, call);

  if (dcall)
    rl_dbus_call_emit_transfer_result (dcall, ok, detail);
}

typedef struct
{
  RlDbusService *self;
  RlDbusCall *dcall;
} Linger;

static gboolean
on_linger_over (gpointer user_data)
{
  Linger *linger = user_data;
  g_autoptr (RlDbusCall) dcall = NULL;

  /* Stolen, so that removing the entry does not remove this very source. */
  g_hash_table_steal_extended (linger->self->lingering, linger->dcall, (gpointer *) &dcall, NULL);
  return G_SOURCE_REMOVE;
}

static void
remove_source (gpointer id)
{
  g_source_remove (GPOINTER_TO_UINT (id));
}

/* Clients that learn of a call from its last signal may still read it for
 * a while; then it leaves the bus. */
static void
on_call_removed (RlPhone *phone, RlCall *call, RlDbusService *self)
{
  RlDbusCall *dcall = NULL;
  Linger *linger;
  guint id;

  if (!g_hash_table_steal_extended (self->calls, call, NULL, (gpointer *) &dcall))
    return;
  linger = g_new (Linger, 1);
  linger->self = self;
  linger->dcall = dcall;
  id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, TERMINATED_LINGER_SECONDS, on_linger_over,
                                   linger, g_free);
  g_hash_table_insert (self->lingering, dcall, GUINT_TO_POINTER (id)); /* takes the reference */
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

  rl_dbus_phone1_set_engine_state (
    self->skeleton, rl_enum_to_nick (RL_TYPE_ENGINE_STATE, rl_engine_get_state (engine)));
  rl_dbus_phone1_set_engine_version (self->skeleton, rl_engine_get_version (engine) ?: "");
  rl_dbus_phone1_set_engine_error (self->skeleton, rl_engine_get_error (engine));
}

/* ---- the window ---- */

/* Returns: (nullable): the application's window action @name, if it has a
 * window at all */
static GAction *
window_action (RlDbusService *self, const char *name)
{
  return self->window_actions ? g_action_map_lookup_action (self->window_actions, name) : NULL;
}

static void
on_window_visible (RlDbusService *self)
{
  GAction *action = window_action (self, "window-visible");
  g_autoptr (GVariant) state = action ? g_action_get_state (action) : NULL;

  rl_dbus_phone1_set_window_visible (self->skeleton, state && g_variant_get_boolean (state));
}

static void
on_window_size (RlDbusService *self)
{
  GAction *action = window_action (self, "window-size");
  g_autoptr (GVariant) state = action ? g_action_get_state (action) : NULL;

  rl_dbus_phone1_set_window_size (self->skeleton, state ? state : g_variant_new ("(uu)", 0, 0));
}

static gboolean
on_set_window_size (RlDbusService *self, GDBusMethodInvocation *invocation, guint width,
                    guint height)
{
  GAction *action = window_action (self, "window-size");

  if (width == 0 || height == 0 || width > 16384 || height > 16384)
    g_dbus_method_invocation_return_error (invocation, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                           "A window of %u×%u pixels cannot be: each side is "
                                           "1 to 16384",
                                           width, height);
  else if (action == NULL)
    g_dbus_method_invocation_return_error_literal (
      invocation, RL_ERROR, RL_ERROR_INVALID_STATE,
      "Ringline runs without a display: it has no window to resize");
  else
    {
      g_action_change_state (action, g_variant_new ("(uu)", width, height));
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  return TRUE;
}

/* Present and Hide, connected swapped: the application's window actions. */
static gboolean
on_window_method (RlDbusService *self, GDBusMethodInvocation *invocation)
{
  gboolean present = g_str_equal (g_dbus_method_invocation_get_method_name (invocation), "Present");
  GAction *action = window_action (self, present ? "present-window" : "hide-window");

  if (action == NULL)
    {
      g_dbus_method_invocation_return_error_literal (
        invocation, RL_ERROR, RL_ERROR_INVALID_STATE,
        "Ringline runs without a display: it has no window to show or hide");
      return TRUE;
    }
  g_action_activate (action, NULL);
  g_dbus_method_invocation_return_value (invocation, NULL);
  return TRUE;
}

/**
 * rl_dbus_service_set_window_actions:
 * @actions: the application's actions: "present-window", "hide-window" and
 *   the boolean state "window-visible" and the "(uu)" state "window-size",
 *   when it has a window
 *
 * Looked up, not queried through GActionGroup: the application is not
 * registered yet when its D-Bus service is made. The service does not keep
 * @actions alive.
 */
void
rl_dbus_service_set_window_actions (RlDbusService *self, GActionMap *actions)
{
  g_return_if_fail (RL_IS_DBUS_SERVICE (self));
  g_return_if_fail (G_IS_ACTION_MAP (actions) && G_IS_ACTION_GROUP (actions));
  g_return_if_fail (self->window_actions == NULL);

  self->window_actions = actions;
  g_object_add_weak_pointer (G_OBJECT (actions), (gpointer *) &self->window_actions);
  g_signal_connect_object (actions, "action-state-changed::window-visible",
                           G_CALLBACK (on_window_visible), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (actions, "action-added::window-visible", G_CALLBACK (on_window_visible),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (actions, "action-state-changed::window-size",
                           G_CALLBACK (on_window_size), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (actions, "action-added::window-size", G_CALLBACK (on_window_size), self,
                           G_CONNECT_SWAPPED);
  on_window_visible (self);
  on_window_size (self);
}

/* ---- verbs that finish later, and verbs whose D-Bus arguments are theirs ---- */

/* Phone1 method → verb, for methods whose arguments, as one tuple, are the
 * verb's parameter and which return nothing. The skeleton's signal for each
 * is handle-VERB. */
static const struct
{
  const char *method;
  const char *verb;
} method_verbs[] = {
  { "SignIn", "sign-in" },
  { "SignInWithTokens", "sign-in-with-tokens" },
  { "SignOut", "sign-out" },
  { "SetAgentStatus", "set-agent-status" },
};

/* Connected swapped: the generated handlers differ only in their trailing
 * arguments, which are read from the invocation instead. */
static gboolean
on_verb_method (RlDbusService *self, GDBusMethodInvocation *invocation)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  GVariant *args = g_dbus_method_invocation_get_parameters (invocation);

  for (guint i = 0; i < G_N_ELEMENTS (method_verbs); i++)
    if (g_str_equal (method_verbs[i].method, method))
      {
        rl_verbs_invoke_for_method (self->core, method_verbs[i].verb,
                                    g_variant_n_children (args) ? args : NULL, invocation);
        return TRUE;
      }
  g_return_val_if_reached (FALSE);
}

static void
connect_verb_methods (RlDbusService *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_verbs); i++)
    {
      g_autofree char *name = g_strdup_printf ("handle-%s", method_verbs[i].verb);

      g_signal_connect_swapped (self->skeleton, name, G_CALLBACK (on_verb_method), self);
    }
}

static void
on_agent_status (RlDbusService *self)
{
  const char *status = rl_agent_state_to_string (rl_agent_status_get_state (self->agent_status));
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
  gpointer call, dcall;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, &call, &dcall))
    if (g_strcmp0 (rl_dbus_call_get_path (dcall), path) == 0)
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
  rl_verbs_invoke_for_method (self->core, "park",
                              g_variant_new ("(ss)", rl_call_get_id (call), slot), invocation);
  return TRUE;
}

static gboolean
on_retrieve (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *slot,
             RlDbusService *self)
{
  rl_verbs_invoke_for_method (self->core, "retrieve", g_variant_new_string (slot), invocation);
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
  const char *path = call_path (self, call);

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
on_language_setting (RlDbusService *self)
{
  g_autofree char *language = g_settings_get_string (rl_core_get_settings (self->core), "language");

  if (g_strcmp0 (rl_dbus_phone1_get_language (self->skeleton), language) != 0)
    rl_dbus_phone1_set_language (self->skeleton, language);
}

/* A host wrote Language: a tag Ringline ships becomes the setting, any
 * other puts the property back. */
static void
on_language_written (RlDbusService *self)
{
  const char *language = rl_text_language (rl_dbus_phone1_get_language (self->skeleton));

  if (language)
    g_settings_set_string (rl_core_get_settings (self->core), "language", language);
  on_language_setting (self);
}

static gboolean
on_set_caller_id (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *number,
                  RlDbusService *self)
{
  g_autoptr (GError) error = NULL;

  if (!rl_caller_ids_select (rl_core_get_caller_ids (self->core), number, &error))
    return_error (invocation, error);
  else
    rl_dbus_phone1_complete_set_caller_id (skeleton, invocation);
  return TRUE;
}

static gboolean
on_set_theme (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, GVariant *theme,
              RlDbusService *self)
{
  g_autoptr (GError) error = NULL;

  if (!rl_branding_set_theme (rl_core_get_branding (self->core), theme, &error))
    return_error (invocation, error);
  else
    rl_dbus_phone1_complete_set_theme (skeleton, invocation);
  return TRUE;
}

static gboolean
on_set_call_data (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, const char *call_id,
                  GVariant *data, RlDbusService *self)
{
  if (*call_id == '\0')
    {
      g_dbus_method_invocation_return_error_literal (invocation, RL_ERROR,
                                                     RL_ERROR_INVALID_ARGUMENT, "call_id: empty");
      return TRUE;
    }
  rl_verbs_invoke_for_method (self->core, "set-data", g_variant_new ("(s@a{sv})", call_id, data),
                              invocation);
  return TRUE;
}

/* ---- tokens a host keeps ---- */

static void
forget_token_host (RlDbusService *self)
{
  g_clear_handle_id (&self->token_host_watch, g_bus_unwatch_name);
  g_clear_pointer (&self->token_host, g_free);
  if (self->host_refreshes && self->session)
    rl_backend_set_host_refreshes (rl_session_get_backend (self->session), FALSE);
  self->host_refreshes = FALSE;
}

static void
emit_to_host (RlDbusService *self, const char *signal, GVariant *params)
{
  GDBusConnection *connection
    = g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton));

  g_variant_ref_sink (params);
  if (self->token_host && connection)
    g_dbus_connection_emit_signal (connection, self->token_host, RL_OBJECT_PATH,
                                   "org.ringline.Ringline.Phone1", signal, params, NULL);
  g_variant_unref (params);
}

static void
on_tokens_needed (RlDbusService *self)
{
  if (self->host_refreshes)
    emit_to_host (self, "TokensNeeded", g_variant_new ("()"));
}

static gboolean
on_set_tokens (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation, GVariant *tokens,
               RlDbusService *self)
{
  const char *access = NULL, *refresh = NULL;

  if (!self->host_refreshes
      || g_strcmp0 (g_dbus_method_invocation_get_sender (invocation), self->token_host) != 0)
    {
      g_dbus_method_invocation_return_error_literal (
        invocation, RL_ERROR, RL_ERROR_INVALID_STATE,
        "Only the application that signed in with refresh_by_host gives tokens");
      return TRUE;
    }
  if (!g_variant_lookup (tokens, "access_token", "&s", &access) || *access == '\0'
      || strlen (access) >= 4096)
    {
      g_dbus_method_invocation_return_error_literal (
        invocation, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "tokens: access_token (s) is required");
      return TRUE;
    }
  g_variant_lookup (tokens, "refresh_token", "&s", &refresh);
  rl_backend_take_host_tokens (rl_session_get_backend (self->session), access,
                               refresh && *refresh ? refresh : NULL);
  rl_dbus_phone1_complete_set_tokens (skeleton, invocation);
  return TRUE;
}

static void
on_token_host_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  forget_token_host (user_data);
}

/* Only to the host that asked, by its unique name: a broadcast would hand
 * the agent's tokens to every app on the bus. */
static void
on_tokens_refreshed (RlDbusService *self)
{
  RlBackend *backend = rl_session_get_backend (self->session);
  GVariantBuilder b;

  /* A host that refreshes made these tokens itself. */
  if (self->token_host == NULL || self->host_refreshes)
    return;
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "access_token",
                         g_variant_new_string (rl_backend_get_access_token (backend) ?: ""));
  g_variant_builder_add (&b, "{sv}", "refresh_token",
                         g_variant_new_string (rl_backend_get_refresh_token (backend) ?: ""));
  emit_to_host (self, "TokensRefreshed", g_variant_new ("(a{sv})", &b));
}

static gboolean
on_sign_in_with_tokens2 (RlDbusPhone1 *skeleton, GDBusMethodInvocation *invocation,
                         const char *server, GVariant *tokens, RlDbusService *self)
{
  const char *access = "", *refresh = "";
  gboolean host_refresh = FALSE, by_host = FALSE;
  g_autoptr (GVariant) access_v = g_variant_lookup_value (tokens, "access_token", NULL);
  g_autoptr (GVariant) refresh_v = g_variant_lookup_value (tokens, "refresh_token", NULL);
  g_autoptr (GVariant) host_v = g_variant_lookup_value (tokens, "host_refresh", NULL);
  g_autoptr (GVariant) by_host_v = g_variant_lookup_value (tokens, "refresh_by_host", NULL);

  if (access_v == NULL || !g_variant_is_of_type (access_v, G_VARIANT_TYPE_STRING)
      || (refresh_v && !g_variant_is_of_type (refresh_v, G_VARIANT_TYPE_STRING))
      || (host_v && !g_variant_is_of_type (host_v, G_VARIANT_TYPE_BOOLEAN))
      || (by_host_v && !g_variant_is_of_type (by_host_v, G_VARIANT_TYPE_BOOLEAN)))
    {
      g_dbus_method_invocation_return_error (
        invocation, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
        "tokens: access_token (s) is required; refresh_token (s), host_refresh (b) and "
        "refresh_by_host (b) optional");
      return TRUE;
    }
  if (by_host_v)
    by_host = g_variant_get_boolean (by_host_v);
  access = g_variant_get_string (access_v, NULL);
  if (refresh_v)
    refresh = g_variant_get_string (refresh_v, NULL);
  if (host_v)
    host_refresh = g_variant_get_boolean (host_v);
  forget_token_host (self);
  if ((host_refresh || by_host) && g_dbus_method_invocation_get_sender (invocation))
    {
      self->token_host = g_strdup (g_dbus_method_invocation_get_sender (invocation));
      self->token_host_watch = g_bus_watch_name_on_connection (
        g_dbus_method_invocation_get_connection (invocation), self->token_host,
        G_BUS_NAME_WATCHER_FLAGS_NONE, NULL, on_token_host_vanished, self, NULL);
      self->host_refreshes = by_host;
    }
  rl_verbs_invoke_for_method (self->core, "sign-in-with-tokens",
                              g_variant_new ("(sss)", server, access, refresh), invocation);
  /* After the sign-in has started: starting resets the backend client. */
  if (self->host_refreshes)
    rl_backend_set_host_refreshes (rl_session_get_backend (self->session), TRUE);
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
  forget_token_host (self);
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
  g_signal_connect (self->skeleton, "handle-get-history", G_CALLBACK (on_get_history), self);
  g_signal_connect (self->skeleton, "handle-set-call-data", G_CALLBACK (on_set_call_data), self);
  g_signal_connect (self->skeleton, "handle-set-caller-id", G_CALLBACK (on_set_caller_id), self);
  g_signal_connect (self->skeleton, "handle-set-theme", G_CALLBACK (on_set_theme), self);
  g_object_bind_property (rl_core_get_branding (self->core), "theme", self->skeleton, "theme",
                          G_BINDING_SYNC_CREATE);
  on_language_setting (self);
  g_signal_connect_object (rl_core_get_settings (self->core), "changed::language",
                           G_CALLBACK (on_language_setting), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->skeleton, "notify::language", G_CALLBACK (on_language_written),
                            self);
  g_object_bind_property (rl_core_get_caller_ids (self->core), "numbers", self->skeleton,
                          "caller-ids", G_BINDING_SYNC_CREATE);
  g_object_bind_property (rl_core_get_caller_ids (self->core), "selected", self->skeleton,
                          "caller-id", G_BINDING_SYNC_CREATE);
  g_signal_connect (self->skeleton, "handle-sign-in-with-tokens2",
                    G_CALLBACK (on_sign_in_with_tokens2), self);
  g_signal_connect_object (rl_session_get_backend (self->session), "tokens-changed",
                           G_CALLBACK (on_tokens_refreshed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (rl_session_get_backend (self->session), "tokens-needed",
                           G_CALLBACK (on_tokens_needed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self->skeleton, "handle-set-tokens", G_CALLBACK (on_set_tokens), self);
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
  g_object_bind_property (self->history, "problem", self->skeleton, "history-problem",
                          G_BINDING_SYNC_CREATE);
}

static void
rl_dbus_service_dispose (GObject *object)
{
  RlDbusService *self = RL_DBUS_SERVICE (object);

  rl_dbus_service_unexport (self);
  forget_token_host (self);
  if (self->window_actions)
    g_object_remove_weak_pointer (G_OBJECT (self->window_actions),
                                  (gpointer *) &self->window_actions);
  self->window_actions = NULL;
  /* Stops the lingering calls' timers. */
  g_clear_pointer (&self->lingering, g_hash_table_unref);
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
  g_clear_object (&self->core);
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
  self->lingering
    = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, remove_source);
  self->skeleton = rl_dbus_phone1_skeleton_new ();
  rl_dbus_limits_guard (G_DBUS_INTERFACE_SKELETON (self->skeleton));
}

RlDbusService *
rl_dbus_service_new (RlCore *core)
{
  RlDbusService *self = g_object_new (RL_TYPE_DBUS_SERVICE, NULL);
  RlPhone *phone = rl_core_get_phone (core);
  RlAudioDevices *audio = rl_core_get_audio_devices (core);
  RlContactStore *contacts = rl_core_get_contacts (core);
  RlEngine *engine = rl_phone_get_engine (phone);

  self->core = g_object_ref (core);
  self->phone = g_object_ref (phone);
  self->audio = g_object_ref (audio);
  self->contacts = g_object_ref (contacts);
  self->session = g_object_ref (rl_core_get_session (core));
  self->history = g_object_ref (rl_core_get_history (core));
  self->agent_status = g_object_ref (rl_core_get_agent_status (core));
  self->park_slots = g_object_ref (rl_core_get_park_slots (core));
  connect_verb_methods (self);
  g_signal_connect_swapped (self->skeleton, "handle-present", G_CALLBACK (on_window_method), self);
  g_signal_connect_swapped (self->skeleton, "handle-hide", G_CALLBACK (on_window_method), self);
  g_signal_connect_swapped (self->skeleton, "handle-set-window-size",
                            G_CALLBACK (on_set_window_size), self);
  connect_session (self);
  connect_agent_status (self);
  connect_park_slots (self);
  g_signal_connect_swapped (self->skeleton, "handle-set-contacts", G_CALLBACK (on_push_contacts),
                            self);
  g_signal_connect_swapped (self->skeleton, "handle-save-contacts", G_CALLBACK (on_push_contacts),
                            self);
  g_signal_connect (self->skeleton, "handle-clear-contacts", G_CALLBACK (on_clear_contacts), self);
  g_signal_connect (self->skeleton, "handle-import-contacts-data",
                    G_CALLBACK (on_import_contacts_data), self);
  g_signal_connect (self->skeleton, "handle-import-contacts-fd", G_CALLBACK (on_import_contacts_fd),
                    self);
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
  g_signal_connect (phone, "dtmf-sent", G_CALLBACK (on_dtmf_sent), self);
  g_signal_connect (phone, "transfer-result", G_CALLBACK (on_transfer_result), self);
  g_signal_connect_swapped (phone, "notify::registration-state", G_CALLBACK (on_registration),
                            self);
  g_signal_connect_swapped (phone, "notify::registration-error", G_CALLBACK (on_registration),
                            self);
  g_signal_connect_swapped (engine, "notify", G_CALLBACK (on_engine), self);
  g_object_bind_property (phone, "max-calls", self->skeleton, "max-calls", G_BINDING_SYNC_CREATE);
  g_object_bind_property (phone, "auto-answer", self->skeleton, "auto-answer",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  on_registration (self);
  on_engine (self);
  on_window_size (self);
  update_calls_property (self);
  return self;
}

static void
export_call (gpointer key, gpointer value, gpointer user_data)
{
  RlDbusCall *dcall = value;
  g_autoptr (GError) error = NULL;

  if (!rl_dbus_call_export (dcall, user_data, &error))
    g_warning ("Cannot export call %s: %s", rl_dbus_call_get_path (dcall), error->message);
}

gboolean
rl_dbus_service_export (RlDbusService *self, GDBusConnection *connection, const char *object_path,
                        GError **error)
{
  g_return_val_if_fail (RL_IS_DBUS_SERVICE (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                         object_path, error))
    return FALSE;
  self->connection = g_object_ref (connection);
  g_hash_table_foreach (self->calls, export_call, connection);
  return TRUE;
}

static void
unexport_call (gpointer call, gpointer dcall, gpointer user_data)
{
  rl_dbus_call_unexport (dcall);
}

static void
unexport_lingering (gpointer dcall, gpointer timer, gpointer user_data)
{
  rl_dbus_call_unexport (dcall);
}

void
rl_dbus_service_unexport (RlDbusService *self)
{
  g_return_if_fail (RL_IS_DBUS_SERVICE (self));

  if (self->connection == NULL)
    return;
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  g_hash_table_foreach (self->calls, unexport_call, NULL);
  g_hash_table_foreach (self->lingering, unexport_lingering, NULL);
  g_clear_object (&self->connection);
}

static const char *
call_path (RlDbusService *self, RlCall *call)
{
  RlDbusCall *dcall = g_hash_table_lookup (self->calls, call);

  return dcall ? rl_dbus_call_get_path (dcall) : NULL;
}
