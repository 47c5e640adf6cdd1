/* test-autostart.c: "Start at login" outside a sandbox writes and removes
 * the XDG autostart entry, in this test's own config dir.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-autostart.h"
#include "rl-test-lab.h"

#include <signal.h>

static char *
entry_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

static gboolean
entry_gone (gpointer data)
{
  g_autofree char *path = entry_path ();

  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The entry is there, written whole, and starts Ringline headless. */
static gboolean
entry_written (gpointer data)
{
  g_autofree char *path = entry_path ();
  g_autoptr (GKeyFile) entry = g_key_file_new ();
  g_autofree char *exec = NULL;

  if (!g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, "Exec", NULL);
  return g_strcmp0 (exec, "ringline --headless") == 0;
}

static void
test_entry_follows_setting (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (RlAutostart) autostart = rl_autostart_new (settings);

  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (rl_test_wait (entry_written, NULL, 5));
  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_true (rl_test_wait (entry_gone, NULL, 5));
}

#define PORTAL_BUS "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

static gboolean
portal_owned (gpointer data)
{
  g_autoptr (GVariant) r = g_dbus_connection_call_sync (
    data, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
    g_variant_new ("(s)", PORTAL_BUS), G_VARIANT_TYPE ("(b)"), 0, 1000, NULL, NULL);
  gboolean owned = FALSE;

  if (r)
    g_variant_get (r, "(b)", &owned);
  return owned;
}

static GVariant *
portal_request (GDBusConnection *bus)
{
  g_autoptr (GVariant) r = g_dbus_connection_call_sync (
    bus, PORTAL_BUS, PORTAL_PATH, "org.freedesktop.DBus.Mock", "GetCalls", NULL,
    G_VARIANT_TYPE ("(a(tsav))"), 0, 5000, NULL, NULL);
  g_autoptr (GVariant) calls = r ? g_variant_get_child_value (r, 0) : NULL;

  for (gsize i = 0; calls && i < g_variant_n_children (calls); i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (calls, i);
      const char *name;
      GVariant *args;

      g_variant_get (entry, "(t&s@av)", NULL, &name, &args);
      if (g_str_equal (name, "RequestBackground"))
        return args;
      g_variant_unref (args);
    }
  return NULL;
}

static gboolean
portal_asked (gpointer data)
{
  g_autoptr (GVariant) args = portal_request (data);

  return args != NULL;
}

/* In the Flatpak (here GTK_USE_PORTAL=1, with python3-dbusmock as the
 * portal): the Background portal is asked for autostart with the headless
 * command line, and nothing is written. */
static void
test_portal (void)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GSubprocess) mock = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (RlAutostart) autostart = NULL;
  g_autoptr (GVariant) args = NULL;
  g_autoptr (GVariant) boxed = NULL;
  g_autoptr (GVariant) options = NULL;
  g_autofree const char **command = NULL;
  gboolean on = FALSE;

  g_subprocess_launcher_set_child_setup (l, rl_test_die_with_parent, NULL, NULL);
  mock = g_subprocess_launcher_spawn (l, &error, "/usr/bin/python3", "-m", "dbusmock", PORTAL_BUS,
                                      PORTAL_PATH, "org.freedesktop.portal.Background", NULL);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (portal_owned, bus, 15));
  g_variant_unref (g_dbus_connection_call_sync (
    bus, PORTAL_BUS, PORTAL_PATH, "org.freedesktop.DBus.Mock", "AddMethod",
    g_variant_new ("(sssss)", "org.freedesktop.portal.Background", "RequestBackground", "sa{sv}",
                   "o", "ret = '/org/freedesktop/portal/desktop/request/1_1/t'"),
    NULL, 0, 5000, NULL, &error));
  g_assert_no_error (error);

  g_setenv ("GTK_USE_PORTAL", "1", TRUE);
  autostart = rl_autostart_new (settings);
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (rl_test_wait (portal_asked, bus, 5));
  args = portal_request (bus);
  boxed = g_variant_get_child_value (args, 1);
  options = g_variant_get_variant (boxed);
  g_assert_true (g_variant_lookup (options, "autostart", "b", &on));
  g_assert_true (on);
  g_assert_true (g_variant_lookup (options, "commandline", "^a&s", &command));
  g_assert_cmpstr (command[0], ==, "ringline");
  g_assert_cmpstr (command[1], ==, "--headless");
  g_assert_true (entry_gone (NULL));
  g_unsetenv ("GTK_USE_PORTAL");
  g_subprocess_send_signal (mock, SIGTERM);
  g_subprocess_wait (mock, NULL, NULL);
}

int
main (int argc, char *argv[])
{
  g_autofree char *config = NULL;
  g_autoptr (GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  int ret;

  g_test_init (&argc, &argv, NULL);
  config = g_dir_make_tmp ("ringline-config-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  /* A bus of its own: the session's may have a real portal running (another
   * test activated it), which the mock portal could not replace. */
  g_test_dbus_up (bus);
  g_test_add_func ("/autostart/entry-follows-setting", test_entry_follows_setting);
  g_test_add_func ("/autostart/portal", test_portal);
  ret = g_test_run ();
  g_test_dbus_down (bus);
  return ret;
}
