/* rl-service-host.c
 *
 * The application owns the host and the host owns the core; the D-Bus
 * service exists only while the application is on the bus, as GApplication
 * tells through dbus_register/dbus_unregister.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlServiceHost"

#include "config.h"

#include "rl-service-host.h"
#include "rl-autostart.h"
#include "rl-call-notifier.h"
#include "rl-screen-pop.h"
#include "rl-dbus-service.h"
#include "rl-target.h"
#include "rl-verbs.h"

#include <glib-unix.h>

struct _RlServiceHost
{
  GObject parent_instance;

  GApplication *app; /* not owned: the application owns the host */
  RlCore *core;
  RlDbusService *dbus;
  RlCallNotifier *notifier;
  RlScreenPop *screen_pop;
  RlAutostart *autostart;
  guint signal_ids[3];
  gboolean holding; /* the application, while there is an account or a call */
};

G_DEFINE_FINAL_TYPE (RlServiceHost, rl_service_host, G_TYPE_OBJECT)

static const GOptionEntry common_options[] = {
  { "headless", 0, 0, G_OPTION_ARG_NONE, NULL, "Run the phone and its D-Bus API without a window",
    NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
  { "quit", 0, 0, G_OPTION_ARG_NONE, NULL,
    "Quit the running Ringline, ending its calls (the window asks first)", NULL },
  { "audio", 0, 0, G_OPTION_ARG_STRING, NULL,
    "none: calls without microphone or speaker, for automation (default: system)", "none|system" },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    "Import the contacts of a vCard file (into the running Ringline, if there is one)", "FILE" },
  { NULL },
};

/* --import FILE: the running Ringline imports it; started by it, this one
 * imports it and goes on running. */
static gint
import_option (GApplication *app, const char *file)
{
  g_autoptr (GFile) location = g_file_new_for_commandline_arg (file);
  g_autofree char *path = g_file_get_path (location);
  g_autoptr (GError) error = NULL;

  if (path == NULL || !g_application_register (app, NULL, &error))
    {
      g_printerr ("ringline: cannot import %s: %s\n", file,
                  error ? error->message : "not a local file");
      return 1;
    }
  g_action_group_activate_action (G_ACTION_GROUP (app), "import-contacts",
                                  g_variant_new_string (path));
  return g_application_get_is_remote (app) ? 0 : -1;
}

static gint
on_local_options (GApplication *app, GVariantDict *options, gpointer user_data)
{
  const char *file = NULL;
  const char *audio = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("ringline %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "audio", "&s", &audio))
    {
      /* Read by the engine when the phone starts, after this. */
      if (g_str_equal (audio, "none"))
        g_setenv ("RINGLINE_AUDIO", "null", TRUE);
      else if (g_str_equal (audio, "system"))
        g_unsetenv ("RINGLINE_AUDIO");
      else
        {
          g_printerr ("ringline: --audio is none or system, not %s\n", audio);
          return 1;
        }
    }
  if (g_variant_dict_lookup (options, "import", "^&ay", &file))
    return import_option (app, file);
  if (g_variant_dict_contains (options, "quit"))
    {
      /* Nothing running, nothing to quit. */
      if (g_application_register (app, NULL, NULL) && g_application_get_is_remote (app))
        g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
      return 0;
    }
  return -1;
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *save_error = NULL;
  guint added = 0, skipped = 0, unsaved = 0;

  if (!rl_contact_store_import_finish (RL_CONTACT_STORE (source), result, &added, &skipped,
                                       &unsaved, &save_error, &error))
    g_warning ("Import failed: %s", error->message);
  else if (unsaved)
    g_warning ("Imported %u contacts (%u entries skipped), but %u could not be saved and are "
               "kept until Ringline quits: %s",
               added, skipped, unsaved, save_error);
  else
    g_message ("Imported %u contacts (%u entries skipped)", added, skipped);
}

static void
import_contacts_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  RlServiceHost *self = user_data;
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  rl_contact_store_import_async (rl_core_get_contacts (self->core), file, NULL, on_imported, NULL);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  RlServiceHost *self = user_data;

  g_application_quit (self->app);
  return G_SOURCE_CONTINUE;
}

