/* test-baresip-config.c: what one run of baresip is told, for baresip 1.0
 * and for a modern one, and how Ringline tells them apart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-baresip-config.h"

#include <string.h>

static const char *const no_devices[] = { "", "", "" };

static RlBaresipConfig
config_for (guint major)
{
  return (RlBaresipConfig){
    .listen_address = "127.0.0.1",
    .sip_port = 5070,
    .ctrl_port = 4444,
    .max_calls = 2,
    .module_path = "/modules",
    .major = major,
    .devices = no_devices,
  };
}

static gboolean
has_line (const char *text, const char *line)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_contains ((const char *const *) lines, line);
}

static void
test_versions (void)
{
  g_assert_cmpuint (rl_baresip_config_major ("1.0.0"), ==, 1);
  g_assert_cmpuint (rl_baresip_config_major ("4.10.0"), ==, 4);
  g_assert_cmpuint (rl_baresip_config_major (NULL), ==, 0);
  g_assert_cmpint (rl_baresip_config_features ("1.0.0"), ==, RL_ENGINE_FEATURE_NONE);
  g_assert_cmpint (rl_baresip_config_features (NULL), ==, RL_ENGINE_FEATURE_NONE);
  g_assert_true (rl_baresip_config_features ("4.10.0") & RL_ENGINE_FEATURE_CALL_IDS);
  g_assert_true (rl_baresip_config_features ("4.10.0") & RL_ENGINE_FEATURE_HANGUP_STATUS);
  g_assert_true (rl_baresip_config_features ("4.10.0") & RL_ENGINE_FEATURE_CLOSE_REASON);
  g_assert_true (rl_baresip_config_features ("4.10.0") & RL_ENGINE_FEATURE_MUTE_STATE);
  g_assert_true (rl_baresip_config_features ("4.10.0") & RL_ENGINE_FEATURE_TLS_VERIFY);
  g_assert_false (rl_baresip_config_features ("1.0.0") & RL_ENGINE_FEATURE_TLS_VERIFY);
}

/* baresip 1.0: temporary modules, ALSA names the asoundrc defines. */
static void
test_config_1_0 (void)
{
  RlBaresipConfig c = config_for (1);
  g_autofree char *text = rl_baresip_config_text (&c);

  g_assert_true (has_line (text, "sip_listen 127.0.0.1:5070"));
  g_assert_true (has_line (text, "net_interface 127.0.0.1"));
  g_assert_true (has_line (text, "module_tmp account.so"));
  g_assert_true (has_line (text, "audio_player alsa,ringline_speaker"));
  g_assert_true (has_line (text, "ctrl_tcp_listen 127.0.0.1:4444"));
  g_assert_false (has_line (text, "module auconv.so"));
  g_assert_false (has_line (text, "sip_verify_server yes"));
  g_assert_null (strstr (text, "unix:"));
  /* Codecs beside G.711 only when the install has them (a Flatpak without
   * spandsp has no G.722). */
  g_assert_true (has_line (text, "module g711.so"));
  g_assert_false (has_line (text, "module g722.so"));
  c.g722 = c.opus = TRUE;
  g_free (text);
  text = rl_baresip_config_text (&c);
  g_assert_true (has_line (text, "module g722.so"));
  g_assert_true (has_line (text, "module opus.so"));
}

/* A modern baresip: modules it would otherwise ignore or miss, its own
 * pulse module on the chosen devices, its tones where it lives. */
static void
test_config_modern (void)
{
  const char *const devices[] = { "mic_a", "", "ring_c" };
  RlBaresipConfig c = config_for (4);
  g_autofree char *text = NULL;
  g_autofree char *any = NULL;

  c.native_pulse = TRUE;
  c.devices = devices;
  c.audio_path = "/app/share/baresip";
  text = rl_baresip_config_text (&c);
  g_assert_true (has_line (text, "module uuid.so"));
  g_assert_true (has_line (text, "module_app account.so"));
  g_assert_false (has_line (text, "module_tmp account.so"));
  g_assert_true (has_line (text, "module auconv.so"));
  g_assert_true (has_line (text, "module auresamp.so"));
  g_assert_true (has_line (text, "module pulse.so"));
  g_assert_true (has_line (text, "audio_source pulse,mic_a"));
  g_assert_true (has_line (text, "audio_player pulse,default"));
  g_assert_true (has_line (text, "audio_alert pulse,ring_c"));
  g_assert_true (has_line (text, "audio_path /app/share/baresip"));
  g_assert_true (has_line (text, "net_interface 127.0.0.1"));
  g_assert_true (has_line (text, "sip_verify_server yes"));
  g_assert_true (has_line (text, "sip_capath /etc/ssl/certs"));
  g_assert_null (strstr (text, "unix:"));

  c.tls_ca_file = "/etc/pbx/ca.pem";
  c.media_modules = RL_ENGINE_FEATURE_ICE | RL_ENGINE_FEATURE_TURN;
  g_free (text);
  text = rl_baresip_config_text (&c);
  g_assert_true (has_line (text, "sip_cafile /etc/pbx/ca.pem"));
  g_assert_true (has_line (text, "module ice.so"));
  g_assert_true (has_line (text, "module turn.so"));
  g_assert_false (has_line (text, "module stun.so"));

  c.listen_address = "0.0.0.0";
  any = rl_baresip_config_text (&c);
  g_assert_null (strstr (any, "net_interface"));
}

/* The real binaries say who they are: Debian's, and the modern one when
 * the build has it (meson's test_engine option). */
static void
test_probe (void)
{
  g_autofree char *debian = g_find_program_in_path ("baresip");
  const char *modern = g_getenv ("RL_TEST_ENGINE");
  g_autoptr (GError) error = NULL;
  g_autofree char *none = rl_baresip_config_probe_version ("/nonexistent/baresip", &error);

  g_assert_null (none);
  g_assert_nonnull (error);
  if (debian)
    {
      g_autofree char *version = rl_baresip_config_probe_version (debian, NULL);

      g_assert_cmpstr (version, ==, "1.0.0");
    }
  if (modern && *modern)
    {
      g_autofree char *binary = g_build_filename (modern, "bin", "baresip", NULL);
      g_autofree char *version = rl_baresip_config_probe_version (binary, NULL);
      g_autofree char *tones = rl_baresip_config_find_audio_path (binary);

      g_assert_cmpuint (rl_baresip_config_major (version), >=, RL_BARESIP_MODERN_MAJOR);
      g_assert_nonnull (tones);
    }
  if (debian == NULL && (modern == NULL || *modern == '\0'))
    g_test_skip ("no baresip installed");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/baresip-config/versions", test_versions);
  g_test_add_func ("/baresip-config/config-1.0", test_config_1_0);
  g_test_add_func ("/baresip-config/config-modern", test_config_modern);
  g_test_add_func ("/baresip-config/probe", test_probe);
  return g_test_run ();
}
