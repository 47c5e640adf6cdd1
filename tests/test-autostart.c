/* test-autostart.c: "Start at login" outside a sandbox writes and removes
 * the XDG autostart entry, in this test's own config dir.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-autostart.h"
#include "rl-test-lab.h"

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

int
main (int argc, char *argv[])
{
  g_autofree char *config = NULL;

  g_test_init (&argc, &argv, NULL);
  config = g_dir_make_tmp ("ringline-config-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_add_func ("/autostart/entry-follows-setting", test_entry_follows_setting);
  return g_test_run ();
}