static void
rl_service_host_dispose (GObject *object)
{
  RlServiceHost *self = RL_SERVICE_HOST (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
  g_clear_object (&self->dbus);
  g_clear_object (&self->notifier);
  g_clear_object (&self->screen_pop);
  g_clear_object (&self->autostart);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (rl_service_host_parent_class)->dispose (object);
}

static void
rl_service_host_class_init (RlServiceHostClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_service_host_dispose;
}

static void
rl_service_host_init (RlServiceHost *self)
{
  self->core = rl_core_new ();
}

/**
 * rl_service_host_new:
 * @app: the application, which owns the returned host
 *
 * Adds the options and actions both faces share to @app.
 */
RlServiceHost *
rl_service_host_new (GApplication *app)
{
  RlServiceHost *self;
  g_autoptr (GSimpleAction) import = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);

  self = g_object_new (RL_TYPE_SERVICE_HOST, NULL);
  self->app = app;
  import = g_simple_action_new ("import-contacts", G_VARIANT_TYPE_STRING);
  g_signal_connect_object (import, "activate", G_CALLBACK (import_contacts_action), self, 0);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (import));
  g_application_add_main_option_entries (app, common_options);
  g_application_set_option_context_parameter_string (app, "[tel:NUMBER|sip:URI|callto:NUMBER]");
  g_signal_connect (app, "handle-local-options", G_CALLBACK (on_local_options), NULL);
  /* Logout, shutdown, a closed terminal: quitting ends the calls and
   * unregisters (rl_core_shutdown()), so nobody is left on a dead line. */
  self->signal_ids[0] = g_unix_signal_add (SIGTERM, on_quit_signal, self);
  self->signal_ids[1] = g_unix_signal_add (SIGINT, on_quit_signal, self);
  self->signal_ids[2] = g_unix_signal_add (SIGHUP, on_quit_signal, self);
  return self;
}

RlCore *
rl_service_host_get_core (RlServiceHost *self)
{
  g_return_val_if_fail (RL_IS_SERVICE_HOST (self), NULL);

  return self->core;
}

/* An account or a call keeps Ringline running, whatever started it (a
 * D-Bus activation would otherwise end after GApplication's 10 s). */
static void
update_hold (RlServiceHost *self)
{
  RlPhone *phone = rl_core_get_phone (self->core);
  gboolean wanted = rl_phone_get_account (phone) != NULL
                    || rl_session_get_signed_in (rl_core_get_session (self->core))
                    || g_list_model_get_n_items (rl_phone_get_calls (phone)) > 0;

  if (wanted == self->holding)
    return;
  self->holding = wanted;
  if (wanted)
    g_application_hold (self->app);
  else
    g_application_release (self->app);
}

void
rl_service_host_startup (RlServiceHost *self)
{
  RlPhone *phone;

  g_return_if_fail (RL_IS_SERVICE_HOST (self));

  phone = rl_core_get_phone (self->core);
  g_signal_connect_object (phone, "notify::account", G_CALLBACK (update_hold), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "call-added", G_CALLBACK (update_hold), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (phone, "call-removed", G_CALLBACK (update_hold), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (rl_core_get_session (self->core), "notify::signed-in",
                           G_CALLBACK (update_hold), self, G_CONNECT_SWAPPED);
  self->notifier = rl_call_notifier_new (self->app, self->core);
  self->screen_pop = rl_screen_pop_new (self->core);
  self->autostart = rl_autostart_new (rl_core_get_settings (self->core));
  rl_core_startup (self->core);
  update_hold (self);
}

void
rl_service_host_shutdown (RlServiceHost *self)
{
  g_return_if_fail (RL_IS_SERVICE_HOST (self));

  rl_core_shutdown (self->core);
}

gboolean
rl_service_host_dbus_register (RlServiceHost *self, GDBusConnection *connection,
                               const char *object_path, GError **error)
{
  g_return_val_if_fail (RL_IS_SERVICE_HOST (self), FALSE);
  g_return_val_if_fail (self->dbus == NULL, FALSE);

  self->dbus = rl_dbus_service_new (self->core);
  rl_dbus_service_set_window_actions (self->dbus, G_ACTION_MAP (self->app));
  if (rl_dbus_service_export (self->dbus, connection, object_path, error))
    return TRUE;
  g_clear_object (&self->dbus);
  return FALSE;
}

void
rl_service_host_dbus_unregister (RlServiceHost *self)
{
  g_return_if_fail (RL_IS_SERVICE_HOST (self));

  if (self->dbus)
    rl_dbus_service_unexport (self->dbus);
  g_clear_object (&self->dbus);
}

/* Links from the command line or the desktop: dial each one. */
void
rl_service_host_dial_links (RlServiceHost *self, GFile **files, int n_files)
{
  g_return_if_fail (RL_IS_SERVICE_HOST (self));

  for (int i = 0; i < n_files; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autofree char *target = rl_target_from_link (uri, &error);

      if (target == NULL
          || !rl_verbs_invoke (
            self->core, "dial",
            g_variant_new ("(s@a{sv})", target,
                           g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
            NULL, &error))
        g_warning ("Cannot dial %s: %s", uri, error->message);
    }
}
