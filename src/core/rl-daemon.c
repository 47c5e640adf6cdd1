/* rl-daemon.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlDaemon"

#include "config.h"

#include "rl-daemon.h"
#include "rl-target.h"
#include "rl-verbs.h"

#include <glib-unix.h>

struct _RlDaemon
{
  GApplication parent_instance;

  RlCore *core;
};

G_DEFINE_FINAL_TYPE (RlDaemon, rl_daemon, G_TYPE_APPLICATION)

static const GOptionEntry common_options[] = {
  { "headless", 0, 0, G_OPTION_ARG_NONE, NULL, "Run the phone and its D-Bus API without a window",
    NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
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

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("ringline %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "import", "^&ay", &file))
    return import_option (app, file);
  return -1;
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  guint added = 0, skipped = 0;

  if (rl_contact_store_import_finish (RL_CONTACT_STORE (source), result, &added, &skipped, &error))
    g_message ("Imported %u contacts (%u entries skipped)", added, skipped);
  else
    g_warning ("Import failed: %s", error->message);
}

static void
import_contacts_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  rl_contact_store_import_async (rl_core_get_contacts (user_data), file, NULL, on_imported, NULL);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* Shared by the window and the headless face of Ringline. */
void
rl_application_add_common_options (GApplication *app, RlCore *core)
{
  g_autoptr (GSimpleAction) import = g_simple_action_new ("import-contacts", G_VARIANT_TYPE_STRING);

  g_signal_connect_object (import, "activate", G_CALLBACK (import_contacts_action), core, 0);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (import));
  g_application_add_main_option_entries (app, common_options);
  g_application_set_option_context_parameter_string (app, "[tel:NUMBER|sip:URI|callto:NUMBER]");
  g_signal_connect (app, "handle-local-options", G_CALLBACK (on_local_options), NULL);
  /* A terminated Ringline must take baresip with it, cleanly. */
  g_unix_signal_add (SIGTERM, on_quit_signal, app);
  g_unix_signal_add (SIGINT, on_quit_signal, app);
}

/* Links from the command line or the desktop: dial each one. */
void
rl_application_open_links (RlCore *core, GFile **files, int n_files, gboolean dial)
{
  for (int i = 0; i < n_files && dial; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autofree char *target = rl_target_from_link (uri, &error);

      if (target == NULL
          || !rl_verbs_invoke (
            core, "dial",
            g_variant_new ("(s@a{sv})", target,
                           g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
            NULL, &error))
        g_warning ("Cannot dial %s: %s", uri, error->message);
    }
}

static void
rl_daemon_startup (GApplication *app)
{
  RlDaemon *self = RL_DAEMON (app);

  G_APPLICATION_CLASS (rl_daemon_parent_class)->startup (app);
  rl_core_startup (self->core);
  g_application_hold (app);
}

static void
rl_daemon_activate (GApplication *app)
{
}

static void
rl_daemon_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  rl_application_open_links (RL_DAEMON (app)->core, files, n_files, TRUE);
}

static void
rl_daemon_shutdown (GApplication *app)
{
  rl_core_shutdown (RL_DAEMON (app)->core);
  G_APPLICATION_CLASS (rl_daemon_parent_class)->shutdown (app);
}

static gboolean
rl_daemon_dbus_register (GApplication *app, GDBusConnection *connection, const char *object_path,
                         GError **error)
{
  if (!G_APPLICATION_CLASS (rl_daemon_parent_class)
         ->dbus_register (app, connection, object_path, error))
    return FALSE;
  return rl_core_dbus_register (RL_DAEMON (app)->core, connection, object_path, error);
}

static void
rl_daemon_dbus_unregister (GApplication *app, GDBusConnection *connection, const char *object_path)
{
  rl_core_dbus_unregister (RL_DAEMON (app)->core);
  G_APPLICATION_CLASS (rl_daemon_parent_class)->dbus_unregister (app, connection, object_path);
}

static void
rl_daemon_finalize (GObject *object)
{
  g_clear_object (&RL_DAEMON (object)->core);
  G_OBJECT_CLASS (rl_daemon_parent_class)->finalize (object);
}

static void
rl_daemon_class_init (RlDaemonClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rl_daemon_finalize;
  app_class->startup = rl_daemon_startup;
  app_class->activate = rl_daemon_activate;
  app_class->open = rl_daemon_open;
  app_class->shutdown = rl_daemon_shutdown;
  app_class->dbus_register = rl_daemon_dbus_register;
  app_class->dbus_unregister = rl_daemon_dbus_unregister;
}

static void
rl_daemon_init (RlDaemon *self)
{
  self->core = rl_core_new ();
  rl_application_add_common_options (G_APPLICATION (self), self->core);
}

RlDaemon *
rl_daemon_new (void)
{
  return g_object_new (RL_TYPE_DAEMON, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, NULL);
}
