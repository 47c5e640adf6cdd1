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
  { NULL },
};

static gint
on_local_options (GApplication *app, GVariantDict *options, gpointer user_data)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("ringline %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* Shared by the window and the headless face of Ringline. */
void
rl_application_add_common_options (GApplication *app)
{
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
            rl_core_get_phone (core), "dial",
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
  rl_application_add_common_options (G_APPLICATION (self));
}

RlDaemon *
rl_daemon_new (void)
{
  return g_object_new (RL_TYPE_DAEMON, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, NULL);
}
