/* rl-test-pulse.c
 *
 * Starts pulseaudio in a temporary directory, with only the modules a test
 * names and a native socket there, and points this process and its children
 * (the call engine's ALSA pulse plugin) at it through PULSE_SERVER.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-test-pulse.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/prctl.h>

struct _RlTestPulse
{
  char *dir;
  GSubprocess *daemon;
};

static void
die_with_test (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
socket_ready (const char *path)
{
  for (guint i = 0; i < 100; i++)
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
      g_usleep (50 * 1000);
    }
  return FALSE;
}

/* @modules: "module-null-sink sink_name=a" and the like, one a line of the
 * server's script. */
RlTestPulse *
rl_test_pulse_start (const char *const *modules)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ringline-pulse-XXXXXX", &error);

  g_assert_no_error (error);
  return rl_test_pulse_start_in (dir, modules);
}

/* The socket's path, before a server is started at @dir: what a desktop's
 * is, whether its sound server runs yet or not. */
char *
rl_test_pulse_server_in (const char *dir)
{
  return g_strdup_printf ("unix:%s/native", dir);
}

/* Starts the server in @dir (rl_test_pulse_stop() removes it). */
RlTestPulse *
rl_test_pulse_start_in (const char *dir, const char *const *modules)
{
  RlTestPulse *pulse = g_new0 (RlTestPulse, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) script = g_string_new (NULL);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *script_path = NULL;
  g_autofree char *socket = NULL;
  g_autofree char *server = NULL;

  pulse->dir = g_strdup (dir);
  socket = g_build_filename (pulse->dir, "native", NULL);
  g_string_append_printf (
    script, "load-module module-native-protocol-unix socket=%s auth-anonymous=1\n", socket);
  for (guint i = 0; modules && modules[i]; i++)
    g_string_append_printf (script, "load-module %s\n", modules[i]);
  script_path = g_build_filename (pulse->dir, "default.pa", NULL);
  g_file_set_contents (script_path, script->str, -1, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "HOME", pulse->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", pulse->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", pulse->dir, TRUE);
  /* Off the session bus: pulseaudio claims org.PulseAudio1 there, and a
   * second test's server, started alongside, would find it taken and quit. */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent",
                                TRUE);
  pulse->daemon = g_subprocess_launcher_spawn (
    launcher, &error, "pulseaudio", "-n", "-F", script_path, "--daemonize=no",
    "--exit-idle-time=-1", "--use-pid-file=no", "--disallow-exit", "--disable-shm=yes", NULL);
  g_assert_no_error (error);
  g_assert_true (socket_ready (socket));
  server = rl_test_pulse_server_in (dir);
  g_setenv ("PULSE_SERVER", server, TRUE);
  return pulse;
}

void
rl_test_pulse_stop (RlTestPulse *pulse)
{
  g_autofree char *cmd = NULL;

  if (pulse == NULL)
    return;
  g_subprocess_force_exit (pulse->daemon);
  g_subprocess_wait (pulse->daemon, NULL, NULL);
  g_object_unref (pulse->daemon);
  g_unsetenv ("PULSE_SERVER");
  cmd = g_strdup_printf ("rm -rf '%s'", pulse->dir);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  g_free (pulse->dir);
  g_free (pulse);
}

/* Runs "pactl @args" against the test's server; returns its output. */
char *
rl_test_pulse_pactl (RlTestPulse *pulse, const char *args)
{
  g_autofree char *cmd = g_strdup_printf ("pactl %s", args);
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (cmd, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static JsonArray *
pactl_json (RlTestPulse *pulse, JsonParser *parser, const char *what)
{
  g_autofree char *args = g_strdup_printf ("--format=json list %s", what);
  g_autofree char *out = rl_test_pulse_pactl (pulse, args);
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

/* The name of the sink (@kind "sink-inputs") or source ("source-outputs")
 * that the first stream of process @pid plays to or records from; NULL
 * when it has none. */
char *
rl_test_pulse_stream_device (RlTestPulse *pulse, const char *kind, guint pid)
{
  gboolean playback = g_str_equal (kind, "sink-inputs");
  g_autoptr (JsonParser) streams_parser = json_parser_new ();
  g_autoptr (JsonParser) devices_parser = json_parser_new ();
  JsonArray *streams = pactl_json (pulse, streams_parser, kind);
  JsonArray *devices = pactl_json (pulse, devices_parser, playback ? "sinks" : "sources");
  g_autofree char *want = g_strdup_printf ("%u", pid);

  for (guint i = 0; i < json_array_get_length (streams); i++)
    {
      JsonObject *stream = json_array_get_object_element (streams, i);
      JsonObject *props = json_object_get_object_member (stream, "properties");
      gint64 device = json_object_get_int_member (stream, playback ? "sink" : "source");

      if (g_strcmp0 (
            json_object_get_string_member_with_default (props, "application.process.id", ""), want)
          != 0)
        continue;
      for (guint j = 0; j < json_array_get_length (devices); j++)
        {
          JsonObject *d = json_array_get_object_element (devices, j);

          if (json_object_get_int_member (d, "index") == device)
            return g_strdup (json_object_get_string_member (d, "name"));
        }
    }
  return NULL;
}
