/* rl-daemon.c
 *
 * Headless runs with no display at all, so it cannot be a GtkApplication;
 * everything it shares with the window is in RlServiceHost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlDaemon"

#include "config.h"

#include "rl-daemon.h"
#include "rl-service-host.h"

struct _RlDaemon
{
  GApplication parent_instance;

  RlServiceHost *host;
};

G_DEFINE_FINAL_TYPE (RlDaemon, rl_daemon, G_TYPE_APPLICATION)

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
rl_daemon_startup (GApplication *app)
{
  g_autoptr (GSimpleAction) quit = g_simple_action_new ("quit", NULL);

  G_APPLICATION_CLASS (rl_daemon_parent_class)->startup (app);
  g_signal_connect_object (quit, "activate", G_CALLBACK (quit_action), app, 0);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (quit));
  rl_service_host_startup (RL_DAEMON (app)->host);
  g_application_hold (app);
}

static void
rl_daemon_activate (GApplication *app)
{
}

static void
rl_daemon_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  rl_service_host_dial_links (RL_DAEMON (app)->host, files, n_files);
}

static void
rl_daemon_shutdown (GApplication *app)
{
  rl_service_host_shutdown (RL_DAEMON (app)->host);
  G_APPLICATION_CLASS (rl_daemon_parent_class)->shutdown (app);
}

static gboolean
rl_daemon_dbus_register (GApplication *app, GDBusConnection *connection, const char *object_path,
                         GError **error)
{
  return G_APPLICATION_CLASS (rl_daemon_parent_class)
           ->dbus_register (app, connection, object_path, error)
         && rl_service_host_dbus_register (RL_DAEMON (app)->host, connection, object_path, error);
}

static void
rl_daemon_dbus_unregister (GApplication *app, GDBusConnection *connection, const char *object_path)
{
  rl_service_host_dbus_unregister (RL_DAEMON (app)->host);
  G_APPLICATION_CLASS (rl_daemon_parent_class)->dbus_unregister (app, connection, object_path);
}

static void
rl_daemon_finalize (GObject *object)
{
  g_clear_object (&RL_DAEMON (object)->host);
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
  self->host = rl_service_host_new (G_APPLICATION (self));
}

RlDaemon *
rl_daemon_new (void)
{
  return g_object_new (RL_TYPE_DAEMON, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, NULL);
}
